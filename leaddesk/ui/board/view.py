"""The kanban board: one list view per column, a header with count and value."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import BoardGrouping, Stage, Temperature
from leaddesk.core.scoring import ScoreSettings
from leaddesk.operations.leads import move_leads_filling
from leaddesk.operations.undo_support import renumber_scope
from leaddesk.storage.queries import ColumnSummary, LeadFilter, column_summaries
from leaddesk.ui.board.card_menu import CardMenu
from leaddesk.ui.board.card_style import is_narrow
from leaddesk.ui.board.delegate import LeadCardDelegate
from leaddesk.ui.board.keys import BoardCommand, board_command
from leaddesk.ui.board.model import LEAD_ID_ROLE, CardCache, LeadColumnModel
from leaddesk.ui.board.refresh import BoardRefresh
from leaddesk.ui.bulk_job import BulkStep
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.theme import STAGE_COLOR, TEMPERATURE_COLORS

# Narrower than this a card cannot show a name beside its score; the board scrolls
# sideways instead of squeezing columns below it (six stage columns on a laptop).
COLUMN_MIN_WIDTH = 220


def format_money(cents: int, locale: QLocale | None = None) -> str:
    """Whole currency units with digit grouping: 1234567 cents -> '12,346'."""
    locale = locale or QLocale()
    if locale.language() == QLocale.Language.C:
        # The C locale (headless machines) groups no digits; English is more legible.
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale.toString(round(cents / 100))


# A move of more cards than this runs off the UI thread with progress and Cancel
# (ui/bulk_job.py); one card moves in a few milliseconds and lands at once.
SYNC_MOVE_MAX = 1

# The column's own commands: which side they go to.
_STEPS = {BoardCommand.STEP_LEFT: -1, BoardCommand.STEP_RIGHT: 1}
_MOVES = {BoardCommand.MOVE_LEFT: -1, BoardCommand.MOVE_RIGHT: 1}


class BoardColumnView(QListView):
    """A column of painted cards that can be dragged within and between columns.

    Left/Right ask the board to select in the neighbouring column and
    Ctrl+Shift+Left/Right to move the selected cards there; a right click asks
    for the card menu. The board does the work: it knows the other columns.
    """

    # -1 or +1: the selection should go to the column on that side.
    step_requested = Signal(int)
    # -1 or +1: the selected cards should move to the column on that side.
    move_requested = Signal(int)
    # Where (global position) to show the menu for the selected cards.
    menu_requested = Signal(QPoint)

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
        self._narrow: bool | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Cards are one height per column (uniform sizes), taller when narrow (their
        # badges get a line of their own): lay them out again when that flips.
        narrow = is_narrow(self.viewport().width())
        if narrow != self._narrow:
            self._narrow = narrow
            self.doItemsLayout()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The keys are the table Help lists (board/keys.py); Up/Down stay Qt's own.
        command = board_command(event.key(), event.modifiers())
        current = self.currentIndex()
        if command in _STEPS:
            self.step_requested.emit(_STEPS[command])
        elif command in _MOVES:
            self.move_requested.emit(_MOVES[command])
        elif command is BoardCommand.OPEN and current.isValid():
            self.activated.emit(current)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            current = self.currentIndex()
            if not current.isValid() or not self.selectionModel().isSelected(current):
                return
            at = self.visualRect(current).center()
        else:
            at = event.pos()
            index = self.indexAt(at)
            if not index.isValid():
                return
            if not self.selectionModel().isSelected(index):
                # A right click on a card outside the selection acts on that card alone.
                self.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.menu_requested.emit(self.viewport().mapToGlobal(at))
        event.accept()

    def selected_lead_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.selectionModel().selectedIndexes())
        model = self.model()
        return [model.index(row, 0).data(LEAD_ID_ROLE) for row in rows]

    def select_leads(self, lead_ids: list[int]) -> bool:
        """Select these cards (those in this column), the first one current."""
        model = self.model()
        if not isinstance(model, LeadColumnModel):
            return False
        rows = model.rows_of(lead_ids)
        if not rows:
            return False
        selection = QItemSelection()
        start = previous = rows[0]
        for row in [*rows[1:], -1]:
            if row != previous + 1:  # one range per run of adjacent rows
                selection.select(model.index(start), model.index(previous))
                start = row
            previous = row
        flags = QItemSelectionModel.SelectionFlag
        self.selectionModel().setCurrentIndex(model.index(rows[0]), flags.NoUpdate)
        self.selectionModel().select(selection, flags.ClearAndSelect)
        self.scrollTo(model.index(rows[0]))
        return True

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


class ElidedLabel(QLabel):
    """A one-line label that asks for no width and elides its text to what it gets.

    Column headers must not size their columns: "Opportunity 1,234 Σ 12,345" would
    otherwise make one stage column wider than the others and the board wider
    than a laptop's screen.
    """

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()), text)
        painter.end()


class ColumnHeader(QWidget):
    """Title, lead count and total deal value, over a coloured bar."""

    def __init__(self, title: str, color: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = color
        self.title = ElidedLabel(title)
        self.title.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.title.setToolTip(title)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.count = QLabel("0")
        self.count.setObjectName("columnCount")
        self.value = ElidedLabel("")
        self.value.setObjectName("columnValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.addWidget(self.title, 0)
        layout.addWidget(self.count, 0)
        layout.addStretch(1)
        layout.addWidget(self.value, 0)

    def minimumSizeHint(self) -> QSize:
        # The title and value elide: only the count and the margins need room.
        return QSize(self.count.minimumSizeHint().width() + 40, super().minimumSizeHint().height())

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
        # Columns share the board's width equally (Ignored: no column's content
        # claims more), down to a minimum below which the board scrolls sideways.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(COLUMN_MIN_WIDTH)
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
