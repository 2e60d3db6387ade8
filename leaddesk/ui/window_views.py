"""The window's centre: the board, or the lead table in its place (View → Table).

Owns the stack, the table (created the first time it is shown) and the action
that switches to it; the table follows the board's search and "My leads" filter.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QStackedWidget, QWidget

from leaddesk.ui.board.view import BoardWidget
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.table.view import LeadTableWidget


class ViewSwitcher(QStackedWidget):
    """The board, and the lead table once asked for."""

    lead_activated = Signal(int)
    lead_selected = Signal(int)
    export_requested = Signal()
    clear_search_requested = Signal()
    # Rows selected in the table while it is shown (0 on the board), for the status bar.
    selection_count_changed = Signal(int)

    def __init__(
        self, runner: OperationRunner, board: BoardWidget, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.board = board
        self.addWidget(board)
        self.table: LeadTableWidget | None = None
        self._table_actions: list[QAction] = []
        self.table_action = QAction("T&able", self, checkable=True)
        self.table_action.setShortcut(QKeySequence("Ctrl+5"))
        self.table_action.setToolTip("Every lead in a sortable table, with bulk actions (Ctrl+5)")

    def share_with_table(self, action: QAction) -> None:
        """A window action (Escape clears the search) that works in the table too."""
        self._table_actions.append(action)
        if self.table is not None:
            self.table.addAction(action)

    def join(self, group: QActionGroup) -> None:
        """One of the View menu's exclusive choices (board by temperature, by stage)."""
        group.addAction(self.table_action)
        group.triggered.connect(lambda _action: self.show_table(self.table_action.isChecked()))

    def show_table(self, shown: bool) -> None:
        """The lead table in place of the board (created the first time it is shown)."""
        if shown and self.table is None:
            self.table = LeadTableWidget(self._runner)
            self.table.lead_activated.connect(self.lead_activated)
            self.table.lead_selected.connect(self.lead_selected)
            self.table.export_requested.connect(self.export_requested)
            self.table.clear_search_requested.connect(self.clear_search_requested)
            self.table.selection_count_changed.connect(self._table_selection)
            self.table.addActions(self._table_actions)
            self.addWidget(self.table)
            self.filter_table()
        self.table_action.setChecked(shown)
        self.setCurrentWidget(self.table if shown and self.table else self.board)
        self._table_selection(self.table.selected_count() if self.table is not None else 0)

    def _table_selection(self, count: int) -> None:
        self.selection_count_changed.emit(count if self.table_shown else 0)

    @property
    def table_shown(self) -> bool:
        return self.table is not None and self.currentWidget() is self.table

    def filter_table(self) -> None:
        # The table shows what the board would: the same search and "My leads".
        if self.table is not None:
            self.table.set_filter(self.board.lead_filter)

    def selected_ids(self) -> list[int]:
        if self.table is not None and self.table_shown:
            return self.table.selected_lead_ids()
        return self.board.selected_lead_ids()

    def save_state(self) -> None:
        if self.table is not None:
            self.table.save_state()
