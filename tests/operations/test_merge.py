"""Merging two leads that are one person: chosen values, and the history of both."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from leaddesk.core.fields import BoardGrouping
from leaddesk.core.merge_policy import Side
from leaddesk.errors import UserError
from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.leads import LeadNotFoundError, create_lead, move_leads, update_lead
from leaddesk.operations.merge import merge_leads
from leaddesk.storage.schema import activities, follow_ups, leads, stage_history


def add(ctx: OperationContext, **values: Any) -> int:
    return create_lead(ctx, values).value


def stored(ctx: OperationContext, lead_id: int) -> Any:
    with ctx.db.reading() as connection:
        return connection.execute(select(leads).where(leads.c.id == lead_id)).one()


def rows_of(ctx: OperationContext, table: Any, lead_id: int) -> list[Any]:
    with ctx.db.reading() as connection:
        return list(
            connection.execute(select(table).where(table.c.lead_id == lead_id).order_by(table.c.id))
        )


@pytest.fixture
def pair(ctx: OperationContext, clock) -> tuple[int, int]:
    """Anna entered twice: once from a webinar list, once when she asked for a demo."""
    keep = add(
        ctx,
        first_name="Anna",
        last_name="Schäfer",
        email="anna@nordlicht.example",
        company="Nordlicht GmbH",
        job_title="Head of Sales",
    )
    log_activity(ctx, keep, "webinar", "Attended the spring webinar")
    add_follow_up(ctx, keep, clock.now() + dt.timedelta(days=2), "Send the recording")
    move_leads(ctx, [keep], BoardGrouping.STAGE, "mql")
    clock.advance(dt.timedelta(hours=1))
    other = add(
        ctx,
        first_name="Anna",
        last_name="Schaefer",
        phone="+49 30 1234567",
        company="Nordlicht",
        temperature="hot",
        consent="denied",
    )
    log_activity(ctx, other, "demo_request", "Asked for a demo")
    add_follow_up(ctx, other, clock.now() + dt.timedelta(hours=4), "Call back about the demo")
    move_leads(ctx, [other], BoardGrouping.STAGE, "sql")
    clock.advance(dt.timedelta(hours=1))
    return keep, other


def test_merge_keeps_every_activity_follow_up_and_stage_change_of_both(ctx, pair):
    keep, other = pair
    before = {
        table.name: {row.id for lead in pair for row in rows_of(ctx, table, lead)}
        for table in (activities, follow_ups, stage_history)
    }

    changes = merge_leads(ctx, keep, other).changes

    for table in (activities, follow_ups, stage_history):
        after = {row.id for row in rows_of(ctx, table, keep)}
        assert before[table.name] <= after, table.name
        assert rows_of(ctx, table, other) == []
    texts = [row.text for row in rows_of(ctx, activities, keep)]
    assert "Asked for a demo" in texts
    assert "Attended the spring webinar" in texts
    assert changes.updated == {keep}
    assert changes.deleted == {other}
    assert changes.board


def test_merge_records_who_merged_and_puts_the_other_in_the_trash(ctx, pair, clock):
    keep, other = pair
    merge_leads(ctx, keep, other)

    gone = stored(ctx, other)
    assert gone.deleted_at == clock.now()
    assert gone.updated_by == "Test User"
    note = rows_of(ctx, activities, keep)[-1]
    assert note.kind == "note"
    assert note.created_by == "Test User"
    assert note.text == f"Merged Anna Schaefer (lead {other}) into this lead (Test User)."
    with pytest.raises(LeadNotFoundError):
        update_lead(ctx, other, {"company": "Gone"})


def test_default_choices_fill_gaps_take_the_hotter_and_further_and_keep_denied_consent(ctx, pair):
    keep, other = pair
    merge_leads(ctx, keep, other)

    kept = stored(ctx, keep)
    assert kept.email == "anna@nordlicht.example"  # only the kept lead had one
    assert kept.phone_normalized == "+49301234567"  # only the other had one
    assert kept.job_title == "Head of Sales"
    assert kept.temperature == "hot"
    assert kept.stage == "sql"
    assert kept.consent == "denied"
    # The newer lead's spelling wins where both have a value.
    assert (kept.last_name, kept.company) == ("Schaefer", "Nordlicht")
    assert kept.company_key == "nordlicht"


def test_explicit_choices_decide_each_field(ctx, pair):
    keep, other = pair
    merge_leads(
        ctx,
        keep,
        other,
        {"last_name": Side.KEEP, "company": "keep", "temperature": "keep", "phone": "keep"},
    )

    kept = stored(ctx, keep)
    assert (kept.last_name, kept.company, kept.temperature) == ("Schäfer", "Nordlicht GmbH", "cold")
    assert kept.phone is None
    # Fields not named keep the kept lead's value, even where the proposal differs.
    assert kept.stage == "mql"
    assert kept.consent == "unknown"


def test_a_stage_taken_from_the_other_lead_is_recorded(ctx, pair, clock):
    keep, other = pair
    merge_leads(ctx, keep, other, {"stage": "other"})

    last = rows_of(ctx, stage_history, keep)
    changes = [(row.from_stage, row.to_stage, row.changed_at) for row in last]
    assert changes[-1] == ("mql", "sql", clock.now())
    assert stored(ctx, keep).stage_changed_at == clock.now()


def test_the_score_follows_the_merged_activities(ctx, pair):
    keep, other = pair
    before = stored(ctx, keep).score
    merge_leads(ctx, keep, other, {})
    # The other lead's demo request now counts for the kept lead.
    assert stored(ctx, keep).score > before


def test_merging_a_lead_with_itself_or_a_trashed_lead_is_refused(ctx, pair):
    keep, other = pair
    with pytest.raises(UserError, match="itself"):
        merge_leads(ctx, keep, keep)
    merge_leads(ctx, keep, other)
    with pytest.raises(LeadNotFoundError):
        merge_leads(ctx, keep, other)
