"""Follow-ups: the next step on a lead. Adding, completing and snoozing them.

Each function is one transaction and returns an Outcome with the Changes it
made; the lead's card shows its next follow-up, so the lead is reported as
updated. Adding or snoozing a follow-up writes only the follow-up row: the
lead's own fields, and so its version, stay as they are.

Completing a follow-up logs an activity. Its kind is a **call** unless the
caller says otherwise: a follow-up is a next step with the lead, most often
"call back", and logging a mere note would leave a lead whose follow-up was
done still overdue for its first contact. The window asks how the step was
done; the command line takes ``--kind``. Pass ``ActivityKind.NOTE`` when the
step did not involve the lead (say, preparing a quote).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, select, update

from leaddesk.core.fields import ActivityKind
from leaddesk.errors import UserError
from leaddesk.operations.activities import (
    activity_kind,
    clean_text,
    load_live_lead,
    record_activity,
)
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.storage.lead_times import refresh_lead_times
from leaddesk.storage.schema import follow_ups, owners


class FollowUpNotFoundError(UserError):
    def __init__(self, follow_up_id: int) -> None:
        super().__init__(f"There is no follow-up with id {follow_up_id}.")
        self.follow_up_id = follow_up_id


def _require_aware(moment: dt.datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")


def _load_open_follow_up(connection: Connection, follow_up_id: int) -> tuple[Any, Any]:
    """The follow-up and its lead, refused when unknown, done, or on a lead in the trash."""
    row = connection.execute(
        select(
            follow_ups.c.id, follow_ups.c.lead_id, follow_ups.c.note, follow_ups.c.done_at
        ).where(follow_ups.c.id == follow_up_id)
    ).one_or_none()
    if row is None:
        raise FollowUpNotFoundError(follow_up_id)
    if row.done_at is not None:
        raise UserError(f"Follow-up {follow_up_id} is already done.")
    return row, load_live_lead(connection, row.lead_id)


def add_follow_up(
    ctx: OperationContext,
    lead_id: int,
    due_at: dt.datetime,
    note: str | None = None,
    owner_id: int | None = None,
) -> Outcome[int]:
    """Plan the next step on a lead; the Outcome's value is the follow-up's id.

    The owner is the lead's owner unless ``owner_id`` names another team member.
    A due time in the past is accepted (catching up on paper notes) and is
    simply overdue.
    """
    _require_aware(due_at, "due_at")
    now = ctx.clock.now()
    with ctx.db.transaction() as connection:
        lead = load_live_lead(connection, lead_id)
        if owner_id is not None:
            known = connection.execute(select(owners.c.id).where(owners.c.id == owner_id))
            if known.scalar() is None:
                raise UserError(f"There is no team member with id {owner_id}.")
        follow_up_id = int(
            connection.execute(
                follow_ups.insert()
                .values(
                    lead_id=lead_id,
                    due_at=due_at,
                    note=clean_text(note),
                    owner_id=lead.owner_id if owner_id is None else owner_id,
                    created_at=now,
                    created_by=ctx.actor,
                )
                .returning(follow_ups.c.id)
            ).scalar_one()
        )
        refresh_lead_times(connection, [lead_id])
    return Outcome(Changes(updated=frozenset({lead_id}), description="Add follow-up"), follow_up_id)


def complete_follow_up(
    ctx: OperationContext,
    follow_up_id: int,
    *,
    log_text: str | None = None,
    kind: ActivityKind | str = ActivityKind.CALL,
) -> Outcome[None]:
    """Mark a follow-up done now and log what was done as an activity on its lead.

    The activity's text is ``log_text``, else the follow-up's note. A contact
    (call, email, meeting) on a lead never contacted before records its first
    contact; see the module docstring for why the kind defaults to a call.
    """
    activity = activity_kind(kind)
    now = ctx.clock.now()
    with ctx.db.transaction() as connection:
        follow_up, lead = _load_open_follow_up(connection, follow_up_id)
        # Guarded by done_at IS NULL: of two people completing it at once, one wins.
        done = connection.execute(
            update(follow_ups)
            .where(follow_ups.c.id == follow_up_id, follow_ups.c.done_at.is_(None))
            .values(done_at=now)
        )
        if done.rowcount != 1:
            raise UserError(f"Follow-up {follow_up_id} is already done.")
        text = clean_text(log_text) or follow_up.note or "Follow-up done"
        # Refreshes the lead's stored times (the follow-up closed, the activity added).
        record_activity(connection, ctx, lead, activity, text, now)
    return Outcome(
        Changes(updated=frozenset({follow_up.lead_id}), description="Complete follow-up"), None
    )


def snooze_follow_up(ctx: OperationContext, follow_up_id: int, until: dt.datetime) -> Outcome[None]:
    """Put an open follow-up off until ``until`` (see core.agenda.snooze_until)."""
    _require_aware(until, "until")
    now = ctx.clock.now()
    if until <= now:
        raise UserError("A follow-up can only be snoozed until a time in the future.")
    with ctx.db.transaction() as connection:
        follow_up, _lead = _load_open_follow_up(connection, follow_up_id)
        connection.execute(
            update(follow_ups).where(follow_ups.c.id == follow_up_id).values(due_at=until)
        )
        refresh_lead_times(connection, [follow_up.lead_id])
    return Outcome(
        Changes(updated=frozenset({follow_up.lead_id}), description="Snooze follow-up"), None
    )
