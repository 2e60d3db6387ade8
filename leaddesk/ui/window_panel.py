"""The lead panel beside the board: its dock, its View menu entry, following the selection.

Owns the dock; the window hands it the board (whose selection it follows) and
the agenda's dock (the two share a tab). Nothing here imports the window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from leaddesk.ui.board.view import BoardWidget
from leaddesk.ui.lead_form.panel import LeadPanelDock
from leaddesk.ui.runner import OperationRunner

# The lead panel beside the board is shown from the start on screens this wide.
LEAD_PANEL_MIN_SCREEN_WIDTH = 1200


class LeadPanelHost(QObject):
    """Shows the selected card's lead in the dock on the right."""

    def __init__(
        self,
        runner: OperationRunner,
        window: QMainWindow,
        board: BoardWidget,
        view_menu: QMenu,
        agenda_dock: QDockWidget | None,
    ) -> None:
        super().__init__(window)
        self._board = board
        self.dock = LeadPanelDock(runner, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        if agenda_dock is not None:
            window.tabifyDockWidget(agenda_dock, self.dock)
            agenda_dock.raise_()
        screen = window.screen()
        if screen is None or screen.availableGeometry().width() < LEAD_PANEL_MIN_SCREEN_WIDTH:
            # No room beside the board: hidden until asked for (View > Lead panel).
            self.dock.hide()
        toggle = self.dock.toggleViewAction()
        toggle.setText("&Lead panel")
        toggle.setShortcut(QKeySequence("Ctrl+4"))
        toggle.setToolTip("Show or hide the selected lead beside the board (Ctrl+4)")
        # triggered, not toggled: only when the user asks, not when the window first shows.
        toggle.triggered.connect(self._on_toggled)
        view_menu.addAction(toggle)
        board.lead_selected.connect(self.show_lead)

    def _on_toggled(self, visible: bool) -> None:
        # The panel shares a tab with the agenda: asked for, it comes to the front
        # with the card selected now, instead of opening behind the agenda. The dock
        # is tabbed in only after this signal, so it is raised on the next turn.
        if visible:
            QTimer.singleShot(0, self._bring_forward)

    def _bring_forward(self) -> None:
        self.dock.raise_()
        selected = self._board.selected_lead_ids()
        if selected:
            self.show_lead(selected[0])

    def show_lead(self, lead_id: int) -> None:
        """Show the selected card's lead in the side panel (brought to the front)."""
        if self.dock.isHidden():
            return
        panel = self.dock.panel
        if panel.show_lead(lead_id):
            self.dock.raise_()
        elif (kept := panel.lead_id) is not None:
            # The user stayed with unsaved edits: the board selects that card again (once
            # the click that moved the selection is over), so card and panel agree.
            QTimer.singleShot(0, self, lambda: self._board.select_lead(kept))
