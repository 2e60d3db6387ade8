"""A gated move saves what it asked for and the move together, or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from leaddesk.core.fields import BoardGrouping
from leaddesk.errors import UserError
from leaddesk.operations.leads import create_lead, move_leads_filling
from leaddesk.storage.schema import leads, stage_history


def _lead(ctx, lead_id: int):
    with ctx.db.reading() as connection:
        return connection.execute(select(leads).where(leads.c.id == lead_id)).one()


def test_filled_values_and_the_move_are_saved_together(ctx):
    lead_id = create_lead(ctx, {"first_name": "Ada", "email": "ada@example.com"}).value
    changes = move_leads_filling(
        ctx,
        [lead_id],
        BoardGrouping.TEMPERATURE,
        "hot",
        {lead_id: {"budget_confirmed": True, "expected_close_date": dt.date(2026, 12, 1)}},
    ).changes
    row = _lead(ctx, lead_id)
    assert (row.temperature, row.budget_confirmed, row.expected_close_date) == (
        "hot",
        True,
        dt.date(2026, 12, 1),
    )
    assert changes.board
    assert changes.updated == {lead_id}


def test_a_stage_move_with_a_reason_records_history_once(ctx):
    lead_id = create_lead(ctx, {"first_name": "Bo"}).value
    move_leads_filling(
        ctx,
        [lead_id],
        BoardGrouping.STAGE,
        "disqualified",
        {lead_id: {"disqualification_reason": "No budget", "stage": "customer"}},
    )
    row = _lead(ctx, lead_id)
    assert (row.stage, row.disqualification_reason) == ("disqualified", "No budget")
    with ctx.db.reading() as connection:
        stages = connection.execute(
            select(stage_history.c.to_stage).where(stage_history.c.lead_id == lead_id)
        ).scalars()
        assert list(stages) == ["lead", "disqualified"]


def test_a_bad_value_changes_nothing(ctx):
    lead_id = create_lead(ctx, {"first_name": "Cy"}).value
    before = _lead(ctx, lead_id)
    with pytest.raises(UserError, match="Deal value"):
        move_leads_filling(
            ctx, [lead_id], BoardGrouping.TEMPERATURE, "hot", {lead_id: {"deal_value": "lots"}}
        )
    assert _lead(ctx, lead_id) == before
