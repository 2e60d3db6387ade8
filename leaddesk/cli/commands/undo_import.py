"""``leaddesk undo-import BATCH``: undo an import by its batch number."""

from __future__ import annotations

import argparse

from leaddesk.cli.context import open_context


def run(args: argparse.Namespace) -> int:
    from leaddesk.operations.importing import undo_import

    ctx = open_context(args)
    changes = undo_import(ctx, args.batch).changes
    print(
        f"Undid import {args.batch}: removed {len(changes.deleted)} leads, "
        f"restored {len(changes.updated)}."
    )
    return 0
