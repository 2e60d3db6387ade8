"""The undo journal: one entry per recorded change, bounded, undone only where nothing moved."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from leaddesk.core.clock import FixedClock
from leaddesk.core.fields import BoardGrouping
from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead, delete_leads, move_leads, update_lead
from leaddesk.operations.outside_changes import newest_entry_id, read_outside_changes
from leaddesk.operations.undo_journal import (
    JOURNAL_DAYS,
    JOURNAL_LIMIT,
    apply_entry,
    delta_changes,
    entries_after,
    journaled,
)
from leaddesk.storage.schema import leads, undo_journal


def _entries(ctx: OperationContext):
    with ctx.db.reading() as connection:
        return entries_after(connection, 0)


def test_an_entry_names_the_change_who_and_when(ctx: OperationContext, clock: FixedClock) -> None:
    anna = create_lead(ctx, {"first_name": "Anna", "last_name": "Schäfer"}).value
    with journaled(ctx, "Move {leads} to Warm", [anna]):
        move_leads(ctx, [anna], BoardGrouping.TEMPERATURE, "warm")

    (entry,) = _entries(ctx)
    assert entry.delta.description == "Move Anna Schäfer to Warm (command line)"
    assert (entry.recorded_at, entry.recorded_by, entry.undone) == (
        clock.now(),
        "Test User",
        False,
    )
    assert delta_changes(entry.delta).updated == {anna}


def test_nothing_is_written_when_the_body_changed_nothing_or_failed(ctx: OperationContext) -> None:
    anna = create_lead(ctx, {"first_name": "Anna"}).value
    with journaled(ctx, "Edit {leads}", [anna]):
        update_lead(ctx, anna, {"first_name": "Anna"})
    with pytest.raises(UserError), journaled(ctx, "Edit {leads}", [anna]):
        update_lead(ctx, 999, {"first_name": "Nobody"})
    assert _entries(ctx) == []


def test_the_journal_keeps_the_last_entries_and_forgets_old_ones(
    ctx: OperationContext, clock: FixedClock
) -> None:
    anna = create_lead(ctx, {"first_name": "Anna"}).value
    with journaled(ctx, "Old", [anna]):
        update_lead(ctx, anna, {"company": "Old"})
    clock.advance(dt.timedelta(days=JOURNAL_DAYS, minutes=1))
    for number in range(JOURNAL_LIMIT + 5):
        with journaled(ctx, f"Edit {number}", [anna]):
            update_lead(ctx, anna, {"company": f"Acme {number}"})
    entries = _entries(ctx)
    assert len(entries) == JOURNAL_LIMIT
    assert entries[-1].delta.description == f"Edit {JOURNAL_LIMIT + 4} (command line)"
    assert all("Old" not in entry.delta.description for entry in entries)


def test_undo_is_refused_in_one_sentence_when_the_lead_changed_since(
    ctx: OperationContext,
) -> None:
    anna = create_lead(ctx, {"first_name": "Anna"}).value
    with journaled(ctx, "Move {leads} to Warm", [anna]):
        move_leads(ctx, [anna], BoardGrouping.TEMPERATURE, "warm")
    move_leads(ctx, [anna], BoardGrouping.TEMPERATURE, "hot")
    (entry,) = _entries(ctx)

    with pytest.raises(UserError) as refused:
        apply_entry(ctx, entry.id, entry.delta, undo=True)
    assert str(refused.value) == "“Move Anna to Warm (command line)” was changed since; not undone."
    with ctx.db.reading() as connection:
        assert connection.execute(select(leads.c.temperature)).scalar() == "hot"
        assert connection.execute(select(undo_journal.c.undone_at)).scalar() is None


def test_an_undone_entry_is_marked_and_a_redo_clears_the_mark(ctx: OperationContext) -> None:
    anna = create_lead(ctx, {"first_name": "Anna"}).value
    with journaled(ctx, "Delete {leads}", [anna]):
        delete_leads(ctx, [anna])
    (entry,) = _entries(ctx)
    assert delta_changes(entry.delta).deleted == {anna}

    changes = apply_entry(ctx, entry.id, entry.delta, undo=True).changes
    assert anna in changes.created
    assert _entries(ctx)[0].undone
    apply_entry(ctx, entry.id, entry.delta, undo=False)
    assert not _entries(ctx)[0].undone


def test_outside_changes_come_from_the_journal_or_from_what_changed_since(
    ctx: OperationContext, clock: FixedClock
) -> None:
    anna = create_lead(ctx, {"first_name": "Anna"}).value
    bo = create_lead(ctx, {"first_name": "Bo"}).value
    start = newest_entry_id(ctx)
    since = clock.now()
    clock.advance(dt.timedelta(minutes=1))
    with journaled(ctx, "Edit {leads}", [anna]):
        update_lead(ctx, anna, {"company": "Acme"})

    explained = read_outside_changes(ctx, start, since)
    assert [entry.delta.description for entry in explained.entries] == ["Edit Anna (command line)"]
    assert (explained.changes.updated, explained.changes.settings) == ({anna}, False)

    delete_leads(ctx, [bo])  # another window: no entry
    unexplained = read_outside_changes(ctx, explained.last_entry_id, since)
    assert unexplained.entries == []
    assert unexplained.changes.deleted == {bo}
    assert anna in unexplained.changes.updated
    assert unexplained.changes.settings
    with ctx.db.reading() as connection:
        assert connection.execute(select(func.count()).select_from(undo_journal)).scalar() == 1
