"""What changed in the database outside this window, for the window to refresh from.

Two sources, read when the window has noticed a commit it did not make itself:
the undo journal (the command line's changes, each with the exact rows it
touched, which the window also offers in Edit → Undo), and for changes the
journal does not hold (another window, an import or demo data from the command
line) the leads changed since a moment, by their ``updated_at`` and their
follow-ups' times. Changes nothing; one read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, or_, select

from leaddesk.operations.changes import Changes
from leaddesk.operations.context import OperationContext
from leaddesk.operations.undo_journal import (
    JournalEntry,
    delta_changes,
    entries_after,
    last_entry_id,
)
from leaddesk.storage.schema import follow_ups, leads


@dataclass(frozen=True, slots=True)
class OutsideChanges:
    """The journal entries written since, and everything the views should refresh."""

    entries: list[JournalEntry]
    changes: Changes
    # The newest journal entry seen: the next read starts after it.
    last_entry_id: int


def _touched_since(connection: Connection, since: dt.datetime) -> Changes:
    """Leads changed since ``since`` (a scan, only run after an unexplained commit)."""
    updated: set[int] = set()
    deleted: set[int] = set()
    for row in connection.execute(
        select(leads.c.id, leads.c.deleted_at).where(leads.c.updated_at >= since)
    ):
        (deleted if row.deleted_at is not None else updated).add(row.id)
    # A follow-up planned or done elsewhere changes its lead's card, not its row.
    updated.update(
        connection.execute(
            select(follow_ups.c.lead_id).where(
                or_(follow_ups.c.created_at >= since, follow_ups.c.done_at >= since)
            )
        ).scalars()
    )
    # Unexplained: team members, score rules or settings may have changed as well.
    return Changes(
        updated=frozenset(updated - deleted),
        deleted=frozenset(deleted),
        board=True,
        settings=True,
        description="Changed outside this window",
    )


def read_outside_changes(
    ctx: OperationContext, after_entry: int, since: dt.datetime | None
) -> OutsideChanges:
    """Journal entries after ``after_entry``; with ``since``, also what else changed.

    ``since`` is given when a commit the window did not make was noticed; when
    the journal explains it (the command line wrote entries), the scan is skipped.
    """
    with ctx.db.reading() as connection:
        entries = entries_after(connection, after_entry)
        changes = Changes()
        for entry in entries:
            changes |= delta_changes(entry.delta)
        if since is not None and not entries:
            changes |= _touched_since(connection, since)
    last = entries[-1].id if entries else after_entry
    return OutsideChanges(entries, changes, last)


def newest_entry_id(ctx: OperationContext) -> int:
    """The journal's newest entry (0 when empty): a window starting now reads what follows."""
    with ctx.db.reading() as connection:
        return last_entry_id(connection)
