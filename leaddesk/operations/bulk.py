"""Changes to many leads at once (the lead table's bulk actions), each one transaction.

Written as set-based statements, not a loop over the one-lead operations: a
thousand selected leads cost a few statements, not a thousand transactions, so
the window stays responsive and the change is one undo step. Moving and deleting
many leads are ``leads.move_leads_filling`` and ``leads.delete_leads``, which
already take many ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select, update

from leaddesk.core.fields import ActivityKind
from leaddesk.operations.activities import activity_kind, clean_text
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import LeadNotFoundError
from leaddesk.operations.scoring import rescore_leads
from leaddesk.storage.lead_times import refresh_lead_times
from leaddesk.storage.schema import activities, follow_ups, leads

# Ids per IN (...) clause: well under SQLite's bound-parameter limit.
_CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _live_rows(connection: Connection, ids: Sequence[int]) -> dict[int, Any]:
    """The columns the bulk actions need from live leads; a missing one refuses all."""
    rows: dict[int, Any] = {}
    for chunk in _chunks(ids):
        query = select(
            leads.c.id, leads.c.version, leads.c.owner_id, leads.c.first_contacted_at
        ).where(leads.c.id.in_(chunk), leads.c.deleted_at.is_(None))
        rows.update({row.id: row for row in connection.execute(query)})
    for lead_id in ids:
        if lead_id not in rows:
            raise LeadNotFoundError(lead_id)
    return rows


def add_follow_ups(
    ctx: OperationContext, lead_ids: Iterable[int], due_at: dt.datetime, note: str | None = None
) -> Outcome[int]:
    """Plan the same next step (due time and note) on every lead; value: how many were added.

    Each follow-up belongs to its lead's owner, as ``add_follow_up`` does it.
    """
    if due_at.tzinfo is None or due_at.utcoffset() is None:
        raise ValueError("due_at must be an aware datetime")
    ids = list(dict.fromkeys(lead_ids))
    if not ids:
        return Outcome(Changes(), 0)
    now = ctx.clock.now()
    text = clean_text(note)
    with ctx.db.transaction() as connection:
        rows = _live_rows(connection, ids)
        connection.execute(
            follow_ups.insert(),
            [
                {
                    "lead_id": lead_id,
                    "due_at": due_at,
                    "note": text,
                    "owner_id": rows[lead_id].owner_id,
                    "created_at": now,
                    "created_by": ctx.actor,
                }
                for lead_id in ids
            ],
        )
        refresh_lead_times(connection, ids)
    return Outcome(Changes(updated=frozenset(ids), description="Add follow-ups"), len(ids))


def log_activities(
    ctx: OperationContext,
    lead_ids: Iterable[int],
    kind: ActivityKind | str,
    text: str | None = None,
) -> Outcome[int]:
    """Record the same activity, now, on every lead; value: how many were logged.

    As ``log_activity`` does for one lead: a contact is the first contact of a
    lead never contacted before, and every lead is rescored.
    """
    activity = activity_kind(kind)
    ids = list(dict.fromkeys(lead_ids))
    if not ids:
        return Outcome(Changes(), 0)
    now = ctx.clock.now()
    cleaned = clean_text(text)
    with ctx.db.transaction() as connection:
        rows = _live_rows(connection, ids)
        connection.execute(
            activities.insert(),
            [
                {
                    "lead_id": lead_id,
                    "kind": activity.value,
                    "occurred_at": now,
                    "text": cleaned,
                    "created_at": now,
                    "created_by": ctx.actor,
                }
                for lead_id in ids
            ],
        )
        if activity.is_contact:
            first = [lead_id for lead_id in ids if rows[lead_id].first_contacted_at is None]
            for chunk in _chunks(first):
                connection.execute(
                    update(leads)
                    .where(leads.c.id.in_(chunk))
                    .values(
                        first_contacted_at=now,
                        updated_at=now,
                        updated_by=ctx.actor,
                        version=leads.c.version + 1,
                    )
                )
        refresh_lead_times(connection, ids)
        rescore_leads(connection, ids, now)
    return Outcome(
        Changes(updated=frozenset(ids), description=f"Log {activity.label.lower()}"), len(ids)
    )
