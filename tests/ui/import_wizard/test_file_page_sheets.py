"""The wizard with an Excel workbook: a sheet chooser, and no encoding page to pass."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from wizard_helpers import HUBSPOT, lead_count

from leaddesk.ui.import_wizard.wizard import Step

XLSX = Path(__file__).resolve().parents[2] / "fixtures" / "xlsx"
NEXT = QWizard.WizardButton.NextButton
COMMIT = QWizard.WizardButton.CommitButton


def _click(qtbot, wizard: QWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _read(qtbot, page) -> None:
    """Wait for the sheet being read on its worker thread."""
    qtbot.waitUntil(lambda: not page.is_reading(), timeout=10_000)


def test_a_workbook_of_several_sheets_offers_them_and_reads_the_one_chosen(
    qtbot, open_wizard
) -> None:
    wizard = open_wizard(XLSX / "contacts.xlsx")
    page = wizard.file_page
    assert page.sheet.isVisible()
    assert [page.sheet.itemText(i) for i in range(page.sheet.count())] == [
        "Contacts",
        "Customers",
        "Empty",
    ]
    assert page.summary.text() == ("Excel sheet 'Contacts', 11 columns (header on row 3), 3 rows.")

    # With the keyboard: the arrow keys on the chooser read the next sheet at once.
    page.sheet.setFocus()
    qtbot.keyClick(page.sheet, Qt.Key.Key_Down)
    _read(qtbot, page)
    assert page.summary.text() == "Excel sheet 'Customers', 3 columns (header on row 1), 1 row."
    assert wizard.session.fmt.headers == ("Name", "Email", "Customer since")

    qtbot.keyClick(page.sheet, Qt.Key.Key_Down)
    _read(qtbot, page)
    assert page.message.message() == "The sheet 'Empty' is empty."
    assert not wizard.button(NEXT).isEnabled()
    page.sheet.setFocus()  # disabled while the sheet was read
    qtbot.keyClick(page.sheet, Qt.Key.Key_Up)
    _read(qtbot, page)
    assert wizard.button(NEXT).isEnabled()


def test_a_workbook_skips_the_encoding_page_and_imports_the_chosen_sheet(
    qtbot, ctx, open_wizard
) -> None:
    wizard = open_wizard(XLSX / "contacts.xlsx")
    wizard.file_page.sheet.setCurrentText("Customers")
    wizard.file_page.sheet.activated.emit(wizard.file_page.sheet.currentIndex())
    _read(qtbot, wizard.file_page)
    _click(qtbot, wizard, NEXT)
    assert wizard.currentId() == Step.MAPPING
    preview = wizard.session.preview(wizard.session.mapping)
    assert [row.values.get("email") for row in preview] == ["liam@blue-sky.example"]
    _click(qtbot, wizard, NEXT)
    _click(qtbot, wizard, COMMIT)
    shown: list[str] = []  # the progress line, as the page wrote it for each report
    wizard.run_page.job.progressed.connect(lambda *_: shown.append(wizard.run_page.status.text()))
    qtbot.waitUntil(lambda: wizard.currentId() == Step.RESULT, timeout=10_000)
    assert lead_count(ctx) == wizard.import_result.created == 1
    assert shown[-1] == "Read 1 row of 1 row…"  # a sheet's progress is in rows, not MB
    # Back from the mapping page of a workbook is the file page again.
    assert wizard.visitedIds()[:2] == [Step.FILE, Step.MAPPING]


def test_one_sheet_or_a_csv_file_shows_no_chooser(qtbot, open_wizard) -> None:
    wizard = open_wizard(XLSX / "header_only.xlsx")
    assert not wizard.file_page.sheet.isVisible()
    wizard.file_page.set_path(HUBSPOT)
    assert not wizard.file_page.sheet.isVisible()
    _click(qtbot, wizard, NEXT)
    assert wizard.currentId() == Step.SETTINGS
