"""Logging what happened with a lead: calls, emails, meetings, notes and signals.

An activity can change the lead twice over: the first contact (a call, email or
meeting) starts the clock for time-to-first-response and stops the
speed-to-lead deadline, and every activity feeds the score (signals add
intent points; any activity resets "no activity for 30 days").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, select, update

from leaddesk.core.fields import ActivityKind
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import LeadNotFoundError
from leaddesk.operations.scoring import rescore_leads
from leaddesk.storage.lead_times import refresh_lead_times
from leaddesk.storage.schema import activities, leads


def activity_kind(value: ActivityKind | str) -> ActivityKind:
    """``value`` as an ActivityKind, or a UserError listing the kinds."""
    try:
        return ActivityKind(value)
    except ValueError:
        kinds = ", ".join(kind.value for kind in ActivityKind)
        raise UserError(f"'{value}' is not an activity kind; use one of {kinds}.") from None


def load_live_lead(connection: Connection, lead_id: int) -> Any:
    """The columns an activity or follow-up needs from a lead that is not in the trash."""
    row = connection.execute(
        select(leads.c.id, leads.c.version, leads.c.first_contacted_at, leads.c.owner_id).where(
            leads.c.id == lead_id, leads.c.deleted_at.is_(None)
        )
    ).one_or_none()
    if row is None:
        raise LeadNotFoundError(lead_id)
    return row


def record_activity(
    connection: Connection,
    ctx: OperationContext,
    lead: Any,
    kind: ActivityKind,
    text: str | None,
    occurred_at: dt.datetime,
) -> int:
    """Insert an activity inside the caller's transaction, then update the lead.

    ``lead`` is a row from :func:`load_live_lead`. The first contact is the
    earliest contact activity: a call logged afterwards leaves it alone, a
    contact back-dated before it moves it earlier. Writing first_contacted_at
    is a change to the lead (version and updated_at move); a score that moves
    is derived and is stored without a version bump, as every rescore is.
    """
    now = ctx.clock.now()
    activity_id = int(
        connection.execute(
            activities.insert()
            .values(
                lead_id=lead.id,
                kind=kind.value,
                occurred_at=occurred_at,
                text=text,
                created_at=now,
                created_by=ctx.actor,
            )
            .returning(activities.c.id)
        ).scalar_one()
    )
    first_contact = lead.first_contacted_at
    if kind.is_contact and (first_contact is None or occurred_at < first_contact):
        connection.execute(
            update(leads)
            .where(leads.c.id == lead.id)
            .values(
                first_contacted_at=occurred_at,
                updated_at=now,
                updated_by=ctx.actor,
                version=lead.version + 1,
            )
        )
    refresh_lead_times(connection, [lead.id])
    rescore_leads(connection, [lead.id], now)
    return activity_id


def clean_text(text: str | None) -> str | None:
    """Trimmed text, or None when there is nothing in it."""
    if text is None:
        return None
    stripped = text.strip()
    return stripped or None


def log_activity(
    ctx: OperationContext,
    lead_id: int,
    kind: ActivityKind | str,
    text: str | None = None,
    occurred_at: dt.datetime | None = None,
) -> Outcome[int]:
    """Record that something happened with a lead (now, unless ``occurred_at``).

    The Outcome's value is the activity's id. Refuses a lead in the trash and a time in the future.
    """
    activity = activity_kind(kind)
    now = ctx.clock.now()
    when = now if occurred_at is None else occurred_at
    if when.tzinfo is None:
        raise ValueError("occurred_at must be an aware datetime")
    if when > now:
        raise UserError("An activity cannot have happened in the future.")
    with ctx.db.transaction() as connection:
        lead = load_live_lead(connection, lead_id)
        activity_id = record_activity(connection, ctx, lead, activity, clean_text(text), when)
    return Outcome(
        Changes(updated=frozenset({lead_id}), description=f"Log {activity.label.lower()}"),
        activity_id,
    )
