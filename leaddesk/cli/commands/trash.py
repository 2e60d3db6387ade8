"""``leaddesk trash``: the deleted leads, newest first, that restore-lead can bring back."""

from __future__ import annotations

import argparse
import json


def run(args: argparse.Namespace) -> int:
    from leaddesk.cli.context import open_context
    from leaddesk.core.fields import display_name
    from leaddesk.storage.trash import trashed_leads

    ctx = open_context(args)
    with ctx.db.reading() as connection:
        rows = trashed_leads(connection)
    records = [
        {
            "id": row.id,
            "name": display_name(row.first_name, row.last_name, row.email),
            "company": row.company,
            "email": row.email,
            "deleted_at": row.deleted_at.isoformat(),
            "deleted_by": row.deleted_by,
        }
        for row in rows
    ]
    if args.json:
        print(json.dumps(records))
        return 0
    if not records:
        print("The trash is empty.")
        return 0
    for record in records:
        company = f" ({record['company']})" if record["company"] else ""
        print(f"{record['id']:>7}  {record['name']}{company}  deleted {record['deleted_at'][:16]}")
    return 0
