"""``leaddesk merge KEEP_ID OTHER_ID``: merge two leads that are one person.

Refuses two leads with nothing in common (no email, phone, or close name at the
same company) unless --force: a typo in an id must not fold one customer into
another. Prints the merge's number, which ``leaddesk undo-merge`` takes.
"""

from __future__ import annotations

import argparse
import json

from leaddesk.cli.context import open_context
from leaddesk.errors import UserError


def run(args: argparse.Namespace) -> int:
    from leaddesk.core.merge_policy import Side
    from leaddesk.operations.leads import LeadNotFoundError
    from leaddesk.operations.merge import (
        alike_because,
        merge_leads,
        proposed_choices,
    )
    from leaddesk.operations.undo_journal import journaled
    from leaddesk.storage.lead_rows import stored_rows

    ctx = open_context(args)
    with ctx.db.reading() as connection:
        stored = stored_rows(connection, [args.keep_id, args.other_id])
    rows = {lead_id: row for lead_id, row in stored.items() if row.deleted_at is None}
    for lead_id in (args.keep_id, args.other_id):
        if lead_id not in rows and args.keep_id != args.other_id:
            raise LeadNotFoundError(lead_id)
    choices: dict[str, Side] = {}
    if args.keep_id != args.other_id:
        if not args.force and not alike_because(rows[args.keep_id], rows[args.other_id]):
            raise UserError(
                f"Leads {args.keep_id} and {args.other_id} share no email, phone or name at "
                "the same company, so they look like two people; add --force to merge anyway."
            )
        if not args.keep_values:
            choices = proposed_choices(rows[args.keep_id], rows[args.other_id])
    with journaled(ctx, "Merge leads", [args.keep_id, args.other_id]):
        merge_id = merge_leads(ctx, args.keep_id, args.other_id, choices).value
    taken = sorted(name for name, side in choices.items() if side is Side.OTHER)
    if args.json:
        print(
            json.dumps(
                {
                    "merge_id": merge_id,
                    "kept": args.keep_id,
                    "merged": args.other_id,
                    "taken_from_merged": taken,
                }
            )
        )
        return 0
    print(
        f"Merged lead {args.other_id} into lead {args.keep_id}"
        + (f" (took {', '.join(taken)} from it)." if taken else ".")
    )
    print(f"To undo it: leaddesk undo-merge {merge_id}")
    return 0
