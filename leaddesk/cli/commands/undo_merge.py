"""``leaddesk undo-merge MERGE_ID``: put both leads of a merge back as they were."""

from __future__ import annotations

import argparse

from leaddesk.cli.context import open_context


def run(args: argparse.Namespace) -> int:
    from leaddesk.operations.merge import undo_merge

    ctx = open_context(args)
    undo_merge(ctx, args.merge_id)
    print(f"Undid merge {args.merge_id}: both leads are back as they were before it.")
    return 0
