"""``leaddesk merge KEEP_ID OTHER_ID``: merge two leads that are one person."""

from __future__ import annotations

import argparse
import json

from leaddesk.cli.context import open_context


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from leaddesk.core.merge_policy import Side
    from leaddesk.operations.leads import LeadNotFoundError
    from leaddesk.operations.merge import merge_leads, proposed_choices
    from leaddesk.storage.schema import leads

    ctx = open_context(args)
    with ctx.db.reading() as connection:
        rows = {
            row.id: row
            for row in connection.execute(
                select(leads).where(
                    leads.c.id.in_([args.keep_id, args.other_id]), leads.c.deleted_at.is_(None)
                )
            )
        }
    for lead_id in (args.keep_id, args.other_id):
        if lead_id not in rows and args.keep_id != args.other_id:
            raise LeadNotFoundError(lead_id)
    choices: dict[str, Side] = {}
    if not args.keep_values and args.keep_id != args.other_id:
        choices = proposed_choices(rows[args.keep_id], rows[args.other_id])
    merge_leads(ctx, args.keep_id, args.other_id, choices)
    taken = sorted(name for name, side in choices.items() if side is Side.OTHER)
    if args.json:
        print(
            json.dumps({"kept": args.keep_id, "merged": args.other_id, "taken_from_merged": taken})
        )
        return 0
    print(
        f"Merged lead {args.other_id} into lead {args.keep_id}"
        + (f" (took {', '.join(taken)} from it)." if taken else ".")
    )
    return 0
