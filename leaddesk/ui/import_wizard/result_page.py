"""Step 6: what the import did, the error report, and undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from leaddesk.errors import UserError
from leaddesk.operations.importing import ImportResult, undo_import
from leaddesk.ui.import_wizard.widgets import MessageLine
from leaddesk.ui.runner import OperationRunner

UNDONE_MESSAGE = "The import was undone: its new leads were removed and changed fields restored."


def _count(number: int) -> str:
    return f"{number:,}"


class ResultPage(QWizardPage):
    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.result: ImportResult | None = None
        self.file_name = ""
        self.setTitle("Import finished")
        self.setFinalPage(True)

        self.counts: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label in (
            ("created", "New leads:"),
            ("updated", "Updated leads:"),
            ("skipped", "Skipped duplicates:"),
            ("rejected", "Rejected rows:"),
            ("noted", "Imported with a note:"),
            ("warnings", "Imported with a warning:"),
        ):
            value = QLabel("0")
            value.setObjectName(f"count_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.counts[key] = value
            form.addRow(label, value)

        self.rejected_list = QTreeWidget()
        self.rejected_list.setObjectName("rejectedRows")
        self.rejected_list.setHeaderLabels(["Line", "Reason"])
        self.rejected_list.setRootIsDecorated(False)
        self.rejected_list.setUniformRowHeights(True)
        self.rejected_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.rejected_list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.rejected_list.setAccessibleName("Rejected rows")
        self.rejected_label = QLabel("Rejected rows (the first ones):")

        self.report_button = QPushButton("Save &error report…")
        self.report_button.setObjectName("saveErrorReport")
        self.report_button.setToolTip(
            "The rejected rows and those imported with a note, as they were, with line and reason"
        )
        self.report_button.clicked.connect(self.save_error_report)
        self.undo_button = QPushButton("&Undo this import")
        self.undo_button.setObjectName("undoImport")
        self.undo_button.setToolTip("Remove the leads it created and restore the fields it changed")
        self.undo_button.clicked.connect(self.undo)
        self.message = MessageLine()

        buttons = QHBoxLayout()
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.rejected_label)
        layout.addWidget(self.rejected_list, 1)

    def show_result(self, result: ImportResult, file_name: str) -> None:
        self.result = result
        self.file_name = file_name
        for key, label in self.counts.items():
            label.setText(_count(getattr(result, key)))
        rows = result.created + result.updated + result.skipped + result.rejected
        self.setSubTitle(f"{_count(rows)} rows of {file_name} were read.")
        self.rejected_list.clear()
        for row in result.rejected_sample:
            QTreeWidgetItem(self.rejected_list, [QLocale().toString(row.line_number), row.reason])
        has_rejected = result.rejected > 0
        self.rejected_list.setVisible(has_rejected)
        self.rejected_label.setVisible(has_rejected)
        # The report holds the rows imported with a note too, with what became of them.
        self.report_button.setEnabled(has_rejected or result.noted > 0)
        self.undo_button.setEnabled(
            result.batch_id is not None and bool(result.created or result.updated)
        )
        self.message.clear()

    def initializePage(self) -> None:
        button = self.report_button if self.report_button.isEnabled() else self.undo_button
        button.setFocus()

    # -- actions -----------------------------------------------------------------

    def ask_report_path(self) -> Path | None:
        """Where to save the error report; None if the user cancelled (replaceable in tests)."""
        suggested = f"{Path(self.file_name).stem} - rejected rows.csv"
        path, _filter = QFileDialog.getSaveFileName(
            self, "Save error report", suggested, "CSV files (*.csv)"
        )
        return Path(path) if path else None

    def save_error_report(self) -> None:
        path = self.ask_report_path() if self.result is not None else None
        if self.result is None or path is None:
            return
        try:
            self.result.write_error_report(path)
        except UserError as error:
            self.message.show_error(str(error))
            return
        self.message.show_info(f"The error report was saved to {path}.")

    def confirm_undo(self) -> bool:
        """Ask before undoing (replaceable in tests)."""
        assert self.result is not None
        answer = QMessageBox.question(
            self,
            "Undo import",
            f"Remove the {_count(self.result.created)} new leads and restore the "
            f"{_count(self.result.updated)} updated ones as they were before this import?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def undo(self) -> None:
        if self.result is None or self.result.batch_id is None or not self.confirm_undo():
            return
        if self.runner.run(undo_import, self.result.batch_id) is None:
            return  # the runner told the user why
        self.undo_button.setEnabled(False)
        self.message.show_info(UNDONE_MESSAGE)
