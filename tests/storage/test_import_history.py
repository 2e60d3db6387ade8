"""The import history: newest first, with counts and whether undo is still possible."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from leaddesk.core.clock import FixedClock
from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.importing import ImportOptions, import_csv, undo_import
from leaddesk.storage.import_history import import_history
from tests.conftest import TEST_NOW

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "csv"


def history(ctx: OperationContext):
    with ctx.db.reading() as connection:
        return import_history(connection)


def test_imports_are_listed_newest_first_with_their_counts(
    ctx: OperationContext, clock: FixedClock
):
    first = import_csv(ctx, FIXTURES / "hubspot_contacts.csv")
    clock.advance(dt.timedelta(minutes=5))
    second = import_csv(ctx, FIXTURES / "duplicates" / "same_person_twice.csv", ImportOptions())

    newest, oldest = history(ctx)

    assert (newest.batch_id, newest.file_name) == (second.batch_id, "same_person_twice.csv")
    assert (newest.created, newest.updated, newest.skipped, newest.rejected) == (1, 0, 1, 0)
    assert newest.started_at == TEST_NOW + dt.timedelta(minutes=5)
    assert oldest.batch_id == first.batch_id
    assert newest.can_undo
    assert oldest.can_undo


def test_an_import_whose_leads_got_work_since_cannot_be_undone(ctx: OperationContext, clock):
    result = import_csv(ctx, FIXTURES / "duplicates" / "same_person_twice.csv")
    clock.advance(dt.timedelta(minutes=5))
    lead_id = next(iter(result.changes.created))
    add_follow_up(ctx, lead_id, TEST_NOW + dt.timedelta(days=1), "Call back")
    (record,) = history(ctx)
    assert record.changed_since
    assert not record.can_undo


def test_an_undone_import_is_listed_as_undone(ctx: OperationContext, clock):
    result = import_csv(ctx, FIXTURES / "duplicates" / "same_person_twice.csv")
    clock.advance(dt.timedelta(minutes=5))
    undo_import(ctx, result.batch_id)
    (record,) = history(ctx)
    assert record.undone_at == TEST_NOW + dt.timedelta(minutes=5)
    assert not record.can_undo
