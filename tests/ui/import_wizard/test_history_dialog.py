"""File → Import history…: past imports with their counts, and Undo off the UI thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from leaddesk.operations.activities import log_activity
from leaddesk.operations.importing import ImportOptions, import_csv
from leaddesk.ui.import_wizard.history_dialog import ImportHistoryDialog
from leaddesk.ui.main_window import MainWindow
from tests.ui.import_wizard.wizard_helpers import lead_count

DUPLICATES = Path(__file__).resolve().parents[2] / "fixtures" / "csv" / "duplicates"


def _import(ctx, name: str):
    return import_csv(ctx, DUPLICATES / name, ImportOptions())


def _texts(dialog: ImportHistoryDialog) -> list[list[str]]:
    model = dialog.model
    return [
        [model.index(row, column).data() for column in (0, 2, 3, 4, 5)]
        for row in range(model.rowCount())
    ]


def test_lists_past_imports_and_undoes_one_off_the_ui_thread(
    qtbot, qtmodeltester, runner, ctx, monkeypatch
):
    _import(ctx, "colleagues_switchboard.csv")
    ctx.clock.advance(dt.timedelta(minutes=5))
    twice = _import(ctx, "same_person_twice.csv")
    dialog = ImportHistoryDialog(runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    qtmodeltester.check(dialog.model)

    assert _texts(dialog) == [
        ["same_person_twice.csv", "1", "0", "1", "0"],
        ["colleagues_switchboard.csv", "4", "0", "0", "0"],
    ]
    assert dialog.model.index(0, 6).data() == "Can be undone"
    assert dialog.undo_button.isEnabled()  # the newest is selected
    announced = []
    runner.changed.connect(announced.append)
    monkeypatch.setattr(dialog, "confirm_undo", lambda record: True)

    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert dialog.job is not None
    qtbot.waitUntil(lambda: not dialog.job.is_running(), timeout=5000)
    qtbot.waitUntil(lambda: not dialog.is_loading(), timeout=5000)
    qtbot.waitUntil(lambda: dialog.model.index(0, 6).data().startswith("Undone "))

    assert lead_count(ctx) == 4
    assert [changes.deleted for changes in announced] == [twice.changes.created]
    assert dialog.model.index(0, 6).data().startswith("Undone ")
    assert "was undone: 1 leads removed" in dialog.message.message()
    dialog.view.selectRow(0)
    assert not dialog.undo_button.isEnabled()
    dialog.view.selectRow(1)
    assert dialog.undo_button.isEnabled()
    qtmodeltester.check(dialog.model)
    assert runner.errors == []


def test_an_import_whose_leads_were_worked_on_offers_no_undo(qtbot, runner, ctx):
    result = _import(ctx, "same_person_twice.csv")
    ctx.clock.advance(dt.timedelta(minutes=5))
    log_activity(ctx, next(iter(result.changes.created)), "call")
    dialog = ImportHistoryDialog(runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert dialog.model.index(0, 6).data() == "Leads changed since: cannot be undone"
    assert not dialog.undo_button.isEnabled()


def test_ctrl_shift_i_opens_the_history_from_the_file_menu(qtbot, runner):
    window = MainWindow(runner)
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    assert window.import_history_action in file_menu.actions()
    window.show()
    qtbot.waitExposed(window)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    seen: list[str] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ImportHistoryDialog):
            seen.append(dialog.windowTitle())
            dialog.reject()
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    qtbot.keyClick(
        window,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert seen == ["Import history"]
