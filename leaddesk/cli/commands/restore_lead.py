"""``leaddesk restore-lead LEAD_ID...``: take leads back out of the trash."""

from __future__ import annotations

import argparse

from leaddesk.cli.context import open_context
from leaddesk.errors import UserError


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from leaddesk.operations.leads import restore_leads
    from leaddesk.operations.undo_journal import journaled
    from leaddesk.storage.schema import leads

    ctx = open_context(args)
    ids = sorted(set(args.lead_ids))
    with ctx.db.reading() as connection:
        trashed = set(
            connection.execute(
                select(leads.c.id).where(leads.c.id.in_(ids), leads.c.deleted_at.is_not(None))
            ).scalars()
        )
    missing = [lead_id for lead_id in ids if lead_id not in trashed]
    if missing:
        raise UserError(f"Lead {missing[0]} is not in the trash (see 'leaddesk trash').")
    with journaled(ctx, "Restore {leads}", ids):
        restore_leads(ctx, ids)
    print(f"Restored {len(ids)} lead{'s' if len(ids) != 1 else ''} from the trash.")
    return 0
