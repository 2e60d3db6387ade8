"""Recording a change as rows before and after, and writing either side back."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text

from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead, move_leads, update_lead
from leaddesk.operations.undo_support import (
    UndoConflictError,
    apply_undo_delta,
    diff_snapshots,
    read_snapshot,
)
from leaddesk.storage.schema import follow_ups, leads, owners


def dump(ctx: OperationContext) -> dict[str, list[tuple[Any, ...]]]:
    with ctx.db.reading() as connection:
        names = list(
            connection.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'lead_search%' AND name NOT LIKE 'sqlite_%'"
                )
            ).scalars()
        )
        return {
            name: [tuple(row) for row in connection.execute(text(f'SELECT * FROM "{name}"'))]
            for name in names
        }


def recorded(ctx: OperationContext, lead_ids: list[int], operation, *args, **kwargs):
    """Run ``operation`` and return its delta (lead ids it creates are covered too)."""
    before = read_snapshot(ctx.db, lead_ids)
    changes = operation(ctx, *args, **kwargs).changes
    after = read_snapshot(ctx.db, [*lead_ids, *changes.created])
    return diff_snapshots(before, after, "Test step")


def test_a_change_that_changed_nothing_records_nothing(ctx):
    lead = create_lead(ctx, {"first_name": "Anna", "company": "Acme"}).value
    assert not recorded(ctx, [lead], update_lead, lead, {"company": "Acme"})


def test_undo_then_redo_of_a_stage_move_is_exact(ctx):
    lead = create_lead(ctx, {"first_name": "Anna"}).value
    start = dump(ctx)
    delta = recorded(ctx, [lead], move_leads, [lead], BoardGrouping.STAGE, "sql")
    moved = dump(ctx)

    changes = apply_undo_delta(ctx, delta, undo=True).changes
    assert dump(ctx) == start
    assert changes.updated == {lead}
    assert changes.board
    apply_undo_delta(ctx, delta, undo=False)
    assert dump(ctx) == moved


def test_undoing_a_new_lead_that_has_an_activity_since_is_refused(ctx):
    delta = recorded(ctx, [], create_lead, {"first_name": "Zoë"})
    (lead,) = delta.lead_ids
    log_activity(ctx, lead, "call", "Called back")
    changed = dump(ctx)

    with pytest.raises(UndoConflictError, match="can no longer be undone"):
        apply_undo_delta(ctx, delta, undo=True)
    assert dump(ctx) == changed


def test_a_team_member_added_by_the_change_stays_once_someone_else_has_them(ctx):
    lead = create_lead(ctx, {"first_name": "Anna"}).value
    delta = recorded(ctx, [lead], update_lead, lead, {"owner": "Pat Newcomer"})
    create_lead(ctx, {"first_name": "Bo", "owner": "Pat Newcomer"})

    apply_undo_delta(ctx, delta, undo=True)

    with ctx.db.reading() as connection:
        names = list(connection.execute(select(owners.c.name)).scalars())
    assert "Pat Newcomer" in names


def test_redo_is_refused_when_the_field_changed_after_the_undo(ctx):
    lead = create_lead(ctx, {"first_name": "Anna"}).value
    delta = recorded(ctx, [lead], update_lead, lead, {"company": "Acme"})
    apply_undo_delta(ctx, delta, undo=True)
    update_lead(ctx, lead, {"company": "Acme Europe"})

    with pytest.raises(UndoConflictError):
        apply_undo_delta(ctx, delta, undo=False)


def test_redo_after_another_field_changed_writes_only_its_own_field(ctx, clock):
    lead = create_lead(ctx, {"first_name": "Anna"}).value
    delta = recorded(ctx, [lead], update_lead, lead, {"company": "Acme"})
    apply_undo_delta(ctx, delta, undo=True)
    update_lead(ctx, lead, {"job_title": "CEO"})

    apply_undo_delta(ctx, delta, undo=False)

    with ctx.db.reading() as connection:
        row = connection.execute(select(leads).where(leads.c.id == lead)).one()
    assert (row.company, row.job_title) == ("Acme", "CEO")
    # Twice interleaved, still consistent: undo again finds what redo wrote.
    apply_undo_delta(ctx, delta, undo=True)
    with ctx.db.reading() as connection:
        row = connection.execute(select(leads).where(leads.c.id == lead)).one()
    assert (row.company, row.job_title) == (None, "CEO")


def test_undo_and_redo_of_a_follow_up_step_announce_its_lead(ctx):
    import datetime as dt

    from leaddesk.operations.follow_ups import add_follow_up, snooze_follow_up
    from tests.conftest import TEST_NOW

    lead = create_lead(ctx, {"first_name": "Anna"}).value
    delta = recorded(ctx, [lead], add_follow_up, lead, TEST_NOW + dt.timedelta(hours=1))
    # The lead's panel and card refresh from these (they show its follow-ups).
    assert apply_undo_delta(ctx, delta, undo=True).changes.updated == {lead}
    assert apply_undo_delta(ctx, delta, undo=False).changes.updated == {lead}
    with ctx.db.reading() as connection:
        (follow_up_id,) = connection.execute(select(follow_ups.c.id)).scalars()
    snoozed = recorded(ctx, [lead], snooze_follow_up, follow_up_id, TEST_NOW + dt.timedelta(days=1))
    changes = apply_undo_delta(ctx, snoozed, undo=True).changes
    assert changes.updated == {lead}
    assert not changes.settings


def test_undoing_a_step_that_added_a_team_member_announces_a_team_change(ctx):
    lead = create_lead(ctx, {"first_name": "Anna"}).value
    delta = recorded(ctx, [lead], update_lead, lead, {"owner": "Bruno"})
    changes = apply_undo_delta(ctx, delta, undo=True).changes
    assert changes.settings
    assert changes.updated == {lead}
    with ctx.db.reading() as connection:
        assert "Bruno" not in set(connection.execute(select(owners.c.name)).scalars())
