"""Puts the agenda, the reminder banner, the tray and the reminder timer into the window.

Kept out of main_window.py so the window gains one line per hook: build this
before restoring the window state (the dock's place is part of it), start the
reminders once the window is shown, and ask it whether closing only hides.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QTabBar

from leaddesk.core.agenda import sla_minutes_from_settings, system_zone
from leaddesk.operations.changes import Changes
from leaddesk.storage.agenda_queries import still_due
from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.agenda.banner import ReminderBanner, with_banner
from leaddesk.ui.agenda.dock import AgendaDock
from leaddesk.ui.agenda.model import Section
from leaddesk.ui.agenda.reminders import IniWatermarkStore, ReminderScheduler
from leaddesk.ui.agenda.tray import TrayController, keep_in_tray
from leaddesk.ui.runner import OperationRunner

# The board's speed-to-lead countdowns count minutes; repaint a little more often.
SLA_REPAINT_MS = 30_000
DOCK_WIDTH = 380
# The board grouped by stage needs ~750 px; the agenda ~300 beside it.
MIN_SCREEN_WIDTH_FOR_DOCK = 1200


class AgendaIntegration(QObject):
    def __init__(self, window: QMainWindow, runner: OperationRunner, view_menu: QMenu) -> None:
        super().__init__(window)
        self._window = window
        self._runner = runner
        self._data_dir = runner.ctx.db.location.data_dir
        self._quitting = False
        self.zone = system_zone()

        self.dock = AgendaDock(runner, self.zone, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        # Shown from the first start where the board keeps room beside it; the saved
        # window state (restored after this) then remembers the user's own choice.
        screen = window.screen() or QGuiApplication.primaryScreen()
        if screen is None or screen.availableGeometry().width() < MIN_SCREEN_WIDTH_FOR_DOCK:
            self.dock.hide()
        self.dock.panel.lead_activated.connect(self._open_lead)
        self.dock.panel.message.connect(lambda text: window.statusBar().showMessage(text, 6000))
        self.toggle_action = self.dock.toggleViewAction()
        self.toggle_action.setText("&Agenda")
        self.toggle_action.setShortcut(QKeySequence("Ctrl+3"))
        self.toggle_action.setToolTip("Show or hide the agenda (Ctrl+3)")
        view_menu.addSeparator()
        view_menu.addAction(self.toggle_action)
        # Docks tabbed with the agenda are raised only once the window is shown:
        # the agenda is what a day starts with, so it comes to the front then.
        QTimer.singleShot(0, self, self._raise_if_tabbed)

        self.banner = ReminderBanner(zone=self.zone)
        self.banner.open_lead.connect(self._open_lead)
        self.banner.show_agenda.connect(self.show_agenda)
        content = window.takeCentralWidget()
        if content is not None:
            window.setCentralWidget(with_banner(self.banner, content))

        self.tray = TrayController(self)
        self.tray.show_window.connect(self.show_window)
        self.tray.open_lead.connect(self._open_lead)
        self.tray.quit_requested.connect(self.quit)
        self.dock.panel.counts_changed.connect(self._on_counts)
        self._on_counts(self.dock.panel.counts)

        self.scheduler = ReminderScheduler(runner, IniWatermarkStore(self._data_dir), parent=self)
        self.scheduler.due.connect(self._on_due)

        self._apply_sla_settings()
        runner.changed.connect(self._on_changed)
        self._sla_repaint = QTimer(self)
        self._sla_repaint.setInterval(SLA_REPAINT_MS)
        self._sla_repaint.timeout.connect(self._repaint_board)
        self._sla_repaint.start()

    # -- hooks for the window ------------------------------------------------------

    def start_reminders(self) -> None:
        """Announce what came due while closed and arm the timer (the real window only)."""
        self.scheduler.start()

    def hide_instead_of_closing(self) -> bool:
        """True when closing the window should leave LeadDesk running in the tray."""
        return self.tray.available and not self._quitting and keep_in_tray(self._data_dir)

    def shutdown(self) -> None:
        self.scheduler.stop()
        self.tray.hide()

    # -- behaviour -------------------------------------------------------------------

    def show_agenda(self) -> None:
        self.dock.show()
        self._raise_if_tabbed()

    def _raise_if_tabbed(self) -> None:
        """Bring the agenda's tab to the front where another dock shares its place."""
        if not self.dock.isVisible():
            return
        self.dock.raise_()
        # raise_() alone does not switch tabs on every platform; the tab bar does.
        title = self.dock.windowTitle().replace("&", "&&")
        for bar in self._window.findChildren(QTabBar):
            if bar.parent() is self._window:
                for tab in range(bar.count()):
                    if bar.tabText(tab) == title:
                        bar.setCurrentIndex(tab)

    def show_window(self) -> None:
        window = self._window
        window.showNormal() if window.isMinimized() else window.show()
        window.raise_()
        window.activateWindow()

    def quit(self) -> None:
        self._quitting = True
        self._window.close()
        QApplication.quit()

    def _open_lead(self, lead_id: int) -> None:
        opener = getattr(self._window, "open_lead", None)
        if callable(opener):
            opener(lead_id)

    def _on_due(self, follow_up_ids: list[int]) -> None:
        entries = [self.scheduler.entries[i] for i in follow_up_ids if i in self.scheduler.entries]
        if not entries:
            return
        self.banner.show_reminders(entries)
        self.tray.notify(entries)
        self.dock.panel.reload()
        QApplication.alert(self._window)

    def _on_counts(self, counts: dict[str, int]) -> None:
        self.tray.set_overdue(counts.get(Section.OVERDUE, 0))

    def _on_changed(self, changes: Changes) -> None:
        if changes.settings:
            self._apply_sla_settings()
        if self.banner.entries:
            ids = [entry.follow_up_id for entry in self.banner.entries]
            with self._runner.ctx.db.reading() as connection:
                due = still_due(connection, ids, self._runner.ctx.clock.now())
            self.banner.keep_only(due)

    def _apply_sla_settings(self) -> None:
        board = getattr(self._window, "board", None)
        delegate = getattr(board, "delegate", None)
        if delegate is None:
            return
        with self._runner.ctx.db.reading() as connection:
            delegate.sla_minutes = sla_minutes_from_settings(read_settings(connection))
        self._repaint_board()

    def _repaint_board(self) -> None:
        board = getattr(self._window, "board", None)
        if board is not None:
            board.repaint_cards()
