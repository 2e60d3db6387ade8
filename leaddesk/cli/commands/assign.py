"""``leaddesk assign LEAD_ID... OWNER``: give leads to a team member, in one operation."""

from __future__ import annotations

import argparse

from leaddesk.cli.context import open_context


def run(args: argparse.Namespace) -> int:
    from leaddesk.operations.leads import assign_owner
    from leaddesk.operations.undo_journal import journaled
    from leaddesk.storage.queries import all_owner_names

    ctx = open_context(args)
    with journaled(ctx, f"Assign {{leads}} to {args.owner}", args.lead_ids):
        outcome = assign_owner(ctx, args.lead_ids, args.owner)
    owner_id = outcome.value
    assert owner_id is not None  # an owner was named: an id comes back
    with ctx.db.reading() as connection:
        name = all_owner_names(connection)[owner_id]
    ids = sorted(set(args.lead_ids))
    changed = len(outcome.changes.updated)
    already = len(ids) - changed
    count = f"lead {ids[0]}" if len(ids) == 1 else f"{len(ids)} leads"
    note = f" ({already} already were)" if already and changed else ""
    if not changed:
        print(f"{name} already owned {'it' if len(ids) == 1 else 'them'}; nothing changed.")
    else:
        print(f"Assigned {count} to {name}{note}.")
    return 0
