"""The agenda's sections as widgets: a coloured header with a count that folds the
section, and a list view as tall as its rows.

Owns how a section looks and folds; what the sections hold and when they are
re-read is the panel's (``dock``) and the reader's (``snapshot_reader``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
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


class AgendaListView(QListView):
    """A section's rows; as tall as its rows (up to what the panel can give)."""

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

    def fit_rows(self) -> None:
        rows = self.model().rowCount() if self.model() is not None else 0
        row_height = self.sizeHintForRow(0) if rows else 0
        self.setMinimumHeight(min(rows, 2) * row_height)
        self.setMaximumHeight(rows * row_height + 2 * self.frameWidth())


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
        layout.addWidget(self.view, 1)
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
        self.view.fit_rows()
        # A folded (or fitted) section takes no more room than it needs.
        policy = (
            QSizePolicy.Policy.Expanding
            if self.view.isVisibleTo(self)
            else (QSizePolicy.Policy.Maximum)
        )
        self.setSizePolicy(QSizePolicy.Policy.Preferred, policy)
