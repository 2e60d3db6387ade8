"""``leaddesk backups``: the backups of this database, newest first."""

from __future__ import annotations

import argparse
import json


def run(args: argparse.Namespace) -> int:
    from leaddesk.operations.backups import backups_folder
    from leaddesk.storage.backup import list_backups
    from leaddesk.storage.database import resolve_location

    location = resolve_location(args.data_dir, args.database_url)
    folder = backups_folder(location)
    backups = list_backups(folder)
    if args.json:
        print(json.dumps({"folder": str(folder), "backups": [b.as_json() for b in backups]}))
        return 0
    if not backups:
        print(f"No backups in {folder} yet.")
        return 0
    print(f"Backups in {folder}:")
    for backup in backups:
        taken = backup.taken_at.astimezone().strftime("%a %d %b %Y %H:%M")
        print(f"  {taken}  {backup.kind.label:<15} {backup.path.name}")
    return 0
