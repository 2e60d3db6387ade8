"""``leaddesk log LEAD_ID KIND [TEXT]``: log an activity on a lead, a contact or a signal."""

from __future__ import annotations

import argparse
import json

from leaddesk.cli.context import open_context
from leaddesk.core.fields import ActivityKind


def run(args: argparse.Namespace) -> int:
    from leaddesk.operations.activities import log_activity
    from leaddesk.operations.undo_journal import journaled
    from leaddesk.storage.queries import lead_row

    ctx = open_context(args)
    label = ActivityKind(args.kind).label.lower()
    with journaled(ctx, f"Log {label} on {{leads}}", [args.lead_id]):
        activity_id = log_activity(ctx, args.lead_id, args.kind, args.text).value
    with ctx.db.reading() as connection:
        lead = lead_row(connection, args.lead_id)
    score = lead.score if lead is not None else None
    if args.json:
        print(json.dumps({"activity_id": activity_id, "lead_id": args.lead_id, "score": score}))
        return 0
    print(f"Logged {label} on lead {args.lead_id} (activity {activity_id}); score {score}.")
    return 0
