"""``leaddesk info``: the version, the database and how many leads it holds."""

from __future__ import annotations

import argparse
import json

from leaddesk import __version__
from leaddesk.cli.context import open_context


def run(args: argparse.Namespace) -> int:
    from leaddesk.storage.migrate import current_revision
    from leaddesk.storage.queries import count_leads

    ctx = open_context(args)
    with ctx.db.reading() as connection:
        total = count_leads(connection)
    info = {
        "version": __version__,
        "database": ctx.db.display_url,
        "schema_revision": current_revision(ctx.db.engine),
        "leads": total,
    }
    if args.json:
        print(json.dumps(info))
    else:
        print(f"LeadDesk {info['version']}")
        print(f"Database: {info['database']} (schema {info['schema_revision']})")
        print(f"Leads: {total}")
    return 0
