"""``leaddesk demo``: add realistic demo leads."""

from __future__ import annotations

import argparse

from leaddesk.cli.context import open_context


def run(args: argparse.Namespace) -> int:
    from leaddesk.operations.demo import add_demo_leads

    ctx = open_context(args)
    changes = add_demo_leads(ctx, args.count, seed=args.seed).changes
    print(f"Added {len(changes.created)} demo leads to {ctx.db.display_url}.")
    return 0
