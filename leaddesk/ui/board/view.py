"""The kanban board: one list view per column, a header with count and value."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import BoardGrouping, Stage, Temperature
from leaddesk.core.scoring import ScoreSettings
from leaddesk.operations.changes import Changes
from leaddesk.operations.leads import move_leads, move_leads_filling
from leaddesk.operations.undo_support import renumber_scope
from leaddesk.storage.queries import ColumnSummary, LeadFilter, column_summaries
from leaddesk.ui.board.delegate import LeadCardDelegate
from leaddesk.ui.board.model import LEAD_ID_ROLE, CardCache, LeadColumnModel
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.theme import STAGE_COLOR, TEMPERATURE_COLORS


def format_money(cents: int, locale: QLocale | None = None) -> str:
    """Whole currency units with digit grouping: 1234567 cents -> '12,346'."""
    locale = locale or QLocale()
    if locale.language() == QLocale.Language.C:
        # The C locale (headless machines) groups no digits; English is more legible.
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale.toString(round(cents / 100))


class BoardColumnView(QListView):
    """A column of painted cards that can be dragged within and between columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boardColumnView")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.setUniformItemSizes(True)  # every card is as tall: no per-row size queries
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSpacing(0)
        # Cards are painted in the Base colour; the column behind them is a shade darker.
        self.viewport().setBackgroundRole(QPalette.ColorRole.AlternateBase)

    def selected_lead_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.selectionModel().selectedIndexes())
        model = self.model()
        return [model.index(row, 0).data(LEAD_ID_ROLE) for row in rows]

    def select_lead(self, lead_id: int) -> bool:
        model = self.model()
        if not isinstance(model, LeadColumnModel):
            return False
        row = model.row_of(lead_id)
        if row is None:
            return False
        index = model.index(row)
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.scrollTo(index)
        return True


class ColumnHeader(QWidget):
    """Title, lead count and total deal value, over a coloured bar."""

    def __init__(self, title: str, color: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = color
        self.title = QLabel(title)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.count = QLabel("0")
        self.count.setObjectName("columnCount")
        self.value = QLabel("")
        self.value.setObjectName("columnValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.count)
        layout.addStretch(1)
        layout.addWidget(self.value)

    def set_summary(self, summary: ColumnSummary) -> None:
        self.count.setText(f"{summary.count:,}")
        self.count.setToolTip(f"{summary.count:,} leads")
        total = summary.total_value_cents
        self.value.setText(f"Σ {format_money(total)}" if total else "")
        self.value.setToolTip("Total deal value" if summary.total_value_cents else "")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(0, 0, self.width(), 4, self._color)
        painter.end()
        super().paintEvent(event)


class BoardColumn(QFrame):
    def __init__(
        self, model: LeadColumnModel, title: str, color: QColor, delegate: LeadCardDelegate
    ) -> None:
        super().__init__()
        self.setObjectName("boardColumn")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.model = model
        self.header = ColumnHeader(title, color)
        self.view = BoardColumnView()
        self.view.setModel(model)
        self.view.setItemDelegate(delegate)
        self.view.setAccessibleName(f"{title} leads")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)


class BoardWidget(QWidget):
    """All columns of the board, kept in step with the operations' announcements."""

    lead_activated = Signal(int)
    # The current card changed (the side panel follows it).
    lead_selected = Signal(int)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db = runner.ctx.db
        self._cache = CardCache(self._db)
        self._filter = LeadFilter()
        self._pending: Changes | None = None
        self.delegate = LeadCardDelegate(runner.ctx.clock, ScoreSettings(), self)
        self.grouping = BoardGrouping.TEMPERATURE
        self.columns: list[BoardColumn] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(10, 10, 10, 10)
        self._layout.setSpacing(10)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._apply_pending)
        runner.changed.connect(self._on_changed)
        # Asks what a move hotter needs (lead_form.gate_dialog.MoveGate), installed
        # by the window: ``gates(ids, grouping, value)`` and ``ask(...)``.
        self.move_gate: Any = None
        self.set_grouping(BoardGrouping.TEMPERATURE)

    # -- building --------------------------------------------------------

    def set_grouping(self, grouping: BoardGrouping) -> None:
        """Columns by temperature (Cold/Warm/Hot) or by lifecycle stage."""
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
            # Activation is a double click, or Enter on the selected card.
            column.view.activated.connect(
                lambda index: self.lead_activated.emit(index.data(LEAD_ID_ROLE))
            )
            column.view.selectionModel().currentChanged.connect(self._current_changed)
            self._layout.addWidget(column, 1)
            self.columns.append(column)
        self.reload()

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

    def _on_changed(self, changes: Changes) -> None:
        # Coalesce: a burst of changes (or one announced inside a drop) refreshes once,
        # after the event that caused it has finished.
        self._pending = changes if self._pending is None else self._pending | changes
        self._refresh_timer.start()

    def _apply_pending(self) -> None:
        changes, self._pending = self._pending, None
        if changes is None:
            return
        self._cache.forget(changes.leads)
        if changes.board or changes.created or changes.deleted:
            self.reload()
        else:
            for column in self.columns:
                column.model.refresh_cards(changes.updated)
            self._refresh_summaries()

    def repaint_cards(self) -> None:
        """Paint the visible cards again (a setting or the time they show changed)."""
        for column in self.columns:
            column.view.viewport().update()

    def flush(self) -> None:
        """Apply announced changes now (tests, and before reading the board)."""
        if self._refresh_timer.isActive():
            self._refresh_timer.stop()
            self._apply_pending()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and (lead_id := current.data(LEAD_ID_ROLE)) is not None:
            self.lead_selected.emit(lead_id)

    def _move(self, lead_ids: list[int], value: str, above: int | None, below: int | None) -> None:
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
        column = renumber_scope(self._db, self.grouping, value, len(lead_ids), above, below)
        with self._runner.undoable(text, lead_ids, column=column):
            self._runner.run(
                move_leads, lead_ids, self.grouping, value, above_id=above, below_id=below
            )

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
        if fill is None:
            return
        label = grouping.parse(value).label
        column = renumber_scope(self._db, grouping, value, len(lead_ids), above, below)
        with self._runner.undoable(f"Move {{leads}} to {label}", lead_ids, column=column):
            self._runner.run(
                move_leads_filling, lead_ids, grouping, value, fill, above_id=above, below_id=below
            )

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
            else:
                column.view.clearSelection()
