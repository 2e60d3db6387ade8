"""A tier's section of the lead form: its fields under a header that folds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import Tier
from leaddesk.core.profiling import TIER_LABELS


class TierSection(QWidget):
    """A tier's fields under a header that folds, with the tier's completeness meter."""

    def __init__(self, tier: Tier, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tier = tier
        self.setObjectName(f"section_{tier.value}")
        self.toggle = QToolButton()
        self.toggle.setObjectName(f"toggle_{tier.value}")
        self.toggle.setText(TIER_LABELS[tier])
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        font = QFont(self.toggle.font())
        font.setBold(True)
        self.toggle.setFont(font)
        self.toggle.toggled.connect(self.set_expanded)
        self.meter = QProgressBar()
        self.meter.setObjectName(f"meter_{tier.value}")
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setFixedSize(72, 8)
        self.meter_label = QLabel()
        self.meter_label.setObjectName(f"meterLabel_{tier.value}")
        self.meter_label.setMinimumWidth(34)
        self.meter_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.toggle)
        header.addStretch(1)
        header.addWidget(self.meter)
        header.addWidget(self.meter_label)
        self.body = QFrame()
        self.body.setObjectName(f"body_{tier.value}")
        # label, field (and in two columns: label, field again)
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(14, 2, 4, 8)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(6)
        self._row = 0
        self._column = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.body)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setForegroundRole(QPalette.ColorRole.Mid)
        layout.addWidget(line)
        self.set_expanded(False)

    def add_field(
        self, label: str, widget: QWidget, *, columns: int, label_width: int, wide: bool
    ) -> None:
        """One field; short ones pair up when there are two columns, ``wide`` ones span."""
        caption = QLabel(label)
        caption.setWordWrap(True)
        caption.setMinimumWidth(label_width)
        caption.setMaximumWidth(max(label_width, 125))
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        caption.setContentsMargins(0, 4, 0, 0)
        if self._column and (wide or self._column >= columns):
            self._row += 1
            self._column = 0
        top = Qt.AlignmentFlag.AlignTop
        if wide:
            self.grid.addWidget(caption, self._row, 0)
            self.grid.addWidget(widget, self._row, 1, 1, 2 * columns - 1, top)
            self._row += 1
            return
        self.grid.addWidget(caption, self._row, 2 * self._column)
        self.grid.addWidget(widget, self._row, 2 * self._column + 1, top)
        self.grid.setColumnStretch(2 * self._column + 1, 1)
        self._column += 1
        if self._column >= columns:
            self._row += 1
            self._column = 0

    def set_expanded(self, expanded: bool) -> None:
        if self.toggle.isChecked() != expanded:
            self.toggle.setChecked(expanded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_progress(self, fraction: float, filled: int, total: int, reached: bool) -> None:
        self.meter.setValue(round(fraction * 100))
        self.meter_label.setText(f"{filled}/{total}")
        state = "reached" if reached else "not reached yet"
        self.meter.setToolTip(f"{TIER_LABELS[self.tier]}: {filled} of {total} key fields ({state})")
        self.meter_label.setToolTip(self.meter.toolTip())
        self.toggle.setToolTip(
            "" if reached else "The lead has not reached this tier yet; open it to fill in early."
        )
