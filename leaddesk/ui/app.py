"""Start the window: the QApplication, the theme, one window per database, the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from leaddesk.errors import DamagedDatabaseError, UserError
from leaddesk.operations.context import OperationContext
from leaddesk.resources import resource_path
from leaddesk.ui.main_window import MainWindow
from leaddesk.ui.qt_messages import route_qt_messages_to_log
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.safety.database_banner import DatabaseRecovery, attach_database_banner
from leaddesk.ui.safety.integrity_watch import IntegrityWatch
from leaddesk.ui.safety.recovery_window import RecoveryWindow
from leaddesk.ui.safety.single_instance import Answer, InstanceServer, claim
from leaddesk.ui.theme import apply_theme, theme_choice


def create_application(argv: list[str] | None = None, theme: str = "system") -> QApplication:
    existing = QCoreApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("LeadDesk")
    app.setOrganizationName("LeadDesk")
    app.setApplicationDisplayName("LeadDesk")
    icon = resource_path("icons/leaddesk.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    apply_theme(app, theme)
    return app


def open_elsewhere_sentence(database: str) -> str:
    return (
        f"The database {database} is open in another LeadDesk window that does not "
        "answer; close that window (or end its process) and try again."
    )


def build_window(runner: OperationRunner) -> tuple[QMainWindow, DatabaseRecovery]:
    """The main window with its database banner; the recovery window when it cannot be built.

    A damaged page where the board reads at start (the column counts read every
    lead) makes the main window impossible; the recovery window still offers
    the restore and the export.
    """
    try:
        window = MainWindow(runner)
    except DamagedDatabaseError:
        # The database is marked damaged now (Database remembers what a read found).
        recovery_window = RecoveryWindow(runner)
        return recovery_window, recovery_window.recovery
    return window, attach_database_banner(window, runner)


class WindowShell(QObject):
    """The one window of this process: raised when a second start asks, replaced after repair."""

    def __init__(self, runner: OperationRunner, interactive: bool = True) -> None:
        super().__init__()
        self.runner = runner
        self.interactive = interactive
        self.watch: IntegrityWatch | None = None
        self.window = self._open()

    def _open(self) -> QMainWindow:
        window, self.recovery = build_window(self.runner)
        window.show()
        if isinstance(window, RecoveryWindow):
            window.recovered.connect(self._recovered)
        elif isinstance(window, MainWindow) and self.interactive:
            self._start_background(window)
        return window

    def _start_background(self, window: MainWindow) -> None:
        writable = self.runner.ctx.db.refusal is None
        if writable:
            from leaddesk.ui.trash_dialog import start_trash_purge

            # Leads in the trash past the trash_days setting (see operations/trash.py).
            start_trash_purge(window.runner, window)
            # Only here, never in tests or screenshots: who is using this copy?
            from leaddesk.ui.first_run import ask_first_run

            ask_first_run(window.runner, window)
        window.start_reminders()
        window.watch_outside_changes()
        if writable:
            window.start_daily_backups()
        if self.runner.ctx.db.dialect == "sqlite":
            self.watch = IntegrityWatch(self.runner, window)
            self.watch.damaged.connect(lambda _error: self.recovery.refresh())
            self.watch.start()

    def _recovered(self) -> None:
        """A restore made the database whole: the normal window takes the recovery one's place."""
        old = self.window
        self.window = self._open()
        if isinstance(old, RecoveryWindow) and old.last_message:
            self.window.statusBar().showMessage(old.last_message, 10000)
        old.close()
        old.deleteLater()

    def bring_forward(self) -> None:
        window = self.window
        if window.isMinimized():
            window.showNormal()
        else:
            window.show()
        window.raise_()
        window.activateWindow()


def claim_window(runner: OperationRunner) -> InstanceServer | None:
    """This process's claim on its database's window: None when another window came forward.

    Raises UserError (after saying so in a message box) when the database is open
    in a window that does not answer.
    """
    db = runner.ctx.db
    claimed = claim(db.location.url)
    if isinstance(claimed, InstanceServer):
        return claimed
    if claimed is Answer.RAISED:
        return None
    sentence = open_elsewhere_sentence(db.display_url)
    QMessageBox.warning(None, "LeadDesk", sentence)
    raise UserError(sentence)


def run_app(ctx: OperationContext, theme: str | None = None) -> int:
    """The window until it closes; ``theme`` (from --theme) over Settings → Appearance."""
    route_qt_messages_to_log()
    app = create_application(theme=theme or theme_choice(ctx.db.location.data_dir))
    runner = OperationRunner(ctx)
    instance = claim_window(runner)
    if instance is None:
        return 0  # the window already open on this database came forward
    shell = WindowShell(runner)
    instance.raise_requested.connect(shell.bring_forward)
    try:
        return app.exec()
    finally:
        if shell.watch is not None:
            shell.watch.shutdown()
        instance.close()
