"""The window LeadDesk opens when the damage is where the board must read (it cannot show it).

The damaged-database banner with its two ways out, a plain explanation and a
File menu; once a restore has made the database whole, ``recovered`` asks the
application to open the normal window in its place.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from leaddesk.operations.changes import Changes
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.safety.database_banner import DatabaseRecovery, attach_database_banner

EXPLANATION = (
    "LeadDesk cannot show the leads: part of the database cannot be read.\n\n"
    "Restore the latest backup to go back to it (the damaged file is kept beside the "
    "backups), or export what can be read: a database with every row that can still be "
    "read, which you can then restore (From file…), and a CSV file of the leads."
)


class RecoveryWindow(QMainWindow):
    """Banner, explanation and menu; nothing here reads a lead."""

    recovered = Signal()

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setObjectName("recoveryWindow")
        self.setWindowTitle("Damaged database")  # the application name is added
        explanation = QLabel(EXPLANATION)
        explanation.setObjectName("recoveryExplanation")
        explanation.setWordWrap(True)
        explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        explanation.setContentsMargins(48, 24, 48, 24)
        self.setCentralWidget(explanation)
        self.recovery: DatabaseRecovery = attach_database_banner(self, runner)
        # The restore's "Restored the database from …", for the window that follows.
        self.last_message = ""
        self.recovery.message.connect(lambda text: setattr(self, "last_message", text))
        database = QLabel(runner.ctx.db.display_url)
        database.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(database)
        self._build_menu()
        runner.changed.connect(self._on_changed)
        self.resize(900, 520)

    def _build_menu(self) -> None:
        restore = QAction("&Restore the latest backup…", self)
        restore.setShortcut(QKeySequence("Ctrl+Shift+R"))
        restore.triggered.connect(self.recovery.restore_latest)
        export = QAction("&Export what can be read…", self)
        export.setShortcut(QKeySequence("Ctrl+E"))
        export.triggered.connect(lambda: self.recovery.export_readable())
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu("&File")
        for action in (restore, export):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

    def _on_changed(self, _changes: Changes) -> None:
        if self.runner.ctx.db.refusal is None:
            # After the restore's dialog has finished with this window.
            QTimer.singleShot(0, self, self.recovered.emit)
