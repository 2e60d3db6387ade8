"""Bulk operations change exactly the leads given, in one transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from leaddesk.errors import UserError
from leaddesk.operations.bulk import add_follow_ups, assign_owner, log_activities
from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.owners import add_owner
from leaddesk.storage.schema import activities, follow_ups, leads


def _counts(ctx: OperationContext, table, ids):  # type: ignore[no-untyped-def]
    with ctx.db.reading() as connection:
        rows = connection.execute(
            select(table.c.lead_id, func.count()).group_by(table.c.lead_id)
        ).all()
    return {lead_id: count for lead_id, count in rows if lead_id in ids}


def test_assign_owner_changes_only_the_selected_leads(ctx: OperationContext) -> None:
    add_demo_leads(ctx, 50, seed=1)
    colleague = add_owner(ctx, "Kim Colleague").value
    chosen = list(range(5, 30, 2))
    outcome = assign_owner(ctx, chosen, colleague)
    with ctx.db.reading() as connection:
        owned = set(
            connection.execute(select(leads.c.id).where(leads.c.owner_id == colleague)).scalars()
        )
    assert owned == set(chosen)
    assert outcome.changes.updated == frozenset(chosen)


def test_follow_ups_and_activities_are_added_to_each_selected_lead(ctx: OperationContext) -> None:
    add_demo_leads(ctx, 40, seed=2)
    chosen = [3, 4, 9, 17]
    before_fu = _counts(ctx, follow_ups, set(range(1, 41)))
    before_act = _counts(ctx, activities, set(range(1, 41)))
    due = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    assert add_follow_ups(ctx, chosen, due, " Call back ").value == 4
    assert log_activities(ctx, chosen, "call", "Left a voicemail").value == 4
    after_fu = _counts(ctx, follow_ups, set(range(1, 41)))
    after_act = _counts(ctx, activities, set(range(1, 41)))
    for lead_id in range(1, 41):
        added = 1 if lead_id in chosen else 0
        assert after_fu.get(lead_id, 0) == before_fu.get(lead_id, 0) + added
        assert after_act.get(lead_id, 0) == before_act.get(lead_id, 0) + added
    with ctx.db.reading() as connection:
        contacted = connection.execute(
            select(func.count()).where(leads.c.id.in_(chosen), leads.c.first_contacted_at.is_(None))
        ).scalar()
    assert contacted == 0


def test_a_lead_in_the_trash_or_unknown_refuses_the_whole_bulk_change(
    ctx: OperationContext,
) -> None:
    add_demo_leads(ctx, 5, seed=3)
    with pytest.raises(UserError, match="no lead with id 99"):
        log_activities(ctx, [1, 2, 99], "note", "x")
    with pytest.raises(UserError, match="no team member"):
        assign_owner(ctx, [1, 2], 12345)
    assert _counts(ctx, activities, {1, 2}) == _counts(ctx, activities, {1, 2})
