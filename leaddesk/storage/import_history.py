"""Past imports as the history lists them, and whether each can still be undone.

An import can be undone until one of its leads (created or updated by it) is
changed, or gets an activity or a follow-up, after it: undoing then would throw
that later work away (operations/importing/undo.py refuses it the same way).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, exists, or_, select, union

from leaddesk.storage.schema import activities, follow_ups, import_batches, import_changes, leads


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One past import: its file, when, its counts, and whether it was undone."""

    batch_id: int
    file_name: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    undone_at: dt.datetime | None
    created: int
    updated: int
    skipped: int
    rejected: int
    created_by: str | None
    changed_since: bool
    """Some of its leads were changed after it: it can no longer be undone."""

    @property
    def can_undo(self) -> bool:
        return (
            self.undone_at is None
            and self.finished_at is not None
            and not self.changed_since
            and bool(self.created or self.updated)
        )


def changed_since_import(connection: Connection, batch_id: int, since: dt.datetime | None) -> bool:
    """Whether a lead the import created or updated, or its activities and follow-ups,
    changed after ``since`` (the import's end)."""
    if since is None:
        return False
    touched = union(
        select(leads.c.id.label("lead_id")).where(leads.c.import_batch_id == batch_id),
        select(import_changes.c.lead_id).where(import_changes.c.batch_id == batch_id),
    ).subquery()
    later = or_(
        exists().where(leads.c.id.in_(select(touched.c.lead_id)), leads.c.updated_at > since),
        exists().where(
            activities.c.lead_id.in_(select(touched.c.lead_id)), activities.c.created_at > since
        ),
        exists().where(
            follow_ups.c.lead_id.in_(select(touched.c.lead_id)), follow_ups.c.created_at > since
        ),
    )
    return bool(connection.execute(select(later)).scalar())


def import_history(connection: Connection, *, limit: int = 500) -> list[ImportRecord]:
    """The imports, newest first (at most ``limit``)."""
    rows = connection.execute(
        select(import_batches).order_by(import_batches.c.id.desc()).limit(limit)
    ).all()
    return [
        ImportRecord(
            batch_id=row.id,
            file_name=row.file_name,
            started_at=row.started_at,
            finished_at=row.finished_at,
            undone_at=row.undone_at,
            created=row.created,
            updated=row.updated,
            skipped=row.skipped,
            rejected=row.rejected,
            created_by=row.created_by,
            # Asked only where it matters: an undone import is not undone twice.
            changed_since=row.undone_at is None
            and changed_since_import(connection, row.id, row.finished_at),
        )
        for row in rows
    ]
