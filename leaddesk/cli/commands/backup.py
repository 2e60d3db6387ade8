"""``leaddesk backup [FILE]``: a verified copy of the database, now."""

from __future__ import annotations

import argparse
import json


def run(args: argparse.Namespace) -> int:
    from leaddesk.operations.backups import back_up
    from leaddesk.storage.database import resolve_location

    location = resolve_location(args.data_dir, args.database_url)
    path = back_up(location, args.file)
    size = path.stat().st_size
    if args.json:
        print(json.dumps({"file": str(path), "size": size}))
    else:
        print(f"Backed up to {path} ({_size(size)}).")
    return 0


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
