"""Paints a lead card: no widget per card, so a column of any length stays light."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from leaddesk.core.agenda import (
    DEFAULT_SLA_MINUTES,
    SlaState,
    SlaStatus,
    sla_status,
)
from leaddesk.core.clock import Clock
from leaddesk.core.fields import Consent, Stage, Temperature, display_name, initials
from leaddesk.core.scoring import ScoreSettings, suggested_temperature
from leaddesk.storage.queries import Card
from leaddesk.ui.board.model import AWAITING_CONTACT_ROLE, CARD_ROLE, COMPLETENESS_ROLE
from leaddesk.ui.theme import (
    DENIED_COLOR,
    TEMPERATURE_COLORS,
    is_dark,
    overdue_color,
    warning_color,
)

CARD_HEIGHT = 86
MARGIN_X = 8
MARGIN_Y = 4
PADDING = 10
TEMPERATURE_ORDER = tuple(Temperature)


def format_due(due: dt.datetime, now: dt.datetime) -> str:
    """'Overdue 2d', 'Today 14:30', 'Tomorrow 09:00', 'Fri 28 Nov' in local time."""
    local_due = due.astimezone()
    local_now = now.astimezone()
    days = (local_due.date() - local_now.date()).days
    if due < now:
        late = now - due
        if late < dt.timedelta(hours=1):
            return f"Overdue {max(1, int(late.total_seconds() // 60))}m"
        if late < dt.timedelta(days=1):
            return f"Overdue {int(late.total_seconds() // 3600)}h"
        return f"Overdue {late.days}d"
    if days == 0:
        return f"Today {local_due:%H:%M}"
    if days == 1:
        return f"Tomorrow {local_due:%H:%M}"
    if days < 7:
        return f"{local_due:%a %H:%M}"
    return f"{local_due:%a %d %b}"


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
class _CardStyle:
    """What every part of one card is painted with: colours, fonts, the inner box."""

    palette: QPalette
    dark: bool
    text_color: QColor
    muted: QColor
    base_font: QFont
    bold: QFont
    metrics: QFontMetrics
    line_height: int
    inner: QRect

    @classmethod
    def of(cls, option: QStyleOptionViewItem, box: QRectF) -> _CardStyle:
        palette: QPalette = option.palette
        base_font: QFont = option.font
        text_color = palette.color(QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlphaF(0.65)
        bold = QFont(base_font)
        bold.setBold(True)
        return cls(
            palette=palette,
            dark=is_dark(palette),
            text_color=text_color,
            muted=muted,
            base_font=base_font,
            bold=bold,
            metrics=QFontMetrics(base_font),
            line_height=QFontMetrics(base_font).height(),
            inner=box.adjusted(PADDING + 2, PADDING - 2, -PADDING, -PADDING + 2).toRect(),
        )


class LeadCardDelegate(QStyledItemDelegate):
    """Name, company, score, next follow-up, owner initials and consent, painted."""

    def __init__(
        self,
        clock: Clock,
        score_settings: ScoreSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.score_settings = score_settings or ScoreSettings()
        # On a temperature board the stage is worth a word on the card; on a stage
        # board the column already says it.
        self.show_stage = True
        # Speed-to-lead deadlines per temperature (the window sets them from Settings).
        self.sla_minutes: Mapping[Temperature, int] = DEFAULT_SLA_MINUTES

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(200, max(CARD_HEIGHT, 3 * line + 2 * PADDING + 2 * MARGIN_Y + 8))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        card: Card | None = index.data(CARD_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = self._paint_frame(painter, option)
        if card is not None:
            style = _CardStyle.of(option, box)
            self._paint_accent(painter, card, box)
            name_right = self._paint_score(painter, card, style)
            name_right = self._paint_completeness(painter, index, style, name_right)
            self._paint_name(painter, card, style, name_right)
            self._paint_company_line(painter, card, index, style)
            self._paint_bottom_line(painter, card, style)
        painter.restore()

    def _paint_frame(self, painter: QPainter, option: QStyleOptionViewItem) -> QRectF:
        """The card's rounded box, its border showing selection and hover; returns the box."""
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        box = QRectF(rect.adjusted(MARGIN_X, MARGIN_Y, -MARGIN_X, -MARGIN_Y))
        selected = bool(state & QStyle.StateFlag.State_Selected)
        background = palette.color(QPalette.ColorRole.Base)
        border = palette.color(QPalette.ColorRole.Mid)
        if selected:
            border = palette.color(QPalette.ColorRole.Highlight)
        elif state & QStyle.StateFlag.State_MouseOver:
            border = palette.color(QPalette.ColorRole.Highlight).lighter(130)
        painter.setPen(QPen(border, 2 if selected else 1))
        painter.setBrush(background)
        painter.drawRoundedRect(box, 6, 6)
        return box

    def _paint_accent(self, painter: QPainter, card: Card, box: QRectF) -> None:
        """The strip down the left edge in the colour of the lead's temperature."""
        accent = TEMPERATURE_COLORS.get(Temperature(card.temperature), QColor("#888"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawRoundedRect(QRectF(box.left(), box.top(), 4, box.height()), 2, 2)

    def _paint_score(self, painter: QPainter, card: Card, style: _CardStyle) -> int:
        """The score pill, top right, and beside it the temperature the score suggests
        when it is not the lead's; returns where the name must stop."""
        inner, line_height, dark = style.inner, style.line_height, style.dark
        pill_width = QFontMetrics(style.bold).horizontalAdvance("100") + 12
        pill = QRectF(inner.right() - pill_width, inner.top(), pill_width, line_height + 2)
        suggested = suggested_temperature(card.score, self.score_settings)
        pill_color = QColor(TEMPERATURE_COLORS[suggested])
        pill_color.setAlphaF(0.28 if dark else 0.16)
        painter.setBrush(pill_color)
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setFont(style.bold)
        pill_text = QColor(TEMPERATURE_COLORS[suggested])
        painter.setPen(pill_text.lighter(150) if dark else pill_text.darker(140))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, str(card.score))
        name_right = int(pill.left()) - 6
        if suggested.value == card.temperature:
            return name_right
        small = QFont(style.base_font)
        small.setPointSizeF(max(6.0, style.base_font.pointSizeF() * 0.85))
        small.setBold(True)
        hotter = TEMPERATURE_ORDER.index(suggested) > TEMPERATURE_ORDER.index(
            Temperature(card.temperature)
        )
        hint = f"{'▲' if hotter else '▼'} {suggested.label}"
        width = QFontMetrics(small).horizontalAdvance(hint) + 2
        hint_rect = QRect(name_right - width, inner.top(), width, line_height + 2)
        painter.setFont(small)
        painter.setPen(pill_text.lighter(150) if dark else pill_text.darker(130))
        painter.drawText(
            hint_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, hint
        )
        return hint_rect.left() - 6

    def _paint_completeness(
        self,
        painter: QPainter,
        index: QModelIndex | QPersistentModelIndex,
        style: _CardStyle,
        name_right: int,
    ) -> int:
        """Profile completeness: a small ring that fills as the key fields are known;
        returns where the name must stop."""
        complete = index.data(COMPLETENESS_ROLE)
        if complete is None:
            return name_right
        line_height = style.line_height
        size = max(9, line_height - 4)
        ring = QRectF(
            name_right - size, style.inner.top() + (line_height + 2 - size) / 2, size, size
        )
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
        return int(ring.left()) - 6

    def _paint_name(self, painter: QPainter, card: Card, style: _CardStyle, right: int) -> None:
        """The lead's name, first line, elided before ``right``."""
        inner = style.inner
        name = display_name(card.first_name, card.last_name, card.email)
        name_rect = QRect(inner.left(), inner.top(), right - inner.left(), style.line_height + 2)
        painter.setFont(style.bold)
        painter.setPen(style.text_color)
        painter.drawText(
            name_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(style.bold).elidedText(
                name, Qt.TextElideMode.ElideRight, name_rect.width()
            ),
        )

    def _paint_company_line(
        self,
        painter: QPainter,
        card: Card,
        index: QModelIndex | QPersistentModelIndex,
        style: _CardStyle,
    ) -> None:
        """Company (and job title), second line; a speed-to-lead badge at its right end."""
        inner, line_height, base_font = style.inner, style.line_height, style.base_font
        painter.setFont(base_font)
        second = " · ".join(part for part in (card.company, card.job_title) if part) or "—"
        second_rect = QRect(inner.left(), inner.top() + line_height + 4, inner.width(), line_height)
        awaiting = index.data(AWAITING_CONTACT_ROLE)
        if awaiting is not None:
            status = sla_status(
                awaiting, card.temperature, None, self._clock.now(), self.sla_minutes
            )
            badge_width = self._paint_sla_badge(painter, status, second_rect, style.palette)
            second_rect.setRight(second_rect.right() - badge_width - 6)
            painter.setFont(base_font)
        painter.setPen(style.muted)
        painter.drawText(
            second_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            style.metrics.elidedText(second, Qt.TextElideMode.ElideRight, second_rect.width()),
        )

    def _paint_bottom_line(self, painter: QPainter, card: Card, style: _CardStyle) -> None:
        """Follow-up (or its absence), consent and stage, left to right; owner badge right."""
        inner, line_height = style.inner, style.line_height
        bottom = QRect(inner.left(), inner.bottom() - line_height, inner.width(), line_height + 1)
        badge_size = line_height + 2
        if card.owner:
            self._paint_owner_badge(painter, card.owner, bottom, badge_size, style)
        right_limit = bottom.right() - badge_size - 6
        x = self._paint_next_step(painter, card, bottom, right_limit, style)
        metrics = style.metrics
        if card.consent == Consent.DENIED and x < right_limit:
            text = "⊘ No consent"
            painter.setPen(QColor("#f87171") if style.dark else DENIED_COLOR)
            painter.drawText(
                QRect(x, bottom.top(), right_limit - x, bottom.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, right_limit - x),
            )
            x += metrics.horizontalAdvance(text) + 10

        if self.show_stage and card.stage != Stage.LEAD:
            label = Stage(card.stage).label
            width = metrics.horizontalAdvance(label)
            if x + width < right_limit:
                painter.setPen(style.muted)
                painter.drawText(
                    QRect(right_limit - width, bottom.top(), width, bottom.height()),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    label,
                )

    def _paint_owner_badge(
        self, painter: QPainter, owner: str, bottom: QRect, size: int, style: _CardStyle
    ) -> None:
        """The owner's initials in a disc at the right end of the bottom line."""
        base_font = style.base_font
        badge = QRectF(bottom.right() - size, bottom.top() - 1, size, size)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.palette.color(QPalette.ColorRole.Mid))
        painter.drawEllipse(badge)
        small = QFont(base_font)
        small.setPointSizeF(max(6.0, base_font.pointSizeF() * 0.75))
        small.setBold(True)
        painter.setFont(small)
        painter.setPen(style.text_color)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, initials(owner))
        painter.setFont(base_font)

    def _paint_next_step(
        self, painter: QPainter, card: Card, bottom: QRect, right_limit: int, style: _CardStyle
    ) -> int:
        """When the next follow-up is due, or that an open lead has none; returns where the
        next item on the line starts."""
        x = bottom.left()
        if card.next_follow_up is not None:
            now = self._clock.now()
            overdue = card.next_follow_up < now
            text = format_due(card.next_follow_up, now)
            painter.setPen(overdue_color(style.palette) if overdue else style.muted)
            if overdue:
                painter.setFont(style.bold)
            width = QFontMetrics(painter.font()).horizontalAdvance(text)
            painter.drawText(
                QRect(x, bottom.top(), min(width, right_limit - x), bottom.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            painter.setFont(style.base_font)
            return x + width + 10
        if card.stage not in (Stage.CUSTOMER, Stage.DISQUALIFIED):
            # An open lead without a next step is about to be forgotten: say so.
            text = "No next step"
            painter.setPen(warning_color(style.palette))
            painter.drawText(
                QRect(x, bottom.top(), right_limit - x, bottom.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            return x + style.metrics.horizontalAdvance(text) + 10
        return x

    def _paint_sla_badge(
        self, painter: QPainter, status: SlaStatus, line: QRect, palette: QPalette
    ) -> int:
        """The speed-to-lead pill, right-aligned on ``line``; returns its width."""
        text = sla_badge_text(status)
        if text is None:
            return 0
        small = QFont(painter.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
        small.setBold(True)
        width = QFontMetrics(small).horizontalAdvance(text) + 12
        pill = QRectF(line.right() - width, line.top(), width, line.height())
        overdue = status.state is SlaState.OVERDUE
        dark = is_dark(palette)
        color = overdue_color(palette) if overdue else QColor("#d97706")
        painter.setPen(Qt.PenStyle.NoPen)
        if overdue:
            painter.setBrush(color)
        else:
            wash = QColor(color)
            wash.setAlphaF(0.3 if dark else 0.16)
            painter.setBrush(wash)
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setFont(small)
        if overdue:
            painter.setPen(QColor("#1f2329") if dark else QColor("#ffffff"))
        else:
            painter.setPen(color.lighter(140) if dark else color.darker(130))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        return int(width)
