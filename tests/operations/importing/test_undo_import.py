"""Undoing an import: its new leads go, the fields it changed come back, exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from leaddesk.core.clock import FixedClock
from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import (
    DuplicatePolicy,
    undo_import,
)
from leaddesk.operations.leads import create_lead, update_lead
from leaddesk.storage.schema import import_batches, import_changes, owners
from tests.operations.importing.import_helpers import (
    FTS_SHADOW_TABLES,
    LATER,
    TEST_NOW,
    assert_same_dump,
    batch_of,
    count,
    dump,
    fts_consistent,
    lead_named,
    run_import,
    search_ids,
    write_csv,
)

# --- undo --------------------------------------------------------------------------


UNDO_FILE = [
    [
        "First Name",
        "Last Name",
        "Email",
        "Phone",
        "Company",
        "Contact owner",
        "Lifecycle Stage",
        "Job Title",
    ],
    # updates Anna (by email): stage forward, a new owner, a new title
    ["Anna", "Berg", "ANNA@example.com", "", "", "Nora Newowner", "opportunity", "Head of Sales"],
    # updates Bruno (by phone): another company
    ["Bruno", "Costa", "", "+49 (30) 555-0002", "Costa Trading", "", "", ""],
    # new leads, one with a new owner, one with the existing owner
    ["Clara", "Dahl", "clara@example.com", "", "Dahl AB", "Otto Importowner", "sql", ""],
    ["Dmitri", "Egorov", "dmitri@example.com", "", "", "sam", "", ""],
    ["Clara", "Dahl", "CLARA@example.com", "", "", "", "", "Founder"],  # fills Clara
]


@pytest.fixture
def before_import(ctx: OperationContext, clock: FixedClock, tmp_path: Path) -> Any:
    """Two existing leads, an owner; returns the dump and the file to import."""
    create_lead(
        ctx,
        {"first_name": "Anna", "last_name": "Berg", "email": "anna@example.com", "owner": "Sam"},
    )
    create_lead(
        ctx,
        {
            "first_name": "Bruno",
            "last_name": "Costa",
            "phone": "+49 30 5550002",
            "company": "Costa",
        },
    )
    clock.advance(LATER)
    return dump(ctx.db), write_csv(tmp_path / "undo.csv", UNDO_FILE)


def test_undo_restores_the_database_exactly(
    ctx: OperationContext, clock: FixedClock, before_import: Any
) -> None:
    before, path = before_import
    result = run_import(ctx, path, DuplicatePolicy.OVERWRITE)
    assert (result.created, result.updated, result.skipped) == (2, 3, 0)
    # The import really changed what undo must put back.
    anna = lead_named(ctx, "Anna", "Berg")
    assert (anna["stage"], anna["owner_name"], anna["job_title"]) == (
        "opportunity",
        "Nora Newowner",
        "Head of Sales",
    )
    assert lead_named(ctx, "Bruno", "Costa")["company"] == "Costa Trading"
    assert lead_named(ctx, "Clara", "Dahl")["job_title"] == "Founder"
    assert lead_named(ctx, "Dmitri", "Egorov")["owner_name"] == "Sam"
    assert count(ctx, owners) == 3
    assert count(ctx, import_changes) == 2
    assert search_ids(ctx, "Clara")
    clock.advance(LATER)

    changes = undo_import(ctx, batch_of(result)).changes

    assert len(changes.deleted) == 2
    assert len(changes.updated) == 2
    after = dump(ctx.db)
    # Allowed to differ: the batch row (kept, now with undone_at) and the
    # search index's own pages (checked for consistency with `leads` instead).
    assert before["import_batches"] == []
    batch = after.pop("import_batches")
    assert len(batch) == 1
    with ctx.db.reading() as connection:
        row = connection.execute(select(import_batches)).one()
    assert (row.id, row.undone_at, row.created, row.updated) == (
        result.batch_id,
        TEST_NOW + 2 * LATER,
        2,
        3,
    )
    for name in FTS_SHADOW_TABLES:
        before.pop(name), after.pop(name)
    before.pop("import_batches")
    assert_same_dump(before, after)
    fts_consistent(ctx.db)
    assert search_ids(ctx, "Clara") == []
    assert search_ids(ctx, "Newowner") == []
    assert len(search_ids(ctx, "Costa")) == 1
    assert search_ids(ctx, "Trading") == []


def test_undo_of_a_fill_import_restores_the_filled_fields(
    ctx: OperationContext, clock: FixedClock, before_import: Any
) -> None:
    before, path = before_import
    result = run_import(ctx, path, DuplicatePolicy.FILL)
    assert result.updated >= 1
    assert lead_named(ctx, "Anna", "Berg")["job_title"] == "Head of Sales"
    clock.advance(LATER)
    undo_import(ctx, batch_of(result))
    after = dump(ctx.db, skip=FTS_SHADOW_TABLES | {"import_batches"})
    expected = {k: v for k, v in before.items() if k not in FTS_SHADOW_TABLES | {"import_batches"}}
    assert_same_dump(expected, after)
    fts_consistent(ctx.db)


def test_undo_twice_is_refused(
    ctx: OperationContext, clock: FixedClock, before_import: Any
) -> None:
    _before, path = before_import
    result = run_import(ctx, path, DuplicatePolicy.OVERWRITE)
    undo_import(ctx, batch_of(result))
    once = dump(ctx.db)
    with pytest.raises(UserError, match="already undone"):
        undo_import(ctx, batch_of(result))
    assert_same_dump(once, dump(ctx.db))


@pytest.mark.parametrize("edited", ["created", "updated"])
def test_undo_is_refused_when_a_lead_was_edited_after_the_import(
    ctx: OperationContext, clock: FixedClock, before_import: Any, edited: str
) -> None:
    _before, path = before_import
    result = run_import(ctx, path, DuplicatePolicy.OVERWRITE)
    lead = (
        lead_named(ctx, "Clara", "Dahl")
        if edited == "created"
        else lead_named(ctx, "Bruno", "Costa")
    )
    clock.advance(LATER)
    update_lead(ctx, lead["id"], {"notes": "Called, interested"})
    edited_dump = dump(ctx.db)
    clock.advance(LATER)

    with pytest.raises(UserError, match="changed after it") as refused:
        undo_import(ctx, batch_of(result))

    assert "\n" not in str(refused.value)
    assert_same_dump(edited_dump, dump(ctx.db))


def test_undo_of_an_unknown_batch_is_refused(ctx: OperationContext) -> None:
    before = dump(ctx.db)
    with pytest.raises(UserError, match="no import with number 42"):
        undo_import(ctx, 42)
    assert_same_dump(before, dump(ctx.db))


def test_undo_of_a_later_import_then_an_earlier_one(
    ctx: OperationContext, clock: FixedClock, tmp_path: Path, before_import: Any
) -> None:
    before, path = before_import
    first = run_import(ctx, path, DuplicatePolicy.OVERWRITE)
    clock.advance(LATER)
    again = write_csv(
        tmp_path / "again.csv", [["Email", "Job Title"], ["clara@example.com", "CEO"]]
    )
    second = run_import(ctx, again, DuplicatePolicy.OVERWRITE)
    assert second.updated == 1
    clock.advance(LATER)
    with pytest.raises(UserError):  # Clara, created by the first, was changed by the second
        undo_import(ctx, batch_of(first))
    undo_import(ctx, batch_of(second))
    assert lead_named(ctx, "Clara", "Dahl")["job_title"] == "Founder"
    undo_import(ctx, batch_of(first))
    skip = FTS_SHADOW_TABLES | {"import_batches"}
    assert_same_dump({k: v for k, v in before.items() if k not in skip}, dump(ctx.db, skip=skip))
