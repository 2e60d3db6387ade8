"""The small marks painted on a lead card: the temperature hint ("▲ Warm"), the profile
completeness ring, the possible-duplicate pill and the speed-to-lead pill.

Each painter takes the painter, the box it may use and the card's ``CardStyle``, and
returns how much of the box it took, so the card's layout decides where they go.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen

from leaddesk.core.agenda import SlaState, SlaStatus
from leaddesk.core.fields import Temperature
from leaddesk.core.scoring import ScoreSettings, suggested_temperature
from leaddesk.storage.queries import Card
from leaddesk.ui.board.card_style import CardStyle
from leaddesk.ui.theme import TEMPERATURE_COLORS, overdue_color

TEMPERATURE_ORDER = tuple(Temperature)
# The possible-duplicate badge's words, longest first: the first that fits is shown.
DUPLICATE_BADGE_TEXTS = ("Possible duplicate", "Duplicate?")
# Violet: apart from the amber and red of speed-to-lead and the temperatures' colours.
DUPLICATE_COLOR = QColor("#7c3aed")


def sla_badge_text(status: SlaStatus) -> str | None:
    """'Reply in 3 min' while the first-contact deadline runs, 'SLA overdue 2 h' after it."""
    if status.state is SlaState.DUE:
        return f"Reply in {_badge_duration(status.minutes)}"
    if status.state is SlaState.OVERDUE:
        return f"SLA overdue {_badge_duration(max(1, status.minutes))}"
    return None


def _badge_duration(minutes: int) -> str:
    """One unit, to stay short on a card: '4 min', '3 h', '12 d' (whole units, down)."""
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


@dataclass(frozen=True, slots=True)
class Hint:
    """The temperature the score suggests, where it is not the lead's: "▲ Warm"."""

    text: str
    color: QColor


def temperature_hint(card: Card, settings: ScoreSettings, style: CardStyle) -> Hint | None:
    """The hint for ``card``, or None where its score agrees with its temperature."""
    suggested = suggested_temperature(card.score, settings)
    if suggested.value == card.temperature:
        return None
    hotter = TEMPERATURE_ORDER.index(suggested) > TEMPERATURE_ORDER.index(
        Temperature(card.temperature)
    )
    color = QColor(TEMPERATURE_COLORS[suggested])
    color = color.lighter(150) if style.dark else color.darker(130)
    return Hint(f"{'▲' if hotter else '▼'} {suggested.label}", color)


def paint_hint(painter: QPainter, hint: Hint, rect: QRect, style: CardStyle) -> int:
    """The hint, elided to ``rect`` and aligned to its right; returns its width."""
    metrics = QFontMetrics(style.small_bold)
    text = metrics.elidedText(hint.text, Qt.TextElideMode.ElideRight, rect.width())
    if not text:
        return 0
    painter.setFont(style.small_bold)
    painter.setPen(hint.color)
    painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
    return metrics.horizontalAdvance(text) + 2


def ring_size(style: CardStyle) -> int:
    """The completeness ring's diameter."""
    return max(9, style.line_height - 4)


def paint_ring(
    painter: QPainter, complete: float, left: int, line: QRect, style: CardStyle
) -> None:
    """Profile completeness: a small ring that fills as the key fields are known."""
    size = ring_size(style)
    ring = QRectF(left, line.top() + (line.height() - size) / 2, size, size)
    track = QColor(style.text_color)
    track.setAlphaF(0.35)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(track, 1.2))
    painter.drawEllipse(ring)
    if complete > 0:
        fill = QColor("#34d399") if style.dark else QColor("#059669")
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        pie = ring.adjusted(1.5, 1.5, -1.5, -1.5)
        painter.drawPie(pie, 90 * 16, -round(360 * 16 * min(1.0, complete)))


def paint_sla_badge(
    painter: QPainter,
    status: SlaStatus,
    room: QRect,
    style: CardStyle,
    align_right: bool,
) -> int:
    """The speed-to-lead pill inside ``room`` (its text elided to fit), at its right or
    left end; returns its width (0: no badge, or no room for one)."""
    text = sla_badge_text(status)
    if text is None:
        return 0
    metrics = QFontMetrics(style.small_bold)
    width = min(metrics.horizontalAdvance(text) + 12, room.width())
    text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width - 12)
    if width < 24 or not text:
        return 0
    left = room.right() - width + 1 if align_right else room.left()
    pill = QRectF(left, room.top(), width, room.height())
    overdue = status.state is SlaState.OVERDUE
    dark = style.dark
    color = overdue_color(style.palette) if overdue else QColor("#d97706")
    painter.setPen(Qt.PenStyle.NoPen)
    if overdue:
        painter.setBrush(color)
    else:
        wash = QColor(color)
        wash.setAlphaF(0.3 if dark else 0.16)
        painter.setBrush(wash)
    painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
    painter.setFont(style.small_bold)
    if overdue:
        painter.setPen(QColor("#1f2329") if dark else QColor("#ffffff"))
    else:
        painter.setPen(color.lighter(140) if dark else color.darker(130))
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
    painter.setFont(style.base_font)
    return width


def paint_duplicate_badge(
    painter: QPainter, room: QRect, style: CardStyle, *, align_right: bool
) -> int:
    """ "Possible duplicate" (or "Duplicate?" where that does not fit) as a pill inside
    ``room``; returns its width (0: no room even for the short words)."""
    metrics = QFontMetrics(style.small_bold)
    text = next(
        (
            words
            for words in DUPLICATE_BADGE_TEXTS
            if metrics.horizontalAdvance(words) + 12 <= room.width()
        ),
        None,
    )
    if text is None:
        return 0
    width = metrics.horizontalAdvance(text) + 12
    left = room.right() - width + 1 if align_right else room.left()
    pill = QRectF(left, room.top(), width, room.height())
    wash = QColor(DUPLICATE_COLOR)
    wash.setAlphaF(0.35 if style.dark else 0.14)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(wash)
    painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
    painter.setFont(style.small_bold)
    painter.setPen(QColor("#ddd6fe") if style.dark else DUPLICATE_COLOR.darker(125))
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
    painter.setFont(style.base_font)
    return width
