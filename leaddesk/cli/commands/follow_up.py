"""``leaddesk follow-up LEAD_ID WHEN [NOTE]``: plan the next step on a lead."""

from __future__ import annotations

import argparse
import json

from leaddesk.cli.context import local_time, open_context, time_zone
from leaddesk.errors import UserError


def run(args: argparse.Namespace) -> int:
    from leaddesk.core.agenda import WhenError, parse_when
    from leaddesk.operations.follow_ups import add_follow_up
    from leaddesk.operations.undo_journal import journaled

    zone = time_zone(args)
    ctx = open_context(args)
    now = ctx.clock.now()
    try:
        due_at = parse_when(args.when, now, zone)
    except WhenError as error:
        raise UserError(str(error)) from None
    with journaled(ctx, "Plan follow-up for {leads}", [args.lead_id]):
        follow_up_id = add_follow_up(ctx, args.lead_id, due_at, args.note).value
    if args.json:
        print(
            json.dumps(
                {"follow_up_id": follow_up_id, "lead_id": args.lead_id, "due": due_at.isoformat()}
            )
        )
        return 0
    overdue = " (already overdue)" if due_at < now else ""
    print(
        f"Added follow-up {follow_up_id} to lead {args.lead_id}, "
        f"due {local_time(due_at, zone)}{overdue}."
    )
    return 0
