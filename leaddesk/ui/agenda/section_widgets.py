"""The agenda's sections as widgets: a coloured header with a count that folds the
section, a list view as tall as its rows, and the area that shares the dock's
height between them.

Owns how a section looks, folds and how tall it is; what the sections hold and
when they are re-read is the panel's (``dock``) and the reader's
(``snapshot_reader``).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.ui.agenda.delegate import AgendaItemDelegate
from leaddesk.ui.agenda.model import AgendaItem, AgendaSectionModel, Section

SECTION_COLORS = {
    Section.OVERDUE: QColor("#dc2626"),
    Section.TODAY: QColor("#2f6fd6"),
    Section.UPCOMING: QColor("#8b5cf6"),
    Section.NO_NEXT_STEP: QColor("#d97706"),
}
# Rows a long section shows at least: below that the dock scrolls as a whole
# instead (four sections of 2½ rows each were too cramped to use at 768 px).
MIN_ROWS = 4


def share_heights(needs: Sequence[int], available: int, floor: Sequence[int]) -> list[int]:
    """Each list's height: what it needs when that fits, the rest shared evenly.

    Water filling: every list rises to one level, capped by its need and never
    below its ``floor`` (the sum may then exceed ``available``: the caller
    scrolls). So short lists show all their rows and the long ones share the rest.
    """

    def at(level: int) -> list[int]:
        return [min(need, max(low, level)) for need, low in zip(needs, floor, strict=True)]

    low, high = 0, max(needs, default=0)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(at(middle)) <= available:
            low = middle
        else:
            high = middle - 1
    return at(low)


class AgendaListView(QListView):
    """A section's rows; as tall as its rows (up to what AgendaSectionsArea gives it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaSectionView")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def rows_height(self, rows: int | None = None) -> int:
        """The height that shows ``rows`` rows (all of them by default) without scrolling."""
        count = self.model().rowCount() if self.model() is not None else 0
        shown = count if rows is None else min(rows, count)
        return shown * (self.sizeHintForRow(0) if count else 0) + 2 * self.frameWidth()


class SectionHeader(QWidget):
    """A section's title and count, over a thin coloured rule; click folds the section."""

    toggled = Signal(bool)

    def __init__(self, title: str, color: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = color
        self.arrow = QToolButton()
        self.arrow.setObjectName("sectionToggle")
        self.arrow.setArrowType(Qt.ArrowType.DownArrow)
        # Not a checkable button: a checked auto-raise button is drawn sunken.
        self.expanded = True
        self.arrow.setAutoRaise(True)
        self.arrow.setAccessibleName(f"Fold {title}")
        self.arrow.clicked.connect(self.toggle)
        self.title = QLabel(title)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.count = QLabel("0")
        self.count.setObjectName("sectionCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count.setMinimumWidth(28)
        palette = self.count.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
        self.count.setPalette(palette)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 8, 10, 4)
        layout.setSpacing(4)
        layout.addWidget(self.arrow)
        layout.addWidget(self.title)
        layout.addStretch(1)
        # Centred at its own height: a header given spare height (a folded section
        # below it) must not stretch the pill into a tall ellipse.
        layout.addWidget(self.count, 0, Qt.AlignmentFlag.AlignVCenter)

    def set_count(self, count: int) -> None:
        self.count.setText(f"{count:,}")
        self.count.setToolTip(f"{count:,} in {self.title.text()}")
        self.update()

    def toggle(self) -> None:
        self.expanded = not self.expanded
        arrow = Qt.ArrowType.DownArrow if self.expanded else Qt.ArrowType.RightArrow
        self.arrow.setArrowType(arrow)
        self.toggled.emit(self.expanded)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.toggle()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # The count as a pill in the section's colour (washed out when there is nothing).
        pill = self.count.geometry().adjusted(-2, 0, 2, 0)
        color = QColor(self._color)
        color.setAlphaF(0.9 if self.count.text() != "0" else 0.25)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.end()
        super().paintEvent(event)


class AgendaSection(QWidget):
    """One section: its header, its list, and the sentence shown when it is empty."""

    # Its rows, or whether it is folded, changed: the area shares the height again.
    needs_changed = Signal()

    def __init__(self, section: str, model: AgendaSectionModel, delegate: AgendaItemDelegate):
        super().__init__()
        self.section = section
        self.model = model
        self.header = SectionHeader(Section.TITLES[section], SECTION_COLORS[section])
        self.view = AgendaListView()
        self.view.setModel(model)
        self.view.setItemDelegate(delegate)
        self.view.setAccessibleName(Section.TITLES[section])
        self.empty = QLabel(Section.EMPTY[section])
        self.empty.setObjectName("sectionEmpty")
        self.empty.setEnabled(False)
        self.empty.setContentsMargins(28, 2, 8, 6)
        self._expanded = True
        self.header.toggled.connect(self.set_expanded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.view)
        layout.addWidget(self.empty)
        self._sync()

    def set_items(self, items: tuple[AgendaItem, ...], count: int) -> None:
        self.model.set_items(items)
        self.header.set_count(count)
        self._sync()

    def set_expanded(self, expanded: bool) -> None:
        self._expanded = expanded
        self._sync()

    def _sync(self) -> None:
        rows = self.model.rowCount()
        self.view.setVisible(self._expanded and rows > 0)
        self.empty.setVisible(self._expanded and rows == 0)
        # The area sets the list's height (share_heights); the section is its header
        # and that list, never stretched.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.needs_changed.emit()

    def chrome_height(self) -> int:
        """The header, and the sentence when the section is empty: all but the list."""
        empty = self.empty.sizeHint().height() if self.empty.isVisibleTo(self) else 0
        return self.header.sizeHint().height() + empty

    def list_need(self) -> tuple[int, int]:
        """(height for every row, height for MIN_ROWS rows); (0, 0) when folded or empty."""
        if not self.view.isVisibleTo(self):
            return 0, 0
        return self.view.rows_height(), self.view.rows_height(MIN_ROWS)


class AgendaSectionsArea(QScrollArea):
    """The sections one under the other, sharing the dock's height by their rows.

    A folded or empty section is its header (and sentence); a short one is as
    tall as its rows; the height left goes evenly to the longer ones, each
    showing at least MIN_ROWS rows, and the area scrolls when that is more
    than the dock has.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaSections")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections: list[AgendaSection] = []
        content = QWidget()
        content.setObjectName("agendaSectionsContent")
        self._column = QVBoxLayout(content)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        self._column.addStretch(1)
        self.setWidget(content)
        # Several sections change at once (a new snapshot): share the height once.
        self._share_timer = QTimer(self)
        self._share_timer.setSingleShot(True)
        self._share_timer.setInterval(0)
        self._share_timer.timeout.connect(self.share)

    def add(self, section: AgendaSection) -> None:
        self._column.insertWidget(len(self.sections), section)
        self.sections.append(section)
        section.needs_changed.connect(self._share_timer.start)
        self._share_timer.start()

    def share(self) -> None:
        """Give each list its height for the area's current size."""
        self._share_timer.stop()
        needs = [section.list_need() for section in self.sections]
        fixed = sum(section.chrome_height() for section in self.sections)
        heights = share_heights(
            [need for need, _floor in needs],
            self.viewport().height() - fixed,
            [floor for _need, floor in needs],
        )
        for section, height in zip(self.sections, heights, strict=True):
            section.view.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.share()
