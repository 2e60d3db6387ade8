"""``leaddesk imports``: past imports, newest first, and whether each can be undone."""

from __future__ import annotations

import argparse
import json

from leaddesk.cli.context import local_time, open_context, time_zone


def run(args: argparse.Namespace) -> int:
    from leaddesk.storage.import_history import import_history

    ctx = open_context(args)
    with ctx.db.reading() as connection:
        records = import_history(connection)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "batch": record.batch_id,
                        "file": record.file_name,
                        "started_at": record.started_at.isoformat(),
                        "finished_at": record.finished_at and record.finished_at.isoformat(),
                        "undone_at": record.undone_at and record.undone_at.isoformat(),
                        "created": record.created,
                        "updated": record.updated,
                        "skipped": record.skipped,
                        "rejected": record.rejected,
                        "can_undo": record.can_undo,
                    }
                    for record in records
                ],
                ensure_ascii=False,
            )
        )
        return 0
    if not records:
        print("No imports yet.")
        return 0
    zone = time_zone(args)
    for record in records:
        if record.undone_at is not None:
            state = f"undone {local_time(record.undone_at, zone)}"
        elif record.can_undo:
            state = f"undo with 'leaddesk undo-import {record.batch_id}'"
        elif record.changed_since:
            state = "changed since: cannot be undone"
        else:
            state = "nothing to undo"
        print(
            f"{record.batch_id:>5}  {local_time(record.started_at, zone)}  {record.file_name}: "
            f"{record.created} created, {record.updated} updated, {record.skipped} skipped, "
            f"{record.rejected} rejected; {state}"
        )
    return 0
