"""The kanban board: one list view per column, a header with count and value."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import BoardGrouping, Stage, Temperature
from leaddesk.core.scoring import ScoreSettings
from leaddesk.operations.leads import move_leads_filling
from leaddesk.operations.undo_support import renumber_scope
from leaddesk.storage.queries import ColumnSummary, LeadFilter, column_summaries
from leaddesk.ui.board.card_menu import CardMenu
from leaddesk.ui.board.column import BoardColumn
from leaddesk.ui.board.delegate import LeadCardDelegate
from leaddesk.ui.board.model import LEAD_ID_ROLE, CardCache, LeadColumnModel
from leaddesk.ui.board.refresh import BoardRefresh
from leaddesk.ui.bulk_job import BulkStep
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.theme import STAGE_COLOR, TEMPERATURE_COLORS

# A move of more cards than this runs off the UI thread with progress and Cancel
# (ui/bulk_job.py); one card moves in a few milliseconds and lands at once.
SYNC_MOVE_MAX = 1


class BoardWidget(QWidget):
    """All columns of the board, kept in step with the operations' announcements."""

    lead_activated = Signal(int)
    # The current card changed (the side panel follows it).
    lead_selected = Signal(int)
    # The card menu's Delete: the window asks before deleting the selected cards.
    delete_requested = Signal()

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db = runner.ctx.db
        self._cache = CardCache(self._db)
        self._filter = LeadFilter()
        self.delegate = LeadCardDelegate(runner.ctx.clock, ScoreSettings(), self)
        self.grouping = BoardGrouping.TEMPERATURE
        self.columns: list[BoardColumn] = []
        # The columns sit in a strip that scrolls sideways when they cannot all
        # have their minimum width: the board never asks the window for more.
        self.strip = QWidget()
        self.strip.setObjectName("boardStrip")
        self._layout = QHBoxLayout(self.strip)
        self._layout.setContentsMargins(10, 10, 10, 10)
        self._layout.setSpacing(10)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("boardScrollArea")
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.strip)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        # Reads what changed off the UI thread and shows it a column at a time. Cards
        # moved by the keys or the menu stay selected in their new column (its follow).
        self.refresh = BoardRefresh(self, self._db, self._cache, self)
        runner.changed.connect(self.refresh.announce)
        # The move of several cards running off the UI thread, if any: the board takes
        # no other move until it ends (its drops are refused, its keys do nothing).
        self.move_step: BulkStep | None = None
        # Asks what a move hotter needs (lead_form.gate_dialog.MoveGate), installed
        # by the window: ``gates(ids, grouping, value)`` and ``ask(...)``.
        self.move_gate: Any = None
        self.set_grouping(BoardGrouping.TEMPERATURE)

    # -- building --------------------------------------------------------

    def set_grouping(self, grouping: BoardGrouping) -> None:
        """Columns by temperature (Cold/Warm/Hot) or by lifecycle stage.

        The selected cards stay selected in their new columns, and keep the keyboard
        focus when they had it (Ctrl+2, then the arrows go on from the same card).
        """
        selected = self.selected_lead_ids() if self.columns else []
        focus = self.window().focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        for column in self.columns:
            self._layout.removeWidget(column)
            column.deleteLater()
        self.columns = []
        self.grouping = grouping
        self.delegate.show_stage = grouping is BoardGrouping.TEMPERATURE
        for value in grouping.values:
            model = LeadColumnModel(self._db, self._cache, grouping, value.value, self._move)
            if isinstance(value, Temperature):
                color = TEMPERATURE_COLORS[value]
            else:
                color = QColor("#9ca3af") if value is Stage.DISQUALIFIED else STAGE_COLOR
            column = BoardColumn(model, value.label, color, self.delegate)
            column.view.setAcceptDrops(self.move_step is None)
            # Activation is a double click, or Enter on the selected card.
            column.view.activated.connect(
                lambda index: self.lead_activated.emit(index.data(LEAD_ID_ROLE))
            )
            column.view.selectionModel().currentChanged.connect(self._current_changed)
            column.view.step_requested.connect(lambda step, c=column: self._step_selection(c, step))
            column.view.move_requested.connect(lambda step, c=column: self.move_selected(c, step))
            column.view.menu_requested.connect(lambda at, c=column: self._show_menu(c, at))
            self._layout.addWidget(column, 1)
            self.columns.append(column)
        self.reload()
        if selected:
            self.select_leads(selected, focus=had_focus)

    def column_for(self, value: str) -> BoardColumn:
        return next(column for column in self.columns if column.model.value == value)

    # -- data ------------------------------------------------------------

    def set_filter(self, lead_filter: LeadFilter) -> None:
        self._filter = lead_filter
        self.reload()

    @property
    def lead_filter(self) -> LeadFilter:
        return self._filter

    def reload(self) -> None:
        self.refresh.forget_plan()  # this reads everything a planned refresh would
        for column in self.columns:
            selected = column.view.selected_lead_ids() if column.view.selectionModel() else []
            column.model.reload(self._filter)
            for lead_id in selected[:1]:
                column.view.select_lead(lead_id)
        self._refresh_summaries()

    def _refresh_summaries(self) -> None:
        with self._db.reading() as connection:
            summaries = column_summaries(connection, self.grouping, self._filter)
        for column in self.columns:
            column.header.set_summary(summaries.get(column.model.value, ColumnSummary(0, 0)))

    def repaint_cards(self) -> None:
        """Paint the visible cards again (a setting or the time they show changed)."""
        for column in self.columns:
            column.view.viewport().update()

    def flush(self) -> None:
        """Apply announced changes now (tests, and before reading the board)."""
        self.refresh.flush()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and (lead_id := current.data(LEAD_ID_ROLE)) is not None:
            self.lead_selected.emit(lead_id)

    def _move(self, lead_ids: list[int], value: str, above: int | None, below: int | None) -> None:
        if self.move_step is not None:
            return  # one move at a time (the drop was refused; see _set_moving)
        gate = self.move_gate
        if gate is not None and gate.gates(lead_ids, self.grouping, value):
            # Asked once the drop has finished: a dialog inside the drop handler
            # would hold the drag open.
            grouping = self.grouping
            QTimer.singleShot(
                0, self, lambda: self._ask_and_move(grouping, lead_ids, value, above, below)
            )
            return
        target = self.column_for(value)
        within = target.model.holds_all(lead_ids)
        label = self.grouping.parse(value).label
        text = f"Move {{leads}} {'within' if within else 'to'} {label}"
        self._run_move(text, self.grouping, lead_ids, value, {}, above, below)

    def _ask_and_move(
        self,
        grouping: BoardGrouping,
        lead_ids: list[int],
        value: str,
        above: int | None,
        below: int | None,
    ) -> None:
        """A gated move: ask for the target tier's missing fields, then move with them.

        Cancel makes no move (the card never left its column).
        """
        fill = self.move_gate.ask(lead_ids, grouping, value)
        if fill is None or self.move_step is not None:
            self.refresh.follow = None
            return
        label = grouping.parse(value).label
        self._run_move(f"Move {{leads}} to {label}", grouping, lead_ids, value, fill, above, below)

    def _run_move(
        self,
        text: str,
        grouping: BoardGrouping,
        lead_ids: list[int],
        value: str,
        fill: Mapping[int, Mapping[str, Any]],
        above: int | None,
        below: int | None,
    ) -> None:
        """The move as one undo step: one card at once, several off the UI thread.

        The moved cards show in their new column when the step announces what it
        changed; Cancel (in the progress dialog) leaves every card where it was.
        """
        column = renumber_scope(self._db, grouping, value, len(lead_ids), above, below)
        if len(lead_ids) <= SYNC_MOVE_MAX:
            with self._runner.undoable(text, lead_ids, column=column):
                self._runner.run(
                    move_leads_filling,
                    lead_ids,
                    grouping,
                    value,
                    fill,
                    above_id=above,
                    below_id=below,
                )
            return
        count = f"{len(lead_ids):,} leads"
        step = BulkStep(
            self._runner,
            text,
            lead_ids,
            partial(move_leads_filling, above_id=above, below_id=below),
            (lead_ids, grouping, value, fill),
            label=f"Moving {count} to {grouping.parse(value).label}…",
            parent=self,
            column=column,
        )
        # Selected in their new column once it shows them, not by a refresh before.
        follow, self.refresh.follow = self.refresh.follow, None
        step.finished.connect(lambda changed: self._move_finished(changed, follow))
        self.move_step = step
        self._set_moving(True)
        step.start()

    def _move_finished(self, changed: bool, follow: list[int] | None) -> None:
        self.move_step = None
        self._set_moving(False)
        if changed and follow:
            self.refresh.select_when_shown(follow)

    def _set_moving(self, moving: bool) -> None:
        """While a move runs the columns refuse drops: the drag shows it cannot land."""
        for column in self.columns:
            column.view.setAcceptDrops(not moving)

    def selected_lead_ids(self) -> list[int]:
        focused = [column for column in self.columns if column.view.hasFocus()]
        for column in focused + self.columns:
            ids = column.view.selected_lead_ids()
            if ids:
                return ids
        return []

    def select_lead(self, lead_id: int) -> None:
        for column in self.columns:
            if column.view.select_lead(lead_id):
                column.view.setFocus()
                self.scroll_area.ensureWidgetVisible(column, 0, 0)
            else:
                column.view.clearSelection()

    def select_leads(self, lead_ids: list[int], *, focus: bool = True) -> None:
        """Select these cards in the column that holds the first of them."""
        for column in self.columns:
            if column.view.select_leads(lead_ids):
                if focus:
                    column.view.setFocus()
                self.scroll_area.ensureWidgetVisible(column, 0, 0)
                for other in self.columns:
                    if other is not column:
                        other.view.clearSelection()
                return

    # -- keyboard and menu -------------------------------------------------

    def _step_selection(self, column: BoardColumn, step: int) -> None:
        """Left/Right: select the card at the same height in the next column that has
        cards on that side (the first or last card when none is level with it)."""
        position = self.columns.index(column) + step
        while 0 <= position < len(self.columns) and not self.columns[position].model.rowCount():
            position += step
        if not 0 <= position < len(self.columns):
            return
        target = self.columns[position]
        current = column.view.currentIndex()
        y = column.view.visualRect(current).center().y() if current.isValid() else 0
        view = target.view
        index = view.indexAt(QPoint(view.viewport().width() // 2, max(0, y)))
        if not index.isValid():
            rows = target.model.rowCount()
            last = view.indexAt(QPoint(view.viewport().width() // 2, view.viewport().height() - 1))
            index = target.model.index(rows - 1 if not last.isValid() else last.row())
        self.select_lead(index.data(LEAD_ID_ROLE))

    def move_selected(self, column: BoardColumn, step: int) -> None:
        """Ctrl+Shift+Left/Right: the column's selected cards to the top of the next
        column, gated as a drop is, as one undo step; they stay selected there."""
        position = self.columns.index(column) + step
        lead_ids = column.view.selected_lead_ids()
        if not lead_ids or not 0 <= position < len(self.columns):
            return
        self.move_to(lead_ids, self.columns[position].model.value)

    def move_to(self, lead_ids: list[int], value: str) -> None:
        """Move cards to the top of column ``value`` (the menu's and the keys' move)."""
        if self.move_step is not None:
            return  # one move at a time
        moving = set(lead_ids)
        below = next((i for i in self.column_for(value).model.lead_ids if i not in moving), None)
        self.refresh.follow = list(lead_ids)
        self._move(list(lead_ids), value, None, below)

    def _show_menu(self, column: BoardColumn, at: QPoint) -> None:
        lead_ids = column.view.selected_lead_ids()
        if lead_ids:
            self.card_menu(lead_ids, column.model.value).exec(at)

    def card_menu(self, lead_ids: list[int], value: str) -> CardMenu:
        """The menu for these cards (of column ``value``); the caller shows it."""
        menu = CardMenu(self._runner, self, lead_ids, self.grouping, value, self)
        menu.move_menu.setEnabled(self.move_step is None)  # one move at a time
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return menu

    def open_lead(self, lead_id: int) -> None:
        self.lead_activated.emit(lead_id)

    def delete_selected(self) -> None:
        self.delete_requested.emit()
