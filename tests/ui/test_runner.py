"""The window's door to the operations: one message for a failure, an announcement
of exactly what changed for a success, one undo step per undoable run, and
nothing announced for a read."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from leaddesk.core.csv_import.mapping import ColumnMapping
from leaddesk.operations.agenda_export import export_follow_ups_ics
from leaddesk.operations.changes import Changes
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import import_csv, list_presets, save_preset
from leaddesk.operations.leads import create_lead, delete_leads, update_lead
from leaddesk.storage.schema import leads


@pytest.fixture
def announced(runner) -> list[Changes]:
    """Every ``changed`` the runner emits, in order."""
    seen: list[Changes] = []
    runner.changed.connect(seen.append)
    return seen


def lead_count(ctx: OperationContext) -> int:
    with ctx.db.reading() as connection:
        return connection.execute(select(func.count()).select_from(leads)).scalar_one()


def test_a_refused_operation_reports_one_message_and_announces_nothing(
    runner, ctx, announced
) -> None:
    assert runner.run(delete_leads, [424242]) is None
    assert runner.errors == ["There is no lead with id 424242."]
    assert announced == []


def test_an_unexpected_failure_reports_one_message_and_announces_nothing(runner, announced) -> None:
    def broken(_ctx: OperationContext) -> Changes:
        raise RuntimeError("disk on fire")

    assert runner.run(broken) is None
    assert runner.errors == ["Something went wrong and nothing was changed: disk on fire"]
    assert announced == []


def test_a_successful_operation_announces_exactly_its_changes(runner, ctx, announced) -> None:
    outcome = runner.run(create_lead, {"first_name": "Anna"})

    assert outcome is not None
    assert announced == [outcome.changes]
    assert announced[0].created == {outcome.value}
    assert runner.errors == []


def test_an_operation_that_changed_nothing_announces_nothing(runner, make_lead, announced) -> None:
    anna = make_lead("Anna", company="Acme")

    outcome = runner.run(update_lead, anna, {"company": "Acme"})

    assert outcome is not None
    assert not outcome.changes
    assert announced == []


def test_an_import_announces_the_changes_its_result_carries(
    runner, ctx, tmp_path: Path, announced
) -> None:
    path = tmp_path / "two.csv"
    path.write_text("First name,Email\nAnna,anna@acme.io\nBen,ben@acme.io\n", encoding="utf-8")

    result = runner.run(import_csv, path)

    assert result is not None
    assert result.created == 2
    assert announced == [result.changes]
    assert len(announced[0].created) == 2


def test_run_undoable_records_one_step_covering_the_lead_it_created(runner, ctx) -> None:
    outcome = runner.run_undoable("Create {leads}", [], create_lead, {"first_name": "Anna"})

    assert outcome is not None
    assert runner.undo_stack.count() == 1
    assert runner.undo_stack.undoText() == "Create Anna"
    runner.undo_stack.undo()
    # The new lead was taken from the outcome's changes, so undo removes it.
    assert lead_count(ctx) == 0
    runner.undo_stack.redo()
    assert lead_count(ctx) == 1


def test_run_undoable_records_nothing_for_a_failed_operation(runner) -> None:
    assert runner.run_undoable("Delete {leads}", [424242], delete_leads, [424242]) is None
    assert runner.undo_stack.count() == 0
    assert len(runner.errors) == 1


def test_read_returns_the_answer_and_announces_nothing(runner, announced) -> None:
    mapping = ColumnMapping(("First name",), ("first_name",))
    runner.run(save_preset, "Trade fair", mapping)
    announced.clear()

    presets = runner.read(list_presets)

    assert presets is not None
    assert [preset.name for preset in presets] == ["Trade fair"]
    assert announced == []


def test_an_export_is_a_read_it_writes_its_file_and_announces_nothing(
    runner, tmp_path: Path, announced
) -> None:
    path = tmp_path / "follow-ups.ics"

    assert runner.read(export_follow_ups_ics, path) == 0
    assert path.exists()
    assert announced == []


def test_a_failed_read_reports_one_message(runner, tmp_path: Path, announced) -> None:
    assert runner.read(export_follow_ups_ics, tmp_path) is None
    assert runner.errors == [f"{tmp_path} is a folder; choose a file name for the calendar."]
    assert announced == []
