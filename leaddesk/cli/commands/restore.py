"""``leaddesk restore FILE|latest``: put a backup in place of the database.

The current database is backed up first (kind pre-restore), so a restore can
itself be undone by restoring that copy.
"""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from leaddesk.operations.backups import resolve_backup, restore_file
    from leaddesk.storage.database import resolve_location

    location = resolve_location(args.data_dir, args.database_url)
    source = resolve_backup(location, args.file)
    result = restore_file(location, source)
    print(f"Restored the database from {source}.")
    if result.pre_restore is not None:
        print(f"The database it replaced is kept in {result.pre_restore.path}.")
    return 0
