"""File → Back up… and File → Restore…: a backup now, and the list of backups to restore.

The copy and the check of a backup run on a worker thread with progress (the
window keeps working); only the swap of the database file runs on the UI
thread, with the engine closed, so no read of the window lands in between.
Afterwards every view reads everything again and the undo history is cleared:
its steps describe the database that was replaced.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leaddesk.errors import UserError
from leaddesk.operations.backups import (
    back_up,
    backups_folder,
    prepare_restore_file,
    restore_backup,
    suggested_backup_file,
)
from leaddesk.storage.backup import BackupCancelled, BackupFile, PreparedRestore
from leaddesk.ui.background import BackgroundJob, ProgressCallback, work_running
from leaddesk.ui.flat_table import FlatTableModel, select_only_row
from leaddesk.ui.runner import OperationRunner

BACKUP_FILTER = "LeadDesk backups (*.sqlite3);;All files (*)"


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def taken_text(backup: BackupFile) -> str:
    return backup.taken_at.astimezone().strftime("%a %d %b %Y, %H:%M")


class BackupListModel(FlatTableModel[BackupFile]):
    """The backups in the backup folder, newest first: when, what kind, how big."""

    headers = ("Taken", "Kind", "Size")

    def cell(self, record: BackupFile, column: int, role: int) -> Any:
        """The text of a cell; the file's full path as its tooltip."""
        if role == Qt.ItemDataRole.DisplayRole:
            return (taken_text(record), record.kind.label, size_text(record.size))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(record.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BackupTasks:
    """Runs a backup or a restore's check on a worker thread with a progress dialog."""

    def __init__(self, runner: OperationRunner, parent: QWidget) -> None:
        self.runner = runner
        self.parent = parent
        self.job: BackgroundJob | None = None
        self.progress: QProgressDialog | None = None

    def busy(self) -> bool:
        return self.job is not None and self.job.is_running()

    def start(self, work: Any, text: str, done: Any) -> None:
        job = BackgroundJob(
            work, cancelled_errors=(BackupCancelled,), what="backup", parent=self.parent
        )
        progress = QProgressDialog(text, "Cancel", 0, 1000, self.parent)
        progress.setWindowTitle("Backups")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(job.cancel)
        job.progressed.connect(
            lambda finished, total: progress.setValue(int(finished * 1000 / max(1, total)))
        )
        job.succeeded.connect(done)
        job.failed.connect(lambda message: self.runner.report_error(self.parent, message))
        job.finished.connect(self._finished)
        self.job, self.progress = job, progress
        job.start()

    def _finished(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None


def _back_up_work(runner: OperationRunner, target: Path | None) -> Any:
    def work(progress: ProgressCallback, should_cancel: Any) -> Path:
        return back_up(
            runner.ctx.db.location, target, progress=progress, should_cancel=should_cancel
        )

    return work


def _prepare_work(runner: OperationRunner, source: Path) -> Any:
    def work(_progress: ProgressCallback, _should_cancel: Any) -> PreparedRestore:
        return prepare_restore_file(runner.ctx.db.location, source)

    return work


class BackupsDialog(QDialog):
    """The backups of this database: back up now, or restore one (the current one is kept)."""

    # Emitted with the message shown once a backup or a restore is done (tests wait on it).
    finished_task = Signal(str)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupsDialog")
        self.setWindowTitle("Backups")
        self.runner = runner
        self.tasks = BackupTasks(runner, self)
        self.folder = backups_folder(runner.ctx.db.location)

        self.intro = QLabel(
            f"LeadDesk backs up this database every day and before every upgrade or "
            f"restore, into {self.folder}. Choose a backup and press Restore to go back to it: "
            "the database as it is now is backed up first."
        )
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = BackupListModel(self)
        self.view = QTableView()
        self.view.setObjectName("backupList")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.view.doubleClicked.connect(lambda _index: self.restore_selected())
        self.empty = QLabel("No backups yet: the first daily one is taken soon after start.")
        self.empty.setEnabled(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("&Restore")
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore_selected)
        self.from_file_button = QPushButton("From &file…")
        self.from_file_button.setToolTip("Restore a backup kept somewhere else")
        self.from_file_button.clicked.connect(self.restore_from_file)
        self.back_up_button = QPushButton("&Back up now")
        self.back_up_button.setObjectName("backUpNowButton")
        self.back_up_button.clicked.connect(lambda: self.back_up_now())
        for button in (self.restore_button, self.from_file_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.back_up_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reload()
        self.resize(620, 420)

    def reload(self) -> None:
        from leaddesk.storage.backup import list_backups

        self.model.set_records(list_backups(self.folder))
        if self.model.rowCount():
            select_only_row(self.view, 0)
        self.empty.setVisible(self.model.rowCount() == 0)
        self._update_buttons()

    def selected_backup(self) -> BackupFile | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        idle = not self.tasks.busy()
        self.restore_button.setEnabled(idle and self.selected_backup() is not None)
        self.from_file_button.setEnabled(idle)
        self.back_up_button.setEnabled(idle)

    # -- backing up ------------------------------------------------------------

    def back_up_now(self, target: Path | None = None) -> None:
        self.tasks.start(
            _back_up_work(self.runner, target), "Backing up the database…", self._backed_up
        )
        self._update_buttons()
        self.tasks.job.finished.connect(self._update_buttons)  # type: ignore[union-attr]

    def _backed_up(self, path: object) -> None:
        self.reload()
        self.finished_task.emit(f"Backed up to {path}.")

    # -- restoring ---------------------------------------------------------------

    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is None or self.tasks.busy():
            return
        question = (
            f"Go back to the backup of {taken_text(backup)}?\n\n"
            "Changes made since then are replaced. The database as it is now is backed "
            "up first, so you can restore it again later."
        )
        if self.confirm(question):
            self.start_restore(backup.path)

    def restore_from_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "Restore a backup", str(self.folder), BACKUP_FILTER
        )
        if name and self.confirm(
            f"Replace the database with {Path(name).name}?\n\n"
            "The database as it is now is backed up first."
        ):
            self.start_restore(Path(name))

    def confirm(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Restore",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def start_restore(self, source: Path) -> None:
        if work_running():
            self.runner.report_error(
                self, "Wait for the import, export or backup to finish, then restore."
            )
            return
        self.tasks.start(
            _prepare_work(self.runner, source),
            "Checking the backup…",
            partial(self._swap, source),
        )
        self._update_buttons()
        self.tasks.job.finished.connect(self._update_buttons)  # type: ignore[union-attr]

    def _swap(self, source: Path, prepared: object) -> None:
        assert isinstance(prepared, PreparedRestore)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self.runner.run(restore_backup, prepared)
        finally:
            QGuiApplication.restoreOverrideCursor()
            prepared.discard()  # gone already when the swap succeeded
        if result is None:
            return
        # The undo steps describe the database that was just replaced.
        self.runner.undo_stack.clear()
        self.reload()
        self.finished_task.emit(f"Restored the database from {source.name}.")
        self.accept()


def ask_backup_file(runner: OperationRunner, parent: QWidget) -> Path | None:
    """File → Back up…: where to write (the backup folder under a manual backup's name)."""
    location = runner.ctx.db.location
    try:
        suggested = suggested_backup_file(location, dt.datetime.now(dt.UTC))
        suggested.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (UserError, OSError) as error:
        runner.report_error(parent, str(error))
        return None
    name, _filter = QFileDialog.getSaveFileName(
        parent, "Back up the database", str(suggested), BACKUP_FILTER
    )
    return Path(name) if name else None


def start_backup(runner: OperationRunner, parent: QWidget, target: Path, done: Any) -> BackupTasks:
    """Write a backup to ``target`` on a worker thread; ``done(path)`` once it is verified."""
    tasks = BackupTasks(runner, parent)
    tasks.start(_back_up_work(runner, target), "Backing up the database…", done)
    return tasks
