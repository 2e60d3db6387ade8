"""The lead table: a sortable list of every lead, with bulk actions on the selection.

Refreshes from the runner's ``changed`` announcements, like the board, and keeps
the selection by lead id across refreshes and sorts. The header's layout (widths,
order, hidden columns, sort) is remembered in the data folder's window.ini.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.operations.changes import Changes
from leaddesk.storage.queries import LeadFilter
from leaddesk.ui.board.search_feedback import EmptySearchOverlay
from leaddesk.ui.menu_button import room_for_menu_arrow
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.table.bulk_actions import BulkActions
from leaddesk.ui.table.header_style import SortArrowStyle
from leaddesk.ui.table.model import COLUMNS, LEAD_ID_ROLE, LeadTableModel

HEADER_KEY = "table/header"
SAVE_DELAY_MS = 400


def table_settings(runner: OperationRunner) -> QSettings:
    """The window's settings file in the data folder (as ui/main_window.py keeps it)."""
    data_dir = runner.ctx.db.location.data_dir
    return QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)


class LeadTableWidget(QWidget):
    """The table, its bulk-action toolbar and context menus."""

    lead_activated = Signal(int)
    lead_selected = Signal(int)
    # How many rows are selected, whenever that may have changed.
    selection_count_changed = Signal(int)
    export_requested = Signal()
    # The "Clear search" link under "No leads match 'xyz'" was clicked.
    clear_search_requested = Signal()

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leadTable")
        self._runner = runner
        self.model = LeadTableModel(runner.ctx.db)
        self.view = QTableView()
        self.view.setObjectName("leadTableView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setAccessibleName("Leads")
        self.view.verticalHeader().hide()
        # Every row as tall: no per-row size queries, so 100,000 rows scroll freely.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        self._header_style = SortArrowStyle()
        self._header_style.setParent(self)
        header.setStyle(self._header_style)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.setSortIndicator(
            [column.key for column in COLUMNS].index(self.model.sort_key),
            Qt.SortOrder.DescendingOrder,
        )
        self._default_widths()
        self.view.setSortingEnabled(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._row_menu)
        self.view.activated.connect(
            lambda index: self.lead_activated.emit(index.data(LEAD_ID_ROLE))
        )

        self.actions_ = BulkActions(runner, self, self.selected_lead_ids)
        self.actions_.export_requested.connect(self.export_requested)
        self.actions_.open_requested.connect(self.lead_activated)
        self.toolbar = self._build_toolbar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        # As on the board: a search that finds nothing says so, with a way out.
        self.empty_search = EmptySearchOverlay(self.view)
        self.empty_search.clear_requested.connect(self.clear_search_requested)

        self._pending: Changes | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._apply_pending)
        runner.changed.connect(self._on_changed)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_state)
        self.restore_state()
        self.model.reload()
        self._show_empty_search()
        for signal in (header.sectionResized, header.sectionMoved):
            signal.connect(lambda *_args: self._save_timer.start())
        header.sortIndicatorChanged.connect(lambda *_args: self._save_timer.start())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        # A reset clears the selection without a selectionChanged.
        self.model.modelReset.connect(self._selection_changed)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self._selection_changed()

    def _build_toolbar(self) -> QToolBar:
        toolbar = QToolBar("Bulk actions")
        toolbar.setObjectName("tableToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.menu_buttons: list[QToolButton] = []
        for menu in (self.actions_.move_menu, self.actions_.assign_menu):
            button = QToolButton()
            # The menu's own action: the button is enabled when the menu is.
            button.setDefaultAction(menu.menuAction())
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            room_for_menu_arrow(button)
            toolbar.addWidget(button)
            self.menu_buttons.append(button)
        toolbar.addAction(self.actions_.follow_up_action)
        toolbar.addAction(self.actions_.log_action)
        toolbar.addAction(self.actions_.export_action)
        toolbar.addAction(self.actions_.delete_action)
        return toolbar

    def _default_widths(self) -> None:
        widths = {"Name": 180, "Company": 160, "Score": 60, "Temperature": 95, "Stage": 105}
        for section, column in enumerate(COLUMNS):
            self.view.setColumnWidth(section, widths.get(column.title, 130))

    # -- filter and refresh ------------------------------------------------

    @property
    def lead_filter(self) -> LeadFilter:
        return self.model.lead_filter

    def set_filter(self, lead_filter: LeadFilter) -> None:
        if lead_filter != self.model.lead_filter:
            selected = self.selected_lead_ids()
            self.model.set_filter(lead_filter)
            self.select_leads(selected)
            self._show_empty_search()

    def _show_empty_search(self) -> None:
        search = self.model.lead_filter.search
        if search and self.model.rowCount() == 0:
            self.empty_search.show_for(search)
        else:
            self.empty_search.hide()

    def _on_changed(self, changes: Changes) -> None:
        # Coalesced, as on the board: a burst of changes refreshes once.
        self._pending = changes if self._pending is None else self._pending | changes
        self._refresh_timer.start()

    def _apply_pending(self) -> None:
        changes, self._pending = self._pending, None
        if changes is None:
            return
        selected = self.selected_lead_ids()
        current = self.current_lead_id()
        before = self.model.lead_ids
        self.model.reload(forget=changes.leads)
        if self.model.lead_ids != before:
            self.select_leads(selected, current)
        self.model.refresh_rows(changes.updated)
        self._show_empty_search()

    def flush(self) -> None:
        """Apply announced changes now (tests, and before reading the table)."""
        if self._refresh_timer.isActive():
            self._refresh_timer.stop()
            self._apply_pending()

    # -- selection -----------------------------------------------------------

    def _selected_rows(self) -> list[int]:
        """The selected rows, read from the selection's ranges (whole rows: SelectRows).

        QItemSelectionModel.selectedRows() asks about every cell of every row:
        seconds, on each selection change, once thousands of rows are selected.
        """
        selection = self.view.selectionModel()
        if selection is None:
            return []
        rows: set[int] = set()
        ranges = selection.selection()
        for index in range(ranges.count()):
            selected = ranges.at(index)
            rows.update(range(selected.top(), selected.bottom() + 1))
        return sorted(rows)

    def selected_lead_ids(self) -> list[int]:
        rows = self._selected_rows()
        return [self.model.lead_id_at(row) for row in rows if row < self.model.rowCount()]

    def current_lead_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.lead_id_at(index.row()) if index.isValid() else None

    def select_leads(self, lead_ids: Iterable[int], current: int | None = None) -> None:
        """Select these leads (those still shown), in as few ranges as rows allow."""
        rows = sorted(r for i in lead_ids if (r := self.model.row_of(i)) is not None)
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        start = previous = None
        for row in [*rows, None]:
            if row is not None and previous is not None and row == previous + 1:
                previous = row
                continue
            if start is not None and previous is not None:
                selection.select(self.model.index(start, 0), self.model.index(previous, last))
            start = previous = row
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        model = self.view.selectionModel()
        model.select(selection, flags)
        row = self.model.row_of(current) if current is not None else (rows[0] if rows else None)
        if row is not None:
            model.setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def select_lead(self, lead_id: int) -> None:
        self.select_leads([lead_id], lead_id)
        if (row := self.model.row_of(lead_id)) is not None:
            self.view.scrollTo(self.model.index(row, 0))

    def selected_count(self) -> int:
        return len(self._selected_rows())

    def _selection_changed(self, *_args: object) -> None:
        count = self.selected_count()
        self.actions_.set_enabled(count)
        self.selection_count_changed.emit(count)

    def _current_changed(self, current: object, _previous: object) -> None:
        if (lead_id := self.current_lead_id()) is not None:
            self.lead_selected.emit(lead_id)

    # -- menus -----------------------------------------------------------------

    def _row_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if index.isValid() and not self.view.selectionModel().isRowSelected(index.row()):
            self.select_leads(
                [self.model.lead_id_at(index.row())], self.model.lead_id_at(index.row())
            )
        menu = self.actions_.context_menu()
        menu.exec(self.view.viewport().mapToGlobal(position))
        menu.deleteLater()

    def column_menu(self) -> QMenu:
        """The column chooser: one checkable entry per column (Name always shown)."""
        header = self.view.horizontalHeader()
        menu = QMenu(self)
        for section, column in enumerate(COLUMNS):
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(section))
            action.setEnabled(section != 0)
            action.toggled.connect(self._column_toggler(section))
        return menu

    def _column_toggler(self, section: int) -> Callable[[bool], None]:
        def toggle(shown: bool) -> None:
            self.view.horizontalHeader().setSectionHidden(section, not shown)
            self._save_timer.start()

        return toggle

    def _header_menu(self, position: QPoint) -> None:
        menu = self.column_menu()
        menu.exec(self.view.horizontalHeader().mapToGlobal(position))
        menu.deleteLater()

    # -- state -------------------------------------------------------------------

    def save_state(self) -> None:
        settings = table_settings(self._runner)
        settings.setValue(HEADER_KEY, self.view.horizontalHeader().saveState())
        settings.sync()

    def restore_state(self) -> None:
        state = table_settings(self._runner).value(HEADER_KEY)
        header = self.view.horizontalHeader()
        if isinstance(state, QByteArray) and not state.isEmpty() and header.restoreState(state):
            section = header.sortIndicatorSection()
            if 0 <= section < len(COLUMNS):
                self.model.sort_key = COLUMNS[section].key
                self.model.descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
