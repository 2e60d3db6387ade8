"""File → Back up… / Restore…: the backups list, backing up now, restoring with a reload."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from leaddesk.operations.leads import create_lead
from leaddesk.storage.backup import BackupKind, list_backups, take_backup
from leaddesk.ui.safety.backups_dialog import BackupListModel, BackupsDialog
from tests.conftest import TEST_NOW
from tests.ui.windows import active_main_window


def _database(ctx) -> Path:
    return Path(ctx.db.engine.url.database)


@pytest.fixture
def yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_args, **_kw: QMessageBox.StandardButton.Yes
    )


def test_the_backup_list_model_passes_qtmodeltester(qtmodeltester, ctx, data_dir):
    folder = data_dir / "backups"
    for day in range(3):
        take_backup(_database(ctx), folder, BackupKind.DAILY, now=TEST_NOW - dt.timedelta(days=day))
    model = BackupListModel()
    qtmodeltester.check(model)
    model.set_records(list_backups(folder))
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.index(0, 1).data() == "Daily"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Taken"


def test_back_up_now_adds_a_manual_backup_to_the_list(qtbot, runner, ctx):
    dialog = BackupsDialog(runner)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    assert dialog.empty.isVisibleTo(dialog)

    with qtbot.waitSignal(dialog.finished_task, timeout=10_000) as done:
        dialog.back_up_button.click()

    assert done.args[0].startswith("Backed up to ")
    assert dialog.model.rowCount() == 1
    assert dialog.model.record_at(0).kind is BackupKind.MANUAL
    assert runner.errors == []


def test_restore_in_the_window_reloads_every_view_and_clears_undo(qtbot, runner, ctx, yes):
    create_lead(ctx, {"first_name": "Anna", "temperature": "warm"})
    take_backup(_database(ctx), ctx.db.location.data_dir / "backups", BackupKind.DAILY)
    window = active_main_window(qtbot, runner)
    runner.run_undoable("Add {leads}", [], create_lead, {"first_name": "Bruno"})
    window.board.flush()
    assert window.lead_count.text() == "2 leads"
    assert runner.undo_stack.canUndo()

    dialog = BackupsDialog(runner, window)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.finished_task, timeout=10_000) as done:
        dialog.restore_button.click()

    assert runner.errors == []
    assert done.args[0].startswith("Restored the database from leaddesk-")
    window.board.flush()
    assert window.lead_count.text() == "1 lead"
    assert window.board.column_for("warm").model.rowCount() == 1
    assert window.board.column_for("cold").model.rowCount() == 0
    assert not runner.undo_stack.canUndo()
    kinds = [backup.kind for backup in list_backups(ctx.db.location.data_dir / "backups")]
    assert sorted(kinds) == [BackupKind.DAILY, BackupKind.PRE_RESTORE]


def test_a_damaged_backup_is_refused_in_one_sentence(qtbot, runner, ctx, yes, tmp_path):
    create_lead(ctx, {"first_name": "Anna"})
    bogus = tmp_path / "leaddesk-2026-11-17T103000Z-manual.sqlite3"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    dialog = BackupsDialog(runner)
    qtbot.addWidget(dialog)

    dialog.start_restore(bogus)
    qtbot.waitUntil(lambda: not dialog.tasks.busy() and bool(runner.errors), timeout=10_000)

    assert len(runner.errors) == 1
    assert "is not a LeadDesk database, or it is damaged" in runner.errors[0]
    with ctx.db.reading() as connection:
        assert connection.exec_driver_sql("SELECT first_name FROM leads").scalars().all() == [
            "Anna"
        ]
