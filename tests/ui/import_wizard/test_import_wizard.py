"""The import wizard as a user meets it: file, settings, mapping, duplicates, import, result."""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QWizard
from sqlalchemy import select
from wizard_helpers import HUBSPOT, lead_count

from leaddesk.core.import_merge import DuplicatePolicy
from leaddesk.operations import importing
from leaddesk.operations.importing import list_presets
from leaddesk.storage.schema import leads
from leaddesk.ui.import_wizard import ImportWizard, Step
from leaddesk.ui.import_wizard import worker as worker_module
from leaddesk.ui.import_wizard.preview_model import STATUS_COLUMN, VERDICT_ROLE
from leaddesk.ui.import_wizard.run_page import CANCELLED_MESSAGE
from leaddesk.ui.import_wizard.session import NO_IDENTITY_MESSAGE, Verdict
from leaddesk.ui.main_window import MainWindow

NEXT = QWizard.WizardButton.NextButton
COMMIT = QWizard.WizardButton.CommitButton
FINISH = QWizard.WizardButton.FinishButton
CANCEL = QWizard.WizardButton.CancelButton


def _click(qtbot, wizard: QWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isVisible()
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _choose(qtbot, combo: QComboBox, target: str | None) -> None:
    """Pick ``target`` with the keyboard, as a user without a mouse would."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if (combo.currentData() or None) == target:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"{target!r} is not in the combo")


def _targets(wizard: ImportWizard) -> dict[str, str | None]:
    headers = wizard.session.fmt.headers
    combos = wizard.mapping_page.editor.combos
    return {h: c.currentData() or None for h, c in zip(headers, combos, strict=True)}


def _wait_for_result(qtbot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.currentId() == Step.RESULT, timeout=10_000)


def test_full_flow_imports_counts_match_the_database_and_undo_restores_it(
    qtbot, runner, ctx, open_wizard, monkeypatch
):
    wizard = open_wizard()
    assert not wizard.button(NEXT).isEnabled()

    # 1. File, chosen in the file dialog.
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(HUBSPOT), ""))
    )
    qtbot.mouseClick(wizard.file_page.browse_button, Qt.MouseButton.LeftButton)
    assert "comma-separated, 13 columns" in wizard.file_page.summary.text()
    _click(qtbot, wizard, NEXT)

    # 2. Settings: a wrong separator shows in the columns; setting it back restores them.
    settings = wizard.settings_page
    assert settings.encoding.currentData() == "utf-8"
    assert settings.header_line.value() == 1
    _choose(qtbot, settings.delimiter, ";")
    assert len(wizard.session.fmt.headers) == 1
    _choose(qtbot, settings.delimiter, ",")
    assert len(wizard.session.fmt.headers) == 13
    assert "Record ID · First Name" in settings.columns.text()
    _click(qtbot, wizard, NEXT)

    # 3. Mapping: suggested targets, one changed, the preview follows.
    page = wizard.mapping_page
    targets = _targets(wizard)
    assert targets["Record ID"] is None
    assert targets["First Name"] == "first_name"
    assert targets["Email"] == "email"
    assert targets["Lifecycle Stage"] == "stage"
    assert targets["Create Date"] == "created_at"
    assert targets["Marketing contact status"] == "consent"
    assert page.model.column_of("job_title") is not None
    _choose(qtbot, page.editor.combos[10], None)  # Job Title -> Ignore
    assert page.model.column_of("job_title") is None
    # A phone without a country code is kept as typed: highlighted, with the reason.
    phone = page.model.index(1, page.model.column_of("phone"))
    assert phone.data() == "(555) 201-0001"
    assert phone.data(VERDICT_ROLE) is Verdict.WARNING
    assert "kept as typed" in phone.data(Qt.ItemDataRole.ToolTipRole)
    assert page.model.index(1, STATUS_COLUMN).data() == "Warning"
    assert "1 imported with a warning" in page.summary.text()
    _click(qtbot, wizard, NEXT)

    # 4. Duplicates: Skip by default; the next button imports.
    assert wizard.policy_page.policy is DuplicatePolicy.SKIP
    assert wizard.button(COMMIT).text().replace("&", "") == "Import"
    announced = []
    runner.changed.connect(announced.append)
    _click(qtbot, wizard, COMMIT)

    # 5-6. The import runs in the background, then the counts are shown.
    _wait_for_result(qtbot, wizard)
    result = wizard.import_result
    assert result is not None
    assert lead_count(ctx) == result.created == 3
    counts = {key: label.text() for key, label in wizard.result_page.counts.items()}
    assert counts == {
        "created": "3",
        "updated": "0",
        "skipped": "0",
        "rejected": "0",
        "noted": "0",
        "warnings": "1",
        "possible_duplicates": "0",
        "countdowns": "0",  # the file's leads were created months ago: history
    }
    assert not wizard.result_page.report_button.isEnabled()
    assert [changes.created for changes in announced] == [result.changes.created]
    with ctx.db.reading() as connection:
        titles = connection.execute(select(leads.c.job_title)).scalars().all()
    assert titles == [None, None, None]  # the column the user ignored

    monkeypatch.setattr(wizard.result_page, "confirm_undo", lambda: True)
    qtbot.mouseClick(wizard.result_page.undo_button, Qt.MouseButton.LeftButton)
    assert lead_count(ctx) == 0
    assert not wizard.result_page.undo_button.isEnabled()
    assert "undone" in wizard.result_page.message.message()
    assert announced[-1].deleted == result.changes.created
    assert runner.errors == []
    _click(qtbot, wizard, FINISH)
    assert not wizard.isVisible()


def test_rows_are_counted_once_and_saved_in_the_error_report(
    qtbot, ctx, open_wizard, bad_csv, tmp_path, monkeypatch
):
    wizard = open_wizard(bad_csv)
    for _ in range(2):
        _click(qtbot, wizard, NEXT)
    assert (
        "1 would be rejected, 2 imported with a note and 1 imported with a warning"
        in wizard.mapping_page.summary.text()
    )
    _click(qtbot, wizard, NEXT)
    _click(qtbot, wizard, COMMIT)
    _wait_for_result(qtbot, wizard)

    page = wizard.result_page
    counts = {key: label.text() for key, label in page.counts.items()}
    assert counts == {
        "created": "4",
        "updated": "0",
        "skipped": "0",
        "rejected": "1",
        "noted": "2",
        "warnings": "1",
        "possible_duplicates": "0",
        "countdowns": "1",  # the row whose created date could not be read arrives now
    }
    assert lead_count(ctx) == 4
    assert page.rejected_list.topLevelItemCount() == 1
    assert page.report_button.isEnabled()
    report = tmp_path / "report.csv"
    monkeypatch.setattr(page, "ask_report_path", lambda: report)
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    with open(report, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][-2:] == ["Line", "Reason"]
    # The rejected row, then the rows imported with a note (Bob's date, Dan's amount).
    assert [row[-2] for row in rows[1:]] == ["3", "4", "6"]
    assert rows[2][:5] == ["Bob", "Stone", "bob@example.com", "", "not a date"]
    assert rows[2][-1].startswith("Imported with a note. Create Date: 'not a date'")


def test_an_unusable_file_shows_why_and_blocks_next(qtbot, open_wizard, tmp_path):
    workbook = tmp_path / "leads.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + b"[Content_Types].xml xl/workbook.xml" + bytes(200))
    wizard = open_wizard()
    qtbot.keyClicks(wizard.file_page.path_edit, str(workbook))
    qtbot.keyClick(wizard.file_page.path_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not wizard.file_page.is_reading())
    assert wizard.file_page.message.message() == (
        "This Excel workbook is damaged and cannot be read; open it in Excel and save it again."
    )
    assert not wizard.button(NEXT).isEnabled()

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    wizard.file_page.set_path(empty)
    assert wizard.file_page.message.message() == "The file is empty."
    assert not wizard.button(NEXT).isEnabled()

    wizard.file_page.set_path(HUBSPOT)
    assert wizard.file_page.message.message() == ""
    assert wizard.button(NEXT).isEnabled()


def test_a_mapping_without_name_email_or_phone_cannot_go_on(qtbot, open_wizard):
    wizard = open_wizard(HUBSPOT)
    _click(qtbot, wizard, NEXT)
    _click(qtbot, wizard, NEXT)
    page = wizard.mapping_page
    for column in (1, 2, 3, 4):  # first and last name, email, phone
        _choose(qtbot, page.editor.combos[column], None)
    assert page.message.message() == NO_IDENTITY_MESSAGE
    assert not wizard.button(NEXT).isEnabled()
    _choose(qtbot, page.editor.combos[3], "email")
    assert page.message.message() == ""
    assert wizard.button(NEXT).isEnabled()


def test_choosing_a_target_twice_moves_it_and_says_so(qtbot, open_wizard):
    wizard = open_wizard(HUBSPOT)
    _click(qtbot, wizard, NEXT)
    _click(qtbot, wizard, NEXT)
    page = wizard.mapping_page
    _choose(qtbot, page.editor.combos[6], "stage")  # Lead Status takes Stage
    targets = _targets(wizard)
    assert targets["Lead Status"] == "stage"
    assert targets["Lifecycle Stage"] is None
    assert "“Lifecycle Stage” is ignored" in page.note.text()


def test_a_saved_mapping_is_offered_again_for_the_same_columns(qtbot, runner, ctx, open_wizard):
    wizard = open_wizard(HUBSPOT)
    _click(qtbot, wizard, NEXT)
    _click(qtbot, wizard, NEXT)
    page = wizard.mapping_page
    assert page.start_from.isHidden()  # nothing saved yet
    _choose(qtbot, page.editor.combos[6], "notes")  # Lead Status -> Notes
    page.ask_preset_name = lambda: "HubSpot contacts"
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert [preset.name for preset in list_presets(ctx)] == ["HubSpot contacts"]
    wizard.reject()

    again = open_wizard(HUBSPOT)
    _click(qtbot, again, NEXT)
    _click(qtbot, again, NEXT)
    page = again.mapping_page
    assert not page.start_from.isHidden()
    assert "HubSpot contacts" in page.start_from.currentText()
    assert _targets(again)["Lead Status"] == "notes"
    page.start_from.setCurrentIndex(0)
    page.start_from.activated.emit(0)  # back to the suggestion
    assert _targets(again)["Lead Status"] is None


def _slow_import(started: threading.Event):
    """import_csv that waits for the cancel flag first, as a big file would keep going."""

    def slow(ctx, path, options, *, progress=None, should_cancel=None):
        started.set()
        deadline = time.monotonic() + 10
        while not should_cancel() and time.monotonic() < deadline:
            time.sleep(0.01)
        return importing.import_csv(
            ctx, path, options, progress=progress, should_cancel=should_cancel
        )

    return slow


# KNOWN LEAK in operations/importing/: a cancelled import drops its temporary
# error-rows file unclosed (see conftest.py). Remove these marks once it is fixed.
CANCEL_LEAK = pytest.mark.filterwarnings("ignore::ResourceWarning")


@CANCEL_LEAK
def test_cancel_stops_the_import_and_writes_nothing(qtbot, ctx, open_wizard, monkeypatch):
    started = threading.Event()
    monkeypatch.setattr(worker_module, "import_csv", _slow_import(started))
    wizard = open_wizard(HUBSPOT)
    for _ in range(3):
        _click(qtbot, wizard, NEXT)
    _click(qtbot, wizard, COMMIT)
    page = wizard.run_page
    qtbot.waitUntil(started.is_set)
    # The window answers while the import runs: the cancel button can be clicked.
    assert page.is_running()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    assert not wizard.button(NEXT).isEnabled()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_running(), timeout=10_000)

    assert page.message.message() == CANCELLED_MESSAGE
    assert wizard.currentId() == Step.RUN
    assert lead_count(ctx) == 0
    assert wizard.button(CANCEL).text().replace("&", "") == "Close"


@CANCEL_LEAK
def test_closing_the_wizard_during_an_import_cancels_it_first(qtbot, ctx, open_wizard, monkeypatch):
    started = threading.Event()
    monkeypatch.setattr(worker_module, "import_csv", _slow_import(started))
    wizard = open_wizard(HUBSPOT)
    for _ in range(3):
        _click(qtbot, wizard, NEXT)
    _click(qtbot, wizard, COMMIT)
    qtbot.waitUntil(started.is_set)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert wizard.isVisible()  # still running: it closes once the import stopped
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
    assert lead_count(ctx) == 0


def test_pages_fit_at_900_by_640(qtbot, open_wizard):
    wizard = open_wizard(HUBSPOT)
    wizard.resize(900, 640)
    for step in (Step.FILE, Step.SETTINGS, Step.MAPPING, Step.POLICY):
        assert wizard.currentId() == step
        page = wizard.currentPage()
        hint = page.minimumSizeHint()
        assert hint.width() <= page.width(), step
        assert hint.height() <= page.height(), step
        if step != Step.POLICY:
            wizard.next()


def test_ctrl_i_opens_the_wizard_from_the_main_window(qtbot, runner):
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    seen: list[str] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ImportWizard):
            seen.append(dialog.windowTitle())
            dialog.reject()
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["Import leads"]


def test_a_path_given_up_front_is_read_at_once(open_wizard):
    wizard = open_wizard(Path(HUBSPOT))
    assert wizard.file_page.path_edit.text() == str(HUBSPOT)
    assert wizard.session.fmt is not None
