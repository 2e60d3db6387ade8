"""A column of the kanban board: its painted cards under a header with count and value.

``BoardWidget`` (view) lays the columns out and does what they ask for: it knows
the other columns.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QPoint,
    QSize,
    Qt,
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
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from leaddesk.storage.queries import ColumnSummary
from leaddesk.ui.board.card_style import is_narrow
from leaddesk.ui.board.delegate import LeadCardDelegate
from leaddesk.ui.board.keys import BoardCommand, board_command
from leaddesk.ui.board.model import LEAD_ID_ROLE, LeadColumnModel

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
