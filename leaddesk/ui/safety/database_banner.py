"""The bar at the top of the window when the database cannot be changed: damaged or read-only.

A damaged database (found at start, by the daily check, or by a statement that
failed) is shown read-only under a red bar with the two ways out: *Restore the
latest backup* (the restore of File → Restore…, the newest backup chosen) and
*Export what can be read* (the salvage to a CSV file and a database that can be
restored, in the background). A
database that is merely read-only (the file or its folder) gets a quieter bar
saying so. Every write is refused by the database itself; the runner says why
in one sentence (leaddesk/ui/runner.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from leaddesk.errors import DamagedDatabaseError, UserError
from leaddesk.operations.backups import backups_of
from leaddesk.operations.changes import Changes
from leaddesk.ui.background import work_running
from leaddesk.ui.notice_bar import BarColors, NoticeBar
from leaddesk.ui.runner import OperationRunner

DAMAGED_TEXT = (
    "This database is damaged, so LeadDesk changes nothing in it until you restore a backup "
    "or export what can be read."
)
READ_ONLY_TEXT = "Read-only: {reason}"
NOT_SAVED_TEXT = "Not saved: the database is damaged (see the bar at the top of the window)."
NO_BACKUP_SENTENCE = (
    "There is no backup of this database yet; Export what can be read saves all that "
    "can still be read to a database you can restore, and the leads to a CSV file."
)
# Background and text: light, dark.
DAMAGED_COLORS: BarColors = (("#fde2e1", "#7f1d1d"), ("#4c1d1d", "#fecaca"))
READ_ONLY_COLORS: BarColors = (("#e8eef7", "#1e3a5f"), ("#1f2a3a", "#bfdbfe"))


class DatabaseBanner(NoticeBar):
    """One sentence on why nothing can be changed, with the ways out when it is damage."""

    restore_requested = Signal()
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        self.restore_button = QPushButton("Restore the latest backup")
        self.restore_button.setObjectName("restoreLatestButton")
        self.restore_button.setToolTip("Go back to the newest backup of this database")
        self.export_button = QPushButton("Export what can be read…")
        self.export_button.setObjectName("exportReadableButton")
        self.export_button.setToolTip(
            "Save all that can still be read: the leads to a CSV file, everything to a "
            "database you can restore"
        )
        super().__init__(
            "databaseBanner",
            [self.restore_button, self.export_button],
            "Hide the read-only notice",
            parent,
        )
        self.damaged = False
        self.text.setWordWrap(True)
        self.restore_button.clicked.connect(self.restore_requested.emit)
        self.export_button.clicked.connect(self.export_requested.emit)
        self.dismiss_button.setToolTip("Hide")
        self.dismiss_button.clicked.connect(self.hide)

    def show_damaged(self) -> None:
        """The red bar: damaged, with Restore and Export; it cannot be dismissed."""
        self.damaged = True
        self._show(DAMAGED_TEXT, QStyle.StandardPixmap.SP_MessageBoxCritical, DAMAGED_COLORS)
        self.text.setToolTip("Nothing is written to a damaged database, so nothing more is lost.")
        for button in (self.restore_button, self.export_button):
            button.show()
        self.dismiss_button.hide()

    def show_read_only(self, reason: str) -> None:
        """The quiet bar: why the database cannot be changed; reading works."""
        self.damaged = False
        self._show(
            READ_ONLY_TEXT.format(reason=reason),
            QStyle.StandardPixmap.SP_MessageBoxInformation,
            READ_ONLY_COLORS,
        )
        self.text.setToolTip("")
        for button in (self.restore_button, self.export_button):
            button.hide()
        self.dismiss_button.show()

    def _show(self, text: str, icon: QStyle.StandardPixmap, colors: BarColors) -> None:
        self.text.setText(text)
        self.set_icon(icon)
        self.set_colors(colors)
        self.show()


class DatabaseRecovery(QObject):
    """Keeps the banner true to the database, and runs its two ways out.

    Damage found while the window runs (by the daily check, by any read or write,
    on any thread) turns the bar red at once; a write refused for it says so
    there and in the status line rather than in a message box, unless a dialog
    covers the window.
    """

    # A message for the status line ("Saved 1,180 leads to …").
    message = Signal(str)
    # From the thread that found the damage; received on the window's thread.
    _damage_found = Signal()

    def __init__(self, runner: OperationRunner, window: QWidget, banner: DatabaseBanner) -> None:
        super().__init__(window)
        self.runner = runner
        self.window = window
        self.banner = banner
        self.salvage: QObject | None = None
        self._read_only_shown = False
        banner.restore_requested.connect(self.restore_latest)
        banner.export_requested.connect(self.export_readable)
        # Shown again when a write is refused, even after the user hid it.
        runner.refused.connect(self._on_refused)
        # A restore announces everything changed: the bar goes once the new file is whole.
        runner.changed.connect(self._on_changed)
        runner.damage_in_bar = _no_dialog_open
        self._damage_found.connect(self.refresh)
        self._listen_for_damage()
        self.refresh()

    def _listen_for_damage(self) -> None:
        db = self.runner.ctx.db
        found = self._damage_found

        def listener(_error: DamagedDatabaseError) -> None:
            with contextlib.suppress(RuntimeError):  # the window is already gone
                found.emit()

        db.damage_listeners.append(listener)
        self.destroyed.connect(lambda *_args: _discard(db.damage_listeners, listener))

    def _on_refused(self, error: object) -> None:
        self.refresh(again=True)
        if isinstance(error, DamagedDatabaseError):
            self.message.emit(NOT_SAVED_TEXT)

    def refresh(self, *, again: bool = False) -> None:
        """Show the bar the database calls for (the read-only one once, unless ``again``)."""
        refusal = self.runner.ctx.db.refusal
        if isinstance(refusal, DamagedDatabaseError):
            self.banner.show_damaged()
        elif refusal is not None:
            if again or self.banner.damaged or not self._read_only_shown:
                self.banner.show_read_only(str(refusal))
                self._read_only_shown = True
        else:
            self.banner.hide()
            self.banner.damaged = False

    def _on_changed(self, _changes: Changes) -> None:
        self.refresh()

    def restore_latest(self) -> None:
        """The newest backup, through File → Restore…'s dialog: it asks, checks, then swaps."""
        from leaddesk.ui.safety.backups_dialog import BackupsDialog

        try:
            backups = backups_of(self.runner.ctx.db.location)
        except UserError as error:
            self.runner.report_error(self.window, str(error))
            return
        if not backups:
            self.runner.report_error(self.window, NO_BACKUP_SENTENCE)
            return
        if work_running():
            self.runner.report_error(
                self.window, "Wait for the export or backup to finish, then restore."
            )
            return
        dialog = BackupsDialog(self.runner, self.window)
        dialog.finished_task.connect(self.message)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        # The newest backup is selected; the question comes over the list.
        QTimer.singleShot(0, dialog, dialog.restore_selected)

    def export_readable(self, output: object = None) -> None:
        """Save what can be read to a CSV file the user names (``output``: tests)."""
        from pathlib import Path

        from leaddesk.ui.safety.salvage_export import SalvageExport, ask_salvage_file

        if self.salvage is not None:
            return  # one at a time: its progress dialog is showing
        target = output if isinstance(output, Path) else ask_salvage_file(self.window)
        if target is None:
            return
        salvage = SalvageExport(self.runner, self.window, target)
        salvage.done.connect(self.message)
        salvage.destroyed.connect(lambda *_args: setattr(self, "salvage", None))
        self.salvage = salvage
        salvage.start()


def _no_dialog_open() -> bool:
    """Whether the window's own bar is in view: no dialog is covering the window."""
    return QApplication.activeModalWidget() is None


def _discard(
    listeners: list[Callable[[DamagedDatabaseError], None]],
    listener: Callable[[DamagedDatabaseError], None],
) -> None:
    with contextlib.suppress(ValueError):
        listeners.remove(listener)


def attach_database_banner(window: QMainWindow, runner: OperationRunner) -> DatabaseRecovery:
    """Put the banner above the window's central widget; status messages go to its status bar."""
    banner = DatabaseBanner()
    content = window.takeCentralWidget()
    container = QWidget()
    container.setObjectName("databaseBannerContainer")
    layout = QVBoxLayout(container)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    if content is not None:
        layout.addWidget(content, 1)
    window.setCentralWidget(container)
    recovery = DatabaseRecovery(runner, window, banner)
    recovery.message.connect(lambda text: window.statusBar().showMessage(text, 10000))
    return recovery
