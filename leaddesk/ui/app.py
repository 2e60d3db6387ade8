"""Start the window: the QApplication, the theme, the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from leaddesk.operations.context import OperationContext
from leaddesk.resources import resource_path
from leaddesk.ui.main_window import MainWindow
from leaddesk.ui.qt_messages import route_qt_messages_to_log
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.theme import apply_theme


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


def run_app(ctx: OperationContext) -> int:
    route_qt_messages_to_log()
    app = create_application()
    window = MainWindow(OperationRunner(ctx))
    window.show()
    from leaddesk.ui.trash_dialog import start_trash_purge

    # Leads in the trash past the trash_days setting (see operations/trash.py).
    start_trash_purge(window.runner, window)
    # Only here, never in tests or screenshots: who is using this copy?
    from leaddesk.ui.first_run import ask_first_run

    ask_first_run(window.runner, window)
    window.start_reminders()
    window.start_daily_backups()
    return app.exec()
