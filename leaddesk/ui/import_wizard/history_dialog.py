"""File → Import history…: past imports, each with Undo while it can still be undone.

Undo is the same operation as ``leaddesk undo-import`` (operations/importing
undo_import); it runs on a worker thread (a large import takes a while to take
back) and the board refreshes from the changes it announces.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QWidget,
)

from leaddesk.operations.changes import Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import undo_import
from leaddesk.storage.import_history import ImportRecord, import_history
from leaddesk.ui.background import BackgroundJob, ProgressCallback
from leaddesk.ui.flat_table import FlatTableModel, lay_out_list_dialog, select_only_row
from leaddesk.ui.import_wizard.widgets import MessageLine
from leaddesk.ui.runner import OperationRunner

_COUNTS = ("created", "updated", "skipped", "rejected")


def local_text(moment: dt.datetime) -> str:
    """A moment in the user's local time and locale, to the minute."""
    local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp())).toLocalTime()
    # Month as a word: "6/12/2026" reads as June in one country and December in another.
    return QLocale().toString(local, "d MMM yyyy, HH:mm")


def status_text(record: ImportRecord) -> str:
    if record.undone_at is not None:
        return f"Undone {local_text(record.undone_at)}"
    if record.can_undo:
        return "Can be undone"
    if record.changed_since:
        return "Leads changed since: cannot be undone"
    return "Nothing to undo"


class ImportHistoryModel(FlatTableModel[ImportRecord]):
    """A read-only table of past imports, newest first."""

    headers = ("File", "When", "New", "Updated", "Skipped", "Rejected", "Status")

    def cell(self, record: ImportRecord, column: int, role: int) -> Any:
        """Text per column; counts right-aligned; the import's number as the file's tooltip."""
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return record.file_name
            if column == 1:
                return local_text(record.started_at)
            if column < 6:
                return QLocale().toString(getattr(record, _COUNTS[column - 2]))
            return status_text(record)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            by = f" by {record.created_by}" if record.created_by else ""
            return f"Import {record.batch_id}{by}"
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= column < 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _load_history(
    ctx: OperationContext, _progress: ProgressCallback, _cancelled: Any
) -> list[ImportRecord]:
    # Whether each import can still be undone asks about every lead it touched:
    # a moment for a large import, read off the UI thread.
    with ctx.db.reading() as connection:
        return import_history(connection)


def _run_undo(
    ctx: OperationContext, batch_id: int, _progress: ProgressCallback, _cancelled: Any
) -> Outcome[None]:
    # One transaction: it lands whole or not at all, so there is nothing to cancel half-way.
    return undo_import(ctx, batch_id)


class ImportHistoryDialog(QDialog):
    """The past imports, with Undo for the selected one."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.job: BackgroundJob | None = None
        self.loader: BackgroundJob | None = None
        self.setObjectName("importHistory")
        self.setWindowTitle("Import history")
        self.resize(860, 420)
        self.model = ImportHistoryModel(self)
        self.view = QTableView()
        self.view.setObjectName("importHistoryTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAccessibleName("Past imports")
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.undo_button = QPushButton("&Undo import…")
        self.undo_button.setObjectName("undoSelectedImport")
        self.undo_button.setToolTip(
            "Remove the leads the import created and restore the fields it changed"
        )
        self.undo_button.clicked.connect(self.undo_selected)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no steps to count: undo is one transaction
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.message = MessageLine()
        lay_out_list_dialog(
            self, [self.view, self.message], [self.undo_button, self.busy], stretch=[self.view]
        )
        self.reload()

    def reload(self) -> None:
        """Read the history again, off the UI thread; the table fills in when it is read."""
        self.loader = BackgroundJob(
            partial(_load_history, self.runner.ctx), what="reading the import history", parent=self
        )
        self.loader.succeeded.connect(self._show_records)
        self.loader.failed.connect(self.message.show_error)
        self.loader.start()

    def is_loading(self) -> bool:
        return self.loader is not None and self.loader.is_running()

    def _show_records(self, records: list[ImportRecord]) -> None:
        self.model.set_records(records)
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(0, min(self.view.columnWidth(0), 260))
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        if self.model.rowCount():
            select_only_row(self.view, 0)
        self._update_buttons()

    def selected(self) -> ImportRecord | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        record = self.selected()
        running = self.job is not None and self.job.is_running()
        self.undo_button.setEnabled(not running and record is not None and record.can_undo)

    def confirm_undo(self, record: ImportRecord) -> bool:
        """Ask before undoing (replaceable in tests)."""
        answer = QMessageBox.question(
            self,
            "Undo import",
            f"Undo the import of {record.file_name}: remove its {record.created:,} new leads "
            f"and restore the {record.updated:,} it updated?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def undo_selected(self) -> None:
        record = self.selected()
        if record is None or not record.can_undo or not self.confirm_undo(record):
            return
        self.message.clear()
        self.job = BackgroundJob(
            partial(_run_undo, self.runner.ctx, record.batch_id),
            what=f"undo of import {record.batch_id}",
            parent=self,
        )
        self.job.succeeded.connect(partial(self._on_undone, record))
        self.job.failed.connect(self.message.show_error)
        self.job.finished.connect(self._on_finished)
        self.busy.show()
        self.job.start()
        self._update_buttons()

    def _on_undone(self, record: ImportRecord, outcome: Outcome[None]) -> None:
        changes = outcome.changes
        self.runner.announce(changes)
        self.message.show_info(
            f"The import of {record.file_name} was undone: {len(changes.deleted):,} leads "
            f"removed, {len(changes.updated):,} restored."
        )

    def _on_finished(self) -> None:
        self.busy.hide()
        self.reload()

    def done(self, result: int) -> None:
        if self.loader is not None:
            self.loader.wait()  # a read: over in a moment, and nothing to undo
        super().done(result)

    def reject(self) -> None:
        """Close waits for an undo under way (it cannot be stopped half-way)."""
        if self.job is not None and self.job.is_running():
            self.message.show_info("Undoing… the window closes when it is done.")
            self.job.finished.connect(super().reject)
            return
        super().reject()

    def closeEvent(self, event: Any) -> None:
        if self.job is not None and self.job.is_running():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
