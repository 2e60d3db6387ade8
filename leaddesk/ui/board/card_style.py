"""A lead card's geometry and look: its margins, the width below which it turns narrow,
and the colours, fonts and line boxes (``CardStyle``) every part of it is painted with."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QStyleOptionViewItem

from leaddesk.ui.theme import is_dark

CARD_HEIGHT = 86
MARGIN_X = 8
MARGIN_Y = 4
PADDING = 10
NARROW_CARD_WIDTH = 250
# The name keeps at least this much of its line: badges that would take it are dropped.
NAME_MIN_WIDTH = 60
BADGE_GAP = 6


def is_narrow(card_width: int) -> bool:
    """Whether a card this wide gives its badges a line of their own.

    Beside the score, a "▲ Warm" hint, the completeness ring and a speed-to-lead
    badge leave a narrow card no room for the name; below this width they move
    to the line under the name (a stage column on a laptop is narrower).
    """
    return card_width < NARROW_CARD_WIDTH


@dataclass(frozen=True, slots=True)
class CardStyle:
    """What every part of one card is painted with: colours, fonts, the lines' boxes."""

    palette: QPalette
    dark: bool
    text_color: QColor
    muted: QColor
    base_font: QFont
    bold: QFont
    small_bold: QFont
    metrics: QFontMetrics
    line_height: int
    inner: QRect
    name_line: QRect
    # The badges' own line on a narrow card; None: they share the name's line.
    badge_line: QRect | None
    company_line: QRect
    bottom_line: QRect

    @classmethod
    def of(cls, option: QStyleOptionViewItem, box: QRectF, narrow: bool) -> CardStyle:
        palette: QPalette = option.palette
        base_font: QFont = option.font
        text_color = palette.color(QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlphaF(0.65)
        bold = QFont(base_font)
        bold.setBold(True)
        small_bold = QFont(base_font)
        small_bold.setPointSizeF(max(6.0, base_font.pointSizeF() * 0.85))
        small_bold.setBold(True)
        line_height = QFontMetrics(base_font).height()
        inner = box.adjusted(PADDING + 2, PADDING - 2, -PADDING, -PADDING + 2).toRect()
        step = line_height + 4
        name_line = QRect(inner.left(), inner.top(), inner.width(), line_height + 2)
        badge_line = None
        company_top = inner.top() + step
        if narrow:
            badge_line = QRect(inner.left(), company_top, inner.width(), line_height)
            company_top += step
        return cls(
            palette=palette,
            dark=is_dark(palette),
            text_color=text_color,
            muted=muted,
            base_font=base_font,
            bold=bold,
            small_bold=small_bold,
            metrics=QFontMetrics(base_font),
            line_height=line_height,
            inner=inner,
            name_line=name_line,
            badge_line=badge_line,
            company_line=QRect(inner.left(), company_top, inner.width(), line_height),
            bottom_line=QRect(
                inner.left(), inner.bottom() - line_height, inner.width(), line_height + 1
            ),
        )
