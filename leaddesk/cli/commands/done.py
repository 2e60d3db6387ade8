"""``leaddesk done FOLLOW_UP_ID``: mark a follow-up done and log it as an activity."""

from __future__ import annotations

import argparse

from leaddesk.cli.context import open_context


def run(args: argparse.Namespace) -> int:
    from leaddesk.operations.follow_ups import complete_follow_up
    from leaddesk.operations.undo_journal import follow_up_lead, journaled

    ctx = open_context(args)
    with journaled(ctx, "Done with {leads}", follow_up_lead(ctx, args.follow_up_id)):
        outcome = complete_follow_up(ctx, args.follow_up_id, log_text=args.text, kind=args.kind)
    (lead_id,) = outcome.changes.updated
    print(
        f"Done: follow-up {args.follow_up_id}, logged as a {args.kind} on lead {lead_id}. "
        f"Plan the next step with 'leaddesk follow-up {lead_id} WHEN'."
    )
    return 0
