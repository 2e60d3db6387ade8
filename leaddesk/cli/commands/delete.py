"""``leaddesk delete LEAD_ID...``: move leads to the trash (``restore-lead`` takes them back)."""

from __future__ import annotations

import argparse

from leaddesk.cli.context import open_context
from leaddesk.errors import UserError


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from leaddesk.operations.leads import delete_leads
    from leaddesk.operations.undo_journal import journaled
    from leaddesk.storage.schema import leads

    ctx = open_context(args)
    ids = sorted(set(args.lead_ids))
    with ctx.db.reading() as connection:
        in_trash = set(
            connection.execute(
                select(leads.c.id).where(leads.c.id.in_(ids), leads.c.deleted_at.is_not(None))
            ).scalars()
        )
    if in_trash:
        raise UserError(f"Lead {min(in_trash)} is already in the trash (see 'leaddesk trash').")
    # One transaction: an unknown id stops it before anything moves
    # (LeadNotFoundError is a UserError: one sentence, exit 2).
    with journaled(ctx, "Delete {leads}", ids):
        delete_leads(ctx, ids)
    count = len(ids)
    print(
        f"Moved {count} lead{'s' if count != 1 else ''} to the trash; "
        "'leaddesk restore-lead ID' takes one back."
    )
    return 0
