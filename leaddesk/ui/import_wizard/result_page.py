"""Step 6: what the import did, every duplicate it settled and why, the report, and undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from leaddesk.errors import UserError
from leaddesk.operations.importing import DuplicateAction, ImportResult, import_anyway, undo_import
from leaddesk.storage.duplicates import lead_names
from leaddesk.ui.import_wizard.duplicates_model import DuplicatesModel
from leaddesk.ui.import_wizard.widgets import MessageLine
from leaddesk.ui.runner import OperationRunner

UNDONE_MESSAGE = "The import was undone: its new leads were removed and changed fields restored."
COUNTS = (
    ("created", "New leads:"),
    ("updated", "Updated leads:"),
    ("skipped", "Skipped duplicates:"),
    ("rejected", "Rejected rows:"),
    ("noted", "Imported with a note:"),
    ("warnings", "Imported with a warning:"),
    ("possible_duplicates", "Possible duplicates (kept apart):"),
    ("countdowns", "With a first-contact countdown:"),
)


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
        grid = QGridLayout()
        # Two columns of counts: the page fits a small screen with room for the lists.
        for position, (key, label) in enumerate(COUNTS):
            value = QLabel("0")
            value.setObjectName(f"count_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.counts[key] = value
            row, column = position % 4, (position // 4) * 2
            grid.addWidget(QLabel(label), row, column)
            grid.addWidget(value, row, column + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.report_button = QPushButton("Save &report…")
        self.report_button.setObjectName("saveErrorReport")
        self.report_button.setToolTip(
            "The rows rejected, skipped as duplicates or imported with a note, as they "
            "were, with line and reason"
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
        self.tabs = QTabWidget()
        self.tabs.setObjectName("resultTabs")
        self.tabs.addTab(self._build_duplicates_tab(), "Duplicates")
        self.tabs.addTab(self._build_rejected_tab(), "Rejected")
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

    def _build_duplicates_tab(self) -> QWidget:
        tab = QWidget()
        self.duplicates_model = DuplicatesModel(self)
        self.duplicates_view = QTableView()
        self.duplicates_view.setObjectName("duplicateRows")
        self.duplicates_view.setModel(self.duplicates_model)
        self.duplicates_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.duplicates_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.duplicates_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.duplicates_view.verticalHeader().hide()
        self.duplicates_view.setWordWrap(False)
        self.duplicates_view.setAccessibleName("Rows matched to a lead you have")
        header = self.duplicates_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.duplicates_view.selectionModel().selectionChanged.connect(self._update_anyway_button)
        self.duplicates_note = QLabel()
        self.duplicates_note.setWordWrap(True)
        self.select_skipped_button = QPushButton("Select s&kipped")
        self.select_skipped_button.setObjectName("selectSkipped")
        self.select_skipped_button.clicked.connect(self.select_skipped)
        self.anyway_button = QPushButton("Import these &anyway")
        self.anyway_button.setObjectName("importAnyway")
        self.anyway_button.setToolTip(
            "Create the selected skipped rows as new leads, as part of this import "
            "(undoing the import removes them too)"
        )
        self.anyway_button.clicked.connect(self.import_selected_anyway)
        actions = QHBoxLayout()
        actions.addWidget(self.duplicates_note, 1)
        actions.addWidget(self.select_skipped_button)
        actions.addWidget(self.anyway_button)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.duplicates_view, 1)
        layout.addLayout(actions)
        return tab

    def _build_rejected_tab(self) -> QWidget:
        tab = QWidget()
        self.rejected_list = QTreeWidget()
        self.rejected_list.setObjectName("rejectedRows")
        self.rejected_list.setHeaderLabels(["Line", "Reason"])
        self.rejected_list.setRootIsDecorated(False)
        self.rejected_list.setUniformRowHeights(True)
        self.rejected_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.rejected_list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.rejected_list.setAccessibleName("Rejected rows")
        self.rejected_label = QLabel("Rejected rows (the first ones; the report has them all):")
        layout = QVBoxLayout(tab)
        layout.addWidget(self.rejected_label)
        layout.addWidget(self.rejected_list, 1)
        return tab

    def show_result(self, result: ImportResult, file_name: str) -> None:
        self.result = result
        self.file_name = file_name
        self._show_counts()
        rows = result.created + result.updated + result.skipped + result.rejected
        self.setSubTitle(f"{_count(rows)} rows of {file_name} were read.")
        self.rejected_list.clear()
        for row in result.rejected_sample:
            QTreeWidgetItem(self.rejected_list, [QLocale().toString(row.line_number), row.reason])
        with self.runner.ctx.db.reading() as connection:
            names = lead_names(connection, [row.matched_lead for row in result.duplicates_sample])
        self.duplicates_model.set_rows(result.duplicates_sample, names)
        self.duplicates_view.resizeColumnsToContents()
        for column, most in ((1, 200), (2, 220), (3, 280)):
            if self.duplicates_view.columnWidth(column) > most:
                self.duplicates_view.setColumnWidth(column, most)
        shown = len(result.duplicates_sample)
        self.duplicates_note.setText(
            "Rows that matched a lead you have, with why. Select skipped rows to import them."
            if shown == result.duplicate_count
            else f"The first {_count(shown)} of {_count(result.duplicate_count)} rows; "
            "the report has every skipped row."
        )
        self.tabs.setTabText(0, f"Duplicates ({_count(result.duplicate_count)})")
        self.tabs.setTabText(1, f"Rejected ({_count(result.rejected)})")
        self.tabs.setTabEnabled(1, result.rejected > 0)
        self.tabs.setCurrentIndex(0 if result.duplicate_count or not result.rejected else 1)
        self.undo_button.setEnabled(
            result.batch_id is not None and bool(result.created or result.updated)
        )
        self._update_anyway_button()
        self.message.clear()

    def _show_counts(self) -> None:
        assert self.result is not None
        for key, label in self.counts.items():
            label.setText(_count(getattr(self.result, key)))
        # The report holds the rows imported with a note too, with what became of them.
        self.report_button.setEnabled(
            bool(self.result.rejected or self.result.skipped or self.result.noted)
        )
        self.select_skipped_button.setEnabled(
            any(row.action is DuplicateAction.SKIPPED for row in self.result.duplicates_sample)
        )

    def initializePage(self) -> None:
        button = self.report_button if self.report_button.isEnabled() else self.undo_button
        button.setFocus()

    # -- actions -----------------------------------------------------------------

    def _selected_skipped_lines(self) -> list[int]:
        rows = self.duplicates_view.selectionModel().selectedRows()
        chosen = [self.duplicates_model.record_at(index.row()) for index in rows]
        return [
            row.line_number
            for row in chosen
            if row is not None and row.action is DuplicateAction.SKIPPED
        ]

    def _update_anyway_button(self) -> None:
        can_add = self.result is not None and self.result.batch_id is not None
        self.anyway_button.setEnabled(can_add and bool(self._selected_skipped_lines()))

    def select_skipped(self) -> None:
        """Select every skipped row of the list (the ones "Import these anyway" can create)."""
        model = self.duplicates_model
        selection = QItemSelection()
        for row in range(model.rowCount()):
            record = model.record_at(row)
            if record is not None and record.action is DuplicateAction.SKIPPED:
                selection.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
        self.duplicates_view.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.duplicates_view.setFocus()

    def import_selected_anyway(self) -> None:
        lines = self._selected_skipped_lines()
        if self.result is None or not lines:
            return
        if self.runner.run(import_anyway, self.result, lines) is None:
            return  # the runner told the user why
        self._show_counts()
        self.duplicates_model.refresh()
        self.duplicates_view.clearSelection()
        self.undo_button.setEnabled(True)
        self.message.show_info(
            f"{_count(len(lines))} skipped rows were imported as new leads; undoing this "
            "import removes them too."
        )

    def ask_report_path(self) -> Path | None:
        """Where to save the report; None if the user cancelled (replaceable in tests)."""
        suggested = f"{Path(self.file_name).stem} - rows not imported.csv"
        path, _filter = QFileDialog.getSaveFileName(
            self, "Save report of rows not imported", suggested, "CSV files (*.csv)"
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
        self.message.show_info(f"The report was saved to {path}.")

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
        self.anyway_button.setEnabled(False)
        self.select_skipped_button.setEnabled(False)
        self.message.show_info(UNDONE_MESSAGE)
