"""The window's File menu work: import, import history, export, back up, restore.

Owns its actions and the jobs they start (an export, a backup, the daily backups);
what it needs from the window comes in as callables, and what it has to say goes
out through ``message``, so it never imports the window back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from leaddesk.storage.queries import LeadFilter
from leaddesk.ui.runner import OperationRunner


class FileActions(QObject):
    """File → Import…, Import history…, Export…, Export selected…, Back up…, Restore…."""

    # A sentence for the status bar and how long to show it (ms).
    message = Signal(str, int)

    def __init__(
        self,
        runner: OperationRunner,
        window: QWidget,
        *,
        lead_filter: Callable[[], LeadFilter],
        selected_ids: Callable[[], list[int]],
        confirm_leave: Callable[[], bool],
    ) -> None:
        super().__init__(window)
        self.runner = runner
        self._window = window
        self._lead_filter = lead_filter
        self._selected_ids = selected_ids
        self._confirm_leave = confirm_leave
        # The running export and backup, kept alive while their threads work.
        self._export: Any = None
        self._backup: Any = None
        self.daily_backups: Any = None

        self.import_action = QAction("&Import…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.import_csv)
        self.import_history_action = QAction("Import &history…", self)
        self.import_history_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_history_action.triggered.connect(self.show_import_history)

        self.export_action = QAction("&Export…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setToolTip("Export the leads shown (the search applies)")
        self.export_action.triggered.connect(lambda: self.export_csv(selected=False))
        self.export_selected_action = QAction("Export &selected leads…", self)
        self.export_selected_action.triggered.connect(lambda: self.export_csv(selected=True))

        self.backup_action = QAction("&Back up…", self)
        self.backup_action.setShortcut(QKeySequence("Ctrl+B"))
        self.backup_action.setToolTip("Save a verified copy of the database now (Ctrl+B)")
        self.backup_action.triggered.connect(self.back_up)
        self.restore_action = QAction("&Restore…", self)
        self.restore_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.restore_action.setToolTip("Go back to a backup (Ctrl+Shift+R)")
        self.restore_action.triggered.connect(self.open_backups)

    def add_to(self, menu: QMenu) -> None:
        """The File menu's entries above Quit, in the order people look for them."""
        for action in (
            self.import_action,
            self.import_history_action,
            self.export_action,
            self.export_selected_action,
        ):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.backup_action)
        menu.addAction(self.restore_action)

    def import_csv(self) -> None:
        # Imported on first use: the wizard is not needed to start the window.
        from leaddesk.ui.import_wizard import ImportWizard

        wizard = ImportWizard(self.runner, parent=self._window)
        wizard.exec()
        wizard.deleteLater()

    def show_import_history(self) -> None:
        """File → Import history…: past imports, each with Undo while it can be undone."""
        from leaddesk.ui.import_wizard.history_dialog import ImportHistoryDialog

        dialog = ImportHistoryDialog(self.runner, parent=self._window)
        dialog.exec()
        dialog.deleteLater()

    def export_csv(self, *, selected: bool) -> None:
        from leaddesk.ui.export_csv import ExportController, ask_destination

        lead_ids = self._selected_ids() if selected else None
        if selected and not lead_ids:
            self.message.emit("Select the cards to export first.", 4000)
            return
        choice = ask_destination(self._window, Path.home() / "leads.csv")
        if choice is None:
            return
        destination, flavour = choice
        controller = ExportController(
            self.runner.ctx, self._window, destination, flavour, self._lead_filter(), lead_ids
        )
        controller.done.connect(lambda text: self.message.emit(text, 8000))
        # Deleted once its worker thread has ended, not when the result arrives:
        # the thread may still be winding down then.
        controller.job.finished.connect(controller.deleteLater)
        self._export = controller
        controller.start()

    def _backups_available(self) -> bool:
        """False (and the user told why) in team mode: the server keeps the backups."""
        from leaddesk.errors import UserError
        from leaddesk.operations.backups import database_file

        try:
            database_file(self.runner.ctx.db.location)
        except UserError as error:
            self.runner.report_error(self._window, str(error))
            return False
        return True

    def back_up(self) -> None:
        """File → Back up…: a verified copy where the user says (the backup folder proposed)."""
        from leaddesk.ui.safety.backups_dialog import ask_backup_file, start_backup

        if not self._backups_available():
            return
        target = ask_backup_file(self.runner, self._window)
        if target is not None:
            self._backup = start_backup(
                self.runner,
                self._window,
                target,
                lambda path: self.message.emit(f"Backed up to {path}.", 8000),
            )

    def open_backups(self) -> None:
        """File → Restore…: the list of backups; restoring reloads every view."""
        from leaddesk.ui.safety.backups_dialog import BackupsDialog

        if not self._backups_available() or not self._confirm_leave():
            return
        dialog = BackupsDialog(self.runner, self._window)
        dialog.finished_task.connect(lambda text: self.message.emit(text, 8000))
        dialog.exec()
        dialog.deleteLater()

    def start_daily_backups(self) -> None:
        """The daily backup in the background; only the real window starts it."""
        from leaddesk.ui.safety.daily_backup import DailyBackups

        if self.runner.ctx.db.dialect == "sqlite":
            self.daily_backups = DailyBackups(self.runner, self._window)
            self.daily_backups.failed.connect(
                lambda text: self.message.emit(f"The daily backup keeps failing: {text}", 15000)
            )
            self.daily_backups.start()

    def shutdown(self) -> None:
        if self.daily_backups is not None:
            self.daily_backups.shutdown()
