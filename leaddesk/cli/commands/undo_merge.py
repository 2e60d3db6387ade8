"""``leaddesk undo-merge MERGE_ID``: put both leads of a merge back as they were."""

from __future__ import annotations

import argparse

from leaddesk.cli.context import open_context


def run(args: argparse.Namespace) -> int:
    from leaddesk.operations.merge import undo_merge
    from leaddesk.operations.undo_journal import journaled, merged_leads

    ctx = open_context(args)
    with journaled(ctx, f"Undo merge {args.merge_id}", merged_leads(ctx, args.merge_id)):
        undo_merge(ctx, args.merge_id)
    print(f"Undid merge {args.merge_id}: both leads are back as they were before it.")
    return 0
