"""The mapping page's list of columns: the wheel scrolls it, each choice says why.

Issue #11: the wheel over an unfocused "Import as" combo box used to change the
choice while the user scrolled the list; columns whose values are not what their
header suggests now say so beside the choice.
"""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox
from wizard_helpers import FIXTURES

from leaddesk.core.csv_import.mapping import KEEP_IN_NOTES
from leaddesk.ui.import_wizard.preview_model import STATUS_COLUMN
from leaddesk.ui.import_wizard.wizard import Step


def _wide_csv(tmp_path: Path) -> Path:
    """Thirty columns: more than the mapping list shows at once."""
    headers = ["First Name", "Email", *(f"Extra {n}" for n in range(28))]
    path = tmp_path / "wide.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(headers)
        writer.writerow(["Ana", "ana@example.com", *(f"v{n}" for n in range(28))])
    return path


def _to_mapping(wizard) -> None:
    while wizard.currentId() < Step.MAPPING:
        wizard.next()


def _wheel(combo: QComboBox, steps: int = -1) -> QWheelEvent:
    """A real wheel event over the middle of ``combo`` (negative: towards the user)."""
    centre = QPointF(combo.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(combo.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(combo, event)
    return event


def test_the_wheel_over_an_unfocused_combo_scrolls_the_list_and_keeps_the_choice(
    qtbot, open_wizard, tmp_path
):
    wizard = open_wizard(_wide_csv(tmp_path))
    _to_mapping(wizard)
    editor = wizard.mapping_page.editor
    bar = editor.verticalScrollBar()
    assert bar.maximum() > 0, "the list must scroll for this test"
    combo = editor.combos[1]  # Email; the first combo has the focus
    assert not combo.hasFocus()
    chosen = combo.currentData()

    for _ in range(3):
        _wheel(combo)

    assert combo.currentData() == chosen == "email"
    assert bar.value() > 0
    assert wizard.session.mapping.targets[1] == "email"


def test_the_wheel_changes_a_combo_the_user_focused(qtbot, open_wizard, tmp_path):
    wizard = open_wizard(_wide_csv(tmp_path))
    _to_mapping(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    combo = wizard.mapping_page.editor.combos[1]
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    assert combo.hasFocus()
    chosen = combo.currentIndex()

    _wheel(combo)

    assert combo.currentIndex() != chosen
    # The combos take focus by tab or click, never by the wheel.
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_a_column_whose_values_are_not_its_headers_field_says_why(qtbot, open_wizard):
    wizard = open_wizard(FIXTURES / "pipedrive_labels.csv")
    _to_mapping(wizard)
    editor = wizard.mapping_page.editor
    headers = list(wizard.session.fmt.headers)
    labels = headers.index("Person - Label(s)")
    combo, hint = editor.combos[labels], editor.hints[labels]

    assert combo.currentData() == KEEP_IN_NOTES
    assert combo.currentText() == "Keep in notes"
    assert hint.isVisible()
    assert hint.text() == "Values are not temperatures"
    assert "'Customer, VIP'" in hint.toolTip()
    assert combo.toolTip() == hint.toolTip()
    assert not editor.hints[headers.index("Person - Email - Work")].isVisible()
    assert (
        editor.combos[headers.index("Person - Email - Work")]
        .toolTip()
        .startswith("Matched by its header")
    )

    # Chosen by hand against the values: said too, and the rows keep them in the notes.
    editor.target_chosen.emit(labels, "temperature")
    assert hint.text() == "Most values are not temperatures"
    model = wizard.mapping_page.model
    statuses = [model.index(row, STATUS_COLUMN).data() for row in range(model.rowCount())]
    assert statuses == ["Note", "Note", "Note", "OK"]
    assert "imported with a note" in wizard.mapping_page.summary.text()


def test_an_honorific_title_is_not_the_job_title_on_the_mapping_page(qtbot, open_wizard):
    wizard = open_wizard(FIXTURES / "outlook_title_job_title.csv")
    _to_mapping(wizard)
    editor = wizard.mapping_page.editor
    headers = list(wizard.session.fmt.headers)
    assert editor.combos[headers.index("Title")].currentText() == "Ignore"
    assert editor.hints[headers.index("Title")].text() == "Values are not job titles"
    assert editor.combos[headers.index("Job Title")].currentData() == "job_title"


def test_a_file_with_a_header_and_no_rows_is_refused_on_the_file_page(qtbot, open_wizard):
    wizard = open_wizard(FIXTURES / "header_only.csv")
    page = wizard.file_page
    assert page.message.message() == "The file has column names but no rows of leads below them."
    assert not page.isComplete()
