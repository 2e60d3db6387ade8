"""Emptying the trash: deleting leads for good, by hand or once they are old enough.

Moving a lead to the trash and back is in ``operations.leads`` (``delete_leads``,
``restore_leads``); this module is the only place a lead row is really removed.
Neither function is undoable: the rows are gone. An undo step recorded earlier
for such a lead is refused by undo's own check (its row is no longer there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import ColumnElement, Connection, delete, select

from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.undo_support import CHILD_TABLES
from leaddesk.storage.schema import leads
from leaddesk.storage.settings_store import read_settings


def _remove(session: Connection, condition: ColumnElement[bool]) -> list[int]:
    """Delete the leads matching ``condition`` and every row that belongs to them.

    The child rows are deleted explicitly rather than left to ON DELETE CASCADE,
    which a connection without SQLite's foreign_keys pragma would skip.
    """
    ids = list(session.execute(select(leads.c.id).where(condition)).scalars())
    if not ids:
        return ids
    owned = select(leads.c.id).where(condition).scalar_subquery()
    for table in CHILD_TABLES:
        session.execute(delete(table).where(table.c.lead_id.in_(owned)))
    session.execute(delete(leads).where(condition))
    return ids


def delete_forever(ctx: OperationContext, lead_ids: Iterable[int]) -> Outcome[int]:
    """Remove leads in the trash for good, with their activities, follow-ups and history.

    Only leads already in the trash: a live lead must be deleted first. The
    Outcome's value is how many were removed.
    """
    ids = sorted(set(lead_ids))
    if not ids:
        return Outcome(Changes(), 0)
    with ctx.db.transaction() as session:
        trashed = set(
            session.execute(
                select(leads.c.id).where(leads.c.id.in_(ids), leads.c.deleted_at.is_not(None))
            ).scalars()
        )
        missing = [lead_id for lead_id in ids if lead_id not in trashed]
        if missing:
            raise UserError(f"Lead {missing[0]} is not in the trash.")
        removed = _remove(session, leads.c.id.in_(ids))
    changes = Changes(deleted=frozenset(removed), description="Delete forever")
    return Outcome(changes, len(removed))


def purge_cutoff(ctx: OperationContext, days: int) -> dt.datetime:
    """Leads deleted before this time have been in the trash for more than ``days`` days."""
    return ctx.clock.now() - dt.timedelta(days=days)


def purge_trash(ctx: OperationContext, days: int | None = None) -> Outcome[int]:
    """Remove the leads in the trash for more than ``days`` (the trash_days setting).

    A setting of 0 keeps the trash forever. One transaction of set-based
    statements over the ``deleted_at`` index, so it is quick enough to run at
    start. The Outcome's value is how many leads were removed.
    """
    # Read first: on most starts nothing is old enough, and a read takes no write lock.
    with ctx.db.reading() as connection:
        if days is None:
            days = int(read_settings(connection)["trash_days"])
        if days <= 0:
            return Outcome(Changes(), 0)
        expired = leads.c.deleted_at < purge_cutoff(ctx, days)
        if connection.execute(select(leads.c.id).where(expired).limit(1)).first() is None:
            return Outcome(Changes(), 0)
    with ctx.db.transaction() as session:
        removed = _remove(session, expired)
    if not removed:
        return Outcome(Changes(), 0)
    return Outcome(Changes(deleted=frozenset(removed), description="Empty the trash"), len(removed))
