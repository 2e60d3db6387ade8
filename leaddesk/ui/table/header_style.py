"""The table header's sort arrow pointing the way people read it: ▲ smallest first.

QHeaderView asks the style for a *down* arrow on an ascending sort, and Fusion
(the style LeadDesk's themes use) and Windows draw exactly that, so a column
sorted A→Z showed ▼ and Z→A ▲: the opposite of what spreadsheets, mail clients
and file managers show. The header gets this proxy, which swaps the two for
those styles; other platform styles keep their own convention.
"""

from __future__ import annotations

from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QStyleOptionHeader, QWidget

# Styles (QStyle.name(), lower case) checked to draw ascending as a down arrow.
SWAPPED_STYLES = frozenset({"fusion", "windows"})

_SWAP = {
    QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
    QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp,
}


class SortArrowStyle(QProxyStyle):
    """The application's style, with the header's sort arrows the right way up."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        """Swap up and down for the header arrow; draw everything else as the style does."""
        if (
            element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow
            and isinstance(option, QStyleOptionHeader)
            and option.sortIndicator in _SWAP
            and self.baseStyle().name().lower() in SWAPPED_STYLES
        ):
            swapped = QStyleOptionHeader(option)
            swapped.sortIndicator = _SWAP[option.sortIndicator]
            super().drawPrimitive(element, swapped, painter, widget)
            return
        super().drawPrimitive(element, option, painter, widget)
