"""Undoing an import: its new leads go, the fields it changed come back."""

from __future__ import annotations

from sqlalchemy import select, update

from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing.result import from_json_values
from leaddesk.storage.import_history import changed_since_import
from leaddesk.storage.schema import (
    import_batches,
    import_changes,
    leads,
    owners,
    stage_history,
)


def undo_import(ctx: OperationContext, batch_id: int) -> Outcome[None]:
    """Remove the leads an import created and put back the fields it changed.

    Refused when a lead the import touched was changed since, so that undoing
    never throws away later work.
    """
    now = ctx.clock.now()
    with ctx.db.transaction() as connection:
        batch = connection.execute(
            select(import_batches).where(import_batches.c.id == batch_id)
        ).one_or_none()
        if batch is None:
            raise UserError(f"There is no import with number {batch_id}.")
        if batch.undone_at is not None:
            raise UserError(f"Import {batch_id} was already undone.")
        created = list(
            connection.execute(
                select(leads.c.id, leads.c.version).where(leads.c.import_batch_id == batch_id)
            )
        )
        previous = list(
            connection.execute(
                select(import_changes.c.lead_id, import_changes.c.previous).where(
                    import_changes.c.batch_id == batch_id
                )
            )
        )
        if changed_since_import(connection, batch_id, batch.finished_at):
            raise UserError(
                f"Import {batch_id} cannot be undone: some of its leads were changed after it; "
                "undoing it would lose that work."
            )
        created_ids = [lead_id for lead_id, _version in created]
        for lead_id, values in previous:
            restored = from_json_values(values)
            connection.execute(update(leads).where(leads.c.id == lead_id).values(**restored))
        connection.execute(
            stage_history.delete().where(stage_history.c.import_batch_id == batch_id)
        )
        if created_ids:
            connection.execute(leads.delete().where(leads.c.import_batch_id == batch_id))
        still_used = select(leads.c.owner_id).where(leads.c.owner_id.is_not(None))
        removed_owners = connection.execute(
            owners.delete().where(
                owners.c.import_batch_id == batch_id, owners.c.id.not_in(still_used)
            )
        ).rowcount
        connection.execute(import_changes.delete().where(import_changes.c.batch_id == batch_id))
        connection.execute(
            update(import_batches).where(import_batches.c.id == batch_id).values(undone_at=now)
        )
    return Outcome(
        Changes(
            deleted=frozenset(created_ids),
            updated=frozenset(lead_id for lead_id, _values in previous),
            board=True,
            settings=bool(removed_owners),
            description=f"Undo import {batch_id}",
        ),
        None,
    )
