"""Deleting leads for good: by hand from the trash, and the purge of old ones at start."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from leaddesk.errors import UserError
from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.leads import create_lead, delete_leads
from leaddesk.operations.settings import update_settings
from leaddesk.operations.trash import delete_forever, purge_trash
from leaddesk.storage.schema import activities, follow_ups, leads, stage_history
from leaddesk.storage.search import search_condition
from leaddesk.storage.trash import trashed_leads

DAY = dt.timedelta(days=1)


def lead_with_history(ctx: OperationContext, name: str) -> int:
    lead_id = create_lead(ctx, {"first_name": name, "company": "Nordlicht"}).value
    log_activity(ctx, lead_id, "call", "Talked about the budget")
    add_follow_up(ctx, lead_id, ctx.clock.now() + DAY, "Send the quote")
    return lead_id


def rows_of(ctx: OperationContext, lead_id: int) -> dict[str, int]:
    with ctx.db.reading() as connection:
        return {
            table.name: connection.execute(
                select(func.count()).select_from(table).where(table.c[key] == lead_id)
            ).scalar_one()
            for table, key in (
                (leads, "id"),
                (activities, "lead_id"),
                (follow_ups, "lead_id"),
                (stage_history, "lead_id"),
            )
        }


def found_by_search(ctx: OperationContext, text: str) -> list[int]:
    with ctx.db.reading() as connection:
        condition: Any = search_condition(connection.dialect.name, text)
        return list(connection.execute(select(leads.c.id).where(condition)).scalars())


def test_delete_forever_removes_the_lead_and_everything_it_owns(ctx: OperationContext) -> None:
    anna = lead_with_history(ctx, "Anna")
    bruno = lead_with_history(ctx, "Bruno")
    delete_leads(ctx, [anna, bruno])
    assert rows_of(ctx, anna) == {"leads": 1, "activities": 1, "follow_ups": 1, "stage_history": 1}

    outcome = delete_forever(ctx, [anna])

    assert outcome.value == 1
    assert outcome.changes.deleted == {anna}
    assert rows_of(ctx, anna) == {"leads": 0, "activities": 0, "follow_ups": 0, "stage_history": 0}
    assert found_by_search(ctx, "Anna") == []
    # The other lead in the trash is untouched.
    assert rows_of(ctx, bruno)["activities"] == 1
    with ctx.db.reading() as connection:
        assert [row.id for row in trashed_leads(connection)] == [bruno]


def test_delete_forever_refuses_a_lead_that_is_not_in_the_trash(ctx: OperationContext) -> None:
    anna = lead_with_history(ctx, "Anna")
    bruno = lead_with_history(ctx, "Bruno")
    delete_leads(ctx, [bruno])
    with pytest.raises(UserError, match=f"Lead {anna} is not in the trash"):
        delete_forever(ctx, [bruno, anna])
    # Nothing was removed, not even the lead that was in the trash.
    assert rows_of(ctx, bruno)["leads"] == 1
    assert rows_of(ctx, anna)["leads"] == 1


def test_the_purge_removes_only_leads_in_the_trash_for_more_than_30_days(
    ctx: OperationContext, clock: Any
) -> None:
    old = lead_with_history(ctx, "Old")
    delete_leads(ctx, [old])
    clock.advance(20 * DAY)
    recent = lead_with_history(ctx, "Recent")
    delete_leads(ctx, [recent])
    live = lead_with_history(ctx, "Live")
    clock.advance(10 * DAY)
    # Exactly 30 days: not more than 30 yet.
    assert purge_trash(ctx).value == 0
    clock.advance(dt.timedelta(minutes=1))

    outcome = purge_trash(ctx)

    assert outcome.value == 1
    assert outcome.changes.deleted == {old}
    assert rows_of(ctx, old) == {"leads": 0, "activities": 0, "follow_ups": 0, "stage_history": 0}
    assert rows_of(ctx, recent)["leads"] == 1
    assert rows_of(ctx, live)["activities"] == 1
    assert not purge_trash(ctx).changes


def test_the_purge_follows_the_setting_and_zero_keeps_the_trash(
    ctx: OperationContext, clock: Any
) -> None:
    lead_id = lead_with_history(ctx, "Anna")
    delete_leads(ctx, [lead_id])
    clock.advance(400 * DAY)
    update_settings(ctx, {"trash_days": 0})
    assert purge_trash(ctx).value == 0
    update_settings(ctx, {"trash_days": 7})
    assert purge_trash(ctx).value == 1
