"""``leaddesk snooze FOLLOW_UP_ID FOR``: put a follow-up off for a while."""

from __future__ import annotations

import argparse

from leaddesk.cli.context import local_time, open_context, time_zone


def run(args: argparse.Namespace) -> int:
    from leaddesk.core.agenda import SnoozeOption, snooze_until
    from leaddesk.operations.follow_ups import snooze_follow_up
    from leaddesk.operations.undo_journal import follow_up_lead, journaled

    zone = time_zone(args)
    ctx = open_context(args)
    until = snooze_until(SnoozeOption(args.until), ctx.clock.now(), zone)
    with journaled(ctx, "Snooze {leads}", follow_up_lead(ctx, args.follow_up_id)):
        snooze_follow_up(ctx, args.follow_up_id, until)
    print(f"Snoozed follow-up {args.follow_up_id} until {local_time(until, zone)}.")
    return 0
