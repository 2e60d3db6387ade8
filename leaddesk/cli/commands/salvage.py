"""``leaddesk salvage OUT.csv``: save all that can still be read from a damaged database.

The database is only read (through a read-only connection). Beside OUT.csv
(the leads, with the export's column names) comes OUT.sqlite3: every table's
readable rows in a fresh database, which ``leaddesk restore OUT.sqlite3``
accepts. Rows in unreadable parts are skipped and counted per table.
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
