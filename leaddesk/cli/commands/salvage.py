"""``leaddesk salvage OUT.csv``: save every lead that can still be read from a damaged database.

The database is only read (through a read-only connection): the leads go to
a CSV file with the export's column names, so the file can be imported into
a new or restored database. Leads in unreadable parts are skipped and counted.
"""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from leaddesk.operations.salvage import salvage_summary, salvage_to_csv
    from leaddesk.storage.database import resolve_location

    location = resolve_location(args.data_dir, args.database_url)
    report = salvage_to_csv(location, args.output)
    saved, skipped = salvage_summary(report, args.output)
    print(saved)
    if skipped is not None:
        print(f"leaddesk: {skipped}", file=sys.stderr)
    return 0
