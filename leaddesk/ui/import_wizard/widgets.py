"""Pieces the pages share: problem colours, an inline message, a label that elides."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QStyle, QWidget

from leaddesk.ui.import_wizard.session import Verdict

_ERROR = QColor("#ef4444")
_WARNING = QColor("#f59e0b")
_NOTE = QColor("#3b82f6")


def _blend(base: QColor, tint: QColor, amount: float) -> QColor:
    return QColor(
        round(base.red() + (tint.red() - base.red()) * amount),
        round(base.green() + (tint.green() - base.green()) * amount),
        round(base.blue() + (tint.blue() - base.blue()) * amount),
    )


def problem_background(palette: QPalette, verdict: Verdict) -> QColor:
    """A tint of the palette's base colour: readable with its text colour, light or dark."""
    base = palette.color(QPalette.ColorRole.Base)
    tint = {Verdict.REJECTED: _ERROR, Verdict.NOTE: _NOTE}.get(verdict, _WARNING)
    # Dark bases need more of the tint to show; light ones less to keep dark text legible.
    amount = 0.38 if base.lightness() < 128 else 0.24
    return _blend(base, tint, amount)


class MessageLine(QWidget):
    """An icon and one sentence of text: an error, a warning, or information."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        self.hide()

    def _show(self, text: str, icon: QStyle.StandardPixmap) -> None:
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.icon.setPixmap(self.style().standardIcon(icon).pixmap(QSize(size, size)))
        self.text.setText(text)
        self.setAccessibleName(text)
        self.show()

    def show_error(self, text: str) -> None:
        self._show(text, QStyle.StandardPixmap.SP_MessageBoxCritical)

    def show_info(self, text: str) -> None:
        self._show(text, QStyle.StandardPixmap.SP_MessageBoxInformation)

    def clear(self) -> None:
        self.text.clear()
        self.hide()

    def message(self) -> str:
        """The sentence shown, or '' when hidden."""
        return "" if self.isHidden() else self.text.text()


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with '…' instead of growing or clipping."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        elided = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()), elided)
