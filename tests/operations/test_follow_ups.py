"""Follow-ups and activities: adding, completing, snoozing, logging, first contact, score."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select, update

from leaddesk.core.clock import FixedClock
from leaddesk.core.fields import ActivityKind
from leaddesk.core.scoring import DEFAULT_RULES
from leaddesk.errors import UserError
from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import (
    FollowUpNotFoundError,
    add_follow_up,
    complete_follow_up,
    snooze_follow_up,
)
from leaddesk.operations.leads import LeadNotFoundError, create_lead, delete_leads, owner_id_for
from leaddesk.storage.schema import activities, follow_ups, leads, score_rules

RULE_POINTS = {rule.key: rule.points for rule in DEFAULT_RULES}
HOUR = dt.timedelta(hours=1)


def add_lead(ctx: OperationContext, name: str = "Anna", **values: Any) -> int:
    return create_lead(ctx, {"first_name": name, **values}).value


def lead(ctx: OperationContext, lead_id: int) -> Any:
    with ctx.db.reading() as connection:
        return connection.execute(select(leads).where(leads.c.id == lead_id)).one()


def follow_up(ctx: OperationContext, follow_up_id: int) -> Any:
    with ctx.db.reading() as connection:
        query = select(follow_ups).where(follow_ups.c.id == follow_up_id)
        return connection.execute(query).one()


def activity_rows(ctx: OperationContext, lead_id: int) -> list[Any]:
    with ctx.db.reading() as connection:
        query = select(activities).where(activities.c.lead_id == lead_id)
        return list(connection.execute(query.order_by(activities.c.id)))


def count(ctx: OperationContext, table: Any) -> int:
    with ctx.db.reading() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def advance(ctx: OperationContext, delta: dt.timedelta = HOUR) -> dt.datetime:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.advance(delta)
    return ctx.clock.now()


# --- add --------------------------------------------------------------------------------


def test_add_follow_up_stores_it_for_the_leads_owner(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx, owner="Sam Seller")
    before = lead(ctx, lead_id)
    due = ctx.clock.now() + dt.timedelta(days=1)

    outcome = add_follow_up(ctx, lead_id, due, "  Call back about the quote ")
    follow_up_id, changes = outcome.value, outcome.changes

    row = follow_up(ctx, follow_up_id)
    assert (row.lead_id, row.due_at, row.note) == (lead_id, due, "Call back about the quote")
    assert row.owner_id == before.owner_id is not None
    assert (row.done_at, row.created_at, row.created_by) == (None, ctx.clock.now(), "Test User")
    assert changes.updated == {lead_id}
    assert not changes.board
    # Only the follow-up row was written: the lead's own fields are as they were.
    assert lead(ctx, lead_id).version == before.version


def test_add_follow_up_for_another_owner_and_without_a_note(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx, owner="Sam Seller")
    with ctx.db.transaction() as connection:
        other = owner_id_for(connection, "Olga Owner", ctx.clock.now())
    follow_up_id = add_follow_up(ctx, lead_id, ctx.clock.now() + HOUR, "   ", owner_id=other).value
    row = follow_up(ctx, follow_up_id)
    assert (row.owner_id, row.note) == (other, None)


def test_a_due_time_in_another_zone_is_stored_as_that_instant(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx)
    berlin = dt.timezone(dt.timedelta(hours=1))
    follow_up_id = add_follow_up(ctx, lead_id, dt.datetime(2026, 12, 1, 9, 0, tzinfo=berlin)).value
    assert follow_up(ctx, follow_up_id).due_at == dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def test_add_follow_up_refusals_write_nothing(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx)
    due = ctx.clock.now() + HOUR
    with pytest.raises(LeadNotFoundError, match="There is no lead with id 999"):
        add_follow_up(ctx, 999, due)
    with pytest.raises(UserError, match="There is no team member with id 42"):
        add_follow_up(ctx, lead_id, due, owner_id=42)
    with pytest.raises(ValueError, match="aware"):
        add_follow_up(ctx, lead_id, dt.datetime(2026, 12, 1, 9, 0))
    delete_leads(ctx, [lead_id])
    with pytest.raises(LeadNotFoundError, match=f"There is no lead with id {lead_id}"):
        add_follow_up(ctx, lead_id, due)
    assert count(ctx, follow_ups) == 0


# --- complete ---------------------------------------------------------------------------


def test_completing_marks_it_done_and_logs_a_call(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx)
    follow_up_id = add_follow_up(ctx, lead_id, ctx.clock.now() + HOUR, "Call back").value
    later = advance(ctx, 2 * HOUR)

    changes = complete_follow_up(ctx, follow_up_id).changes

    assert follow_up(ctx, follow_up_id).done_at == later
    (logged,) = activity_rows(ctx, lead_id)
    assert (logged.kind, logged.text, logged.occurred_at) == ("call", "Call back", later)
    assert (logged.created_at, logged.created_by) == (later, "Test User")
    assert changes.updated == {lead_id}
    assert changes.description == "Complete follow-up"


def test_completing_with_text_and_kind(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx)
    first = add_follow_up(ctx, lead_id, ctx.clock.now() + HOUR, "Send proposal").value
    second = add_follow_up(ctx, lead_id, ctx.clock.now() + HOUR).value

    complete_follow_up(ctx, first, log_text=" Sent v2 of the proposal ", kind=ActivityKind.EMAIL)
    complete_follow_up(ctx, second, kind="note")

    texts = [(row.kind, row.text) for row in activity_rows(ctx, lead_id)]
    assert texts == [("email", "Sent v2 of the proposal"), ("note", "Follow-up done")]


def test_completing_records_the_first_contact_once(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx)
    created = lead(ctx, lead_id)
    assert created.first_contacted_at is None
    first = add_follow_up(ctx, lead_id, ctx.clock.now() + HOUR).value
    second = add_follow_up(ctx, lead_id, ctx.clock.now() + 2 * HOUR).value

    contacted = advance(ctx, dt.timedelta(minutes=3))
    complete_follow_up(ctx, first)
    after_first = lead(ctx, lead_id)
    assert after_first.first_contacted_at == contacted
    assert after_first.version == created.version + 1
    assert after_first.updated_at == contacted

    advance(ctx, HOUR)
    complete_follow_up(ctx, second)
    after_second = lead(ctx, lead_id)
    assert after_second.first_contacted_at == contacted
    assert after_second.version == after_first.version


def test_completing_as_a_note_is_not_a_contact(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx)
    follow_up_id = add_follow_up(ctx, lead_id, ctx.clock.now() + HOUR, "Prepare the quote").value
    version = lead(ctx, lead_id).version
    complete_follow_up(ctx, follow_up_id, kind=ActivityKind.NOTE)
    assert lead(ctx, lead_id).first_contacted_at is None
    assert lead(ctx, lead_id).version == version


def test_completing_rescores_the_lead(ctx: OperationContext) -> None:
    # Rules are the user's to edit: one that rewards a call shows the logged call counts.
    with ctx.db.transaction() as connection:
        connection.execute(
            score_rules.insert().values(
                key="called",
                label="We called them",
                kind="activity_count",
                parameters={"kinds": ["call"], "min_count": 1},
                points=7,
                enabled=True,
                position=99,
            )
        )
    lead_id = add_lead(ctx)
    follow_up_id = add_follow_up(ctx, lead_id, ctx.clock.now() + HOUR).value
    assert lead(ctx, lead_id).score == 0

    complete_follow_up(ctx, follow_up_id)

    assert lead(ctx, lead_id).score == 7


def test_completing_refusals_change_nothing(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx)
    follow_up_id = add_follow_up(ctx, lead_id, ctx.clock.now() + HOUR).value
    with pytest.raises(FollowUpNotFoundError, match="There is no follow-up with id 999"):
        complete_follow_up(ctx, 999)
    with pytest.raises(UserError, match="'phoned' is not an activity kind; use one of call"):
        complete_follow_up(ctx, follow_up_id, kind="phoned")
    complete_follow_up(ctx, follow_up_id)
    with pytest.raises(UserError, match=f"^Follow-up {follow_up_id} is already done.$"):
        complete_follow_up(ctx, follow_up_id)
    assert count(ctx, activities) == 1

    trashed = add_follow_up(ctx, lead_id, ctx.clock.now() + HOUR).value
    delete_leads(ctx, [lead_id])
    with pytest.raises(LeadNotFoundError):
        complete_follow_up(ctx, trashed)
    assert follow_up(ctx, trashed).done_at is None
    assert count(ctx, activities) == 1


# --- snooze -----------------------------------------------------------------------------


def test_snooze_moves_the_due_time(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx)
    follow_up_id = add_follow_up(ctx, lead_id, ctx.clock.now() - HOUR).value
    until = ctx.clock.now() + dt.timedelta(minutes=15)

    changes = snooze_follow_up(ctx, follow_up_id, until).changes

    row = follow_up(ctx, follow_up_id)
    assert (row.due_at, row.done_at) == (until, None)
    assert changes.updated == {lead_id}
    assert count(ctx, activities) == 0


def test_snooze_refusals(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx)
    follow_up_id = add_follow_up(ctx, lead_id, ctx.clock.now()).value
    now = ctx.clock.now()
    with pytest.raises(UserError, match="only be snoozed until a time in the future"):
        snooze_follow_up(ctx, follow_up_id, now)
    with pytest.raises(FollowUpNotFoundError):
        snooze_follow_up(ctx, 999, now + HOUR)
    complete_follow_up(ctx, follow_up_id)
    with pytest.raises(UserError, match="is already done"):
        snooze_follow_up(ctx, follow_up_id, now + HOUR)
    assert follow_up(ctx, follow_up_id).due_at == now


# --- log_activity -----------------------------------------------------------------------


def test_logging_a_demo_request_raises_the_score_by_the_rules_points(
    ctx: OperationContext,
) -> None:
    lead_id = add_lead(ctx, job_title="CEO")
    before = lead(ctx, lead_id).score
    assert before == RULE_POINTS["decision_maker_title"]

    outcome = log_activity(ctx, lead_id, ActivityKind.DEMO_REQUEST, "Wants a demo")
    activity_id, changes = outcome.value, outcome.changes

    assert lead(ctx, lead_id).score == before + RULE_POINTS["requested_demo"]
    assert changes.updated == {lead_id}
    assert changes.description == "Log demo request"
    (row,) = activity_rows(ctx, lead_id)
    assert (row.id, row.kind, row.text, row.occurred_at) == (
        activity_id,
        "demo_request",
        "Wants a demo",
        ctx.clock.now(),
    )
    # The rule fires once, however many requests follow; a signal is not a contact.
    log_activity(ctx, lead_id, "quote_request")
    assert lead(ctx, lead_id).score == before + RULE_POINTS["requested_demo"]
    assert lead(ctx, lead_id).first_contacted_at is None


def test_the_score_follows_the_rule_as_the_user_edited_it(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx)
    with ctx.db.transaction() as connection:
        connection.execute(
            update(score_rules).where(score_rules.c.key == "visited_pricing").values(points=33)
        )
    log_activity(ctx, lead_id, ActivityKind.PRICING_VISIT)
    assert lead(ctx, lead_id).score == 33


def test_the_first_contact_is_the_earliest_contact_activity(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx)
    start = ctx.clock.now()
    log_activity(ctx, lead_id, ActivityKind.NOTE, "Looked them up")
    log_activity(ctx, lead_id, ActivityKind.WEBINAR)
    assert lead(ctx, lead_id).first_contacted_at is None

    emailed = advance(ctx)
    log_activity(ctx, lead_id, ActivityKind.EMAIL, "Intro")
    assert lead(ctx, lead_id).first_contacted_at == emailed
    version = lead(ctx, lead_id).version

    advance(ctx)
    log_activity(ctx, lead_id, ActivityKind.MEETING)
    assert lead(ctx, lead_id).first_contacted_at == emailed
    assert lead(ctx, lead_id).version == version

    # A call made before the email, logged afterwards, is the first contact.
    called = start + dt.timedelta(minutes=10)
    log_activity(ctx, lead_id, ActivityKind.CALL, "Quick call", occurred_at=called)
    assert lead(ctx, lead_id).first_contacted_at == called
    assert lead(ctx, lead_id).version == version + 1


def test_log_activity_refusals_write_nothing(ctx: OperationContext) -> None:
    lead_id = add_lead(ctx)
    with pytest.raises(UserError, match="'dance' is not an activity kind"):
        log_activity(ctx, lead_id, "dance")
    with pytest.raises(UserError, match="cannot have happened in the future"):
        log_activity(ctx, lead_id, "call", occurred_at=ctx.clock.now() + dt.timedelta(seconds=1))
    with pytest.raises(ValueError, match="aware"):
        log_activity(ctx, lead_id, "call", occurred_at=dt.datetime(2026, 1, 1))
    with pytest.raises(LeadNotFoundError):
        log_activity(ctx, 999, "call")
    delete_leads(ctx, [lead_id])
    with pytest.raises(LeadNotFoundError):
        log_activity(ctx, lead_id, "call")
    assert count(ctx, activities) == 0
    assert lead(ctx, lead_id).first_contacted_at is None
