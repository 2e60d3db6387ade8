""" "Import these anyway": skipped rows become leads of the same import, undone with it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leaddesk.core.clock import FixedClock
from leaddesk.errors import UserError
from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import DuplicatePolicy, import_anyway, undo_import
from leaddesk.storage.import_history import import_history
from leaddesk.storage.schema import import_batches
from tests.operations.importing.import_helpers import (
    FIXTURES,
    LATER,
    lead_rows,
    run_import,
)

SAME_PERSON_TWICE = FIXTURES / "duplicates" / "same_person_twice.csv"


def test_a_skipped_row_imported_anyway_is_undone_with_its_import(
    ctx: OperationContext, clock: FixedClock
) -> None:
    result = run_import(ctx, SAME_PERSON_TWICE)
    assert (result.created, result.skipped) == (1, 1)
    clock.advance(LATER)

    changes = import_anyway(ctx, result, [3]).changes

    stored = lead_rows(ctx)
    assert len(stored) == 2
    assert changes.created == {stored[1]["id"]}
    assert stored[1]["job_title"] == "CTO"  # the skipped row's own values
    assert stored[1]["import_batch_id"] == result.batch_id
    assert (result.created, result.skipped) == (2, 0)
    assert result.duplicates_json() == [
        {
            "line": 3,
            "matched_lead": stored[0]["id"],
            "reason": "same email",
            "action": "imported anyway",
            "lead": stored[1]["id"],
        }
    ]
    with ctx.db.reading() as connection:
        batch = connection.execute(select(import_batches)).one()
        (record,) = import_history(connection)
    assert (batch.created, batch.skipped) == (2, 0)
    assert record.can_undo
    # Nothing left to import anyway.
    with pytest.raises(UserError, match="nothing to import"):
        import_anyway(ctx, result, [3])

    undo_import(ctx, result.batch_id)
    assert lead_rows(ctx) == []


def test_a_dry_run_has_nothing_to_import_anyway(ctx: OperationContext) -> None:
    result = run_import(ctx, SAME_PERSON_TWICE, dry_run=True)
    with pytest.raises(UserError, match="dry run"):
        import_anyway(ctx, result, [3])


def test_an_import_changed_since_stays_refused_after_importing_anyway(
    ctx: OperationContext, clock: FixedClock
) -> None:
    result = run_import(ctx, SAME_PERSON_TWICE, DuplicatePolicy.SKIP)
    clock.advance(LATER)
    log_activity(ctx, lead_rows(ctx)[0]["id"], "call")
    clock.advance(LATER)
    import_anyway(ctx, result, [3])
    with pytest.raises(UserError, match="cannot be undone"):
        undo_import(ctx, result.batch_id)
