"""The result page lists rows matched to a lead and why; skipped ones can be imported anyway."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from wizard_helpers import lead_count

from leaddesk.ui.import_wizard import Step

DUPLICATES = Path(__file__).resolve().parents[2] / "fixtures" / "csv" / "duplicates"
NEXT = QWizard.WizardButton.NextButton
COMMIT = QWizard.WizardButton.CommitButton


def _run_to_result(qtbot, wizard) -> None:
    while wizard.currentId() < Step.RUN:
        qtbot.mouseClick(
            wizard.button(COMMIT if wizard.currentId() == Step.POLICY else NEXT),
            Qt.MouseButton.LeftButton,
        )
    qtbot.waitUntil(lambda: wizard.currentId() == Step.RESULT, timeout=10_000)


def _table(page) -> list[list[str]]:
    model = page.duplicates_model
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_colleagues_are_all_imported_and_listed_as_possible_duplicates(
    qtbot, qtmodeltester, ctx, open_wizard
):
    wizard = open_wizard(DUPLICATES / "colleagues_switchboard.csv")
    _run_to_result(qtbot, wizard)
    page = wizard.result_page
    qtmodeltester.check(page.duplicates_model)

    assert lead_count(ctx) == 4
    assert (page.counts["created"].text(), page.counts["skipped"].text()) == ("4", "0")
    assert page.counts["possible_duplicates"].text() == "3"
    assert _table(page) == [
        [
            "3",
            "Hanna Berg",
            "Anna Berg (#1)",
            "same phone, different email",
            "New lead (possible duplicate) (#2)",
        ],
        [
            "4",
            "Bo Lind",
            "Anna Berg (#1)",
            "same phone, different email",
            "New lead (possible duplicate) (#3)",
        ],
        [
            "5",
            "Cleo Park",
            "Anna Berg (#1)",
            "same phone, different email",
            "New lead (possible duplicate) (#4)",
        ],
    ]
    page.duplicates_view.selectAll()
    assert not page.anyway_button.isEnabled()  # nothing was skipped


def test_a_skipped_row_is_listed_imported_anyway_and_undone_with_the_import(
    qtbot, qtmodeltester, ctx, open_wizard, runner, monkeypatch, tmp_path
):
    wizard = open_wizard(DUPLICATES / "same_person_twice.csv")
    _run_to_result(qtbot, wizard)
    page = wizard.result_page
    assert _table(page) == [["3", "Jurgen Schafer", "Jürgen Schäfer (#1)", "same email", "Skipped"]]
    assert page.tabs.tabText(0) == "Duplicates (1)"
    assert not page.anyway_button.isEnabled()  # nothing selected yet

    # The report holds the skipped row as it was, with why.
    report = tmp_path / "report.csv"
    monkeypatch.setattr(page, "ask_report_path", lambda: report)
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    with open(report, encoding="utf-8-sig", newline="") as stream:
        assert list(csv.reader(stream))[1][-2:] == ["3", "Skipped: same email as lead 1"]

    qtbot.mouseClick(page.select_skipped_button, Qt.MouseButton.LeftButton)
    assert page.anyway_button.isEnabled()
    announced = []
    runner.changed.connect(announced.append)
    qtbot.mouseClick(page.anyway_button, Qt.MouseButton.LeftButton)

    assert lead_count(ctx) == 2
    assert [changes.created for changes in announced] == [{2}]
    assert (page.counts["created"].text(), page.counts["skipped"].text()) == ("2", "0")
    assert _table(page)[0][4] == "Imported anyway (#2)"
    assert "undoing this import removes them too" in page.message.message()
    assert not page.anyway_button.isEnabled()
    qtmodeltester.check(page.duplicates_model)

    monkeypatch.setattr(page, "confirm_undo", lambda: True)
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    assert lead_count(ctx) == 0
    assert runner.errors == []
