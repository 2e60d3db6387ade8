"""Paints a lead card: no widget per card, so a column of any length stays light.

Owns the card's layout: its size, frame, and what goes on each line in which order
(name and score, company, follow-up, consent, stage, owner). How the card looks is in
``card_style``; the small badges it places are painted by ``card_badges``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from leaddesk.core.agenda import (
    DEFAULT_SLA_MINUTES,
    SlaStatus,
    sla_status,
)
from leaddesk.core.clock import Clock
from leaddesk.core.fields import Consent, Stage, Temperature, display_name, initials
from leaddesk.core.scoring import ScoreSettings, suggested_temperature
from leaddesk.storage.queries import Card
from leaddesk.ui.board.card_badges import (
    paint_duplicate_badge,
    paint_hint,
    paint_ring,
    paint_sla_badge,
    ring_size,
    temperature_hint,
)
from leaddesk.ui.board.card_style import (
    BADGE_GAP,
    CARD_HEIGHT,
    MARGIN_X,
    MARGIN_Y,
    NAME_MIN_WIDTH,
    PADDING,
    CardStyle,
    is_narrow,
)
from leaddesk.ui.board.model import (
    AWAITING_CONTACT_ROLE,
    CARD_ROLE,
    COMPLETENESS_ROLE,
    POSSIBLE_DUPLICATE_ROLE,
)
from leaddesk.ui.theme import (
    DENIED_COLOR,
    TEMPERATURE_COLORS,
    overdue_color,
    warning_color,
)


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


class LeadCardDelegate(QStyledItemDelegate):
    """Name, company, score, next follow-up, owner initials and consent, painted.

    Every text is elided to its own box and the painter is clipped to the card, so
    nothing is drawn outside it however narrow the column is.
    """

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
        height = max(CARD_HEIGHT, 3 * line + 2 * PADDING + 2 * MARGIN_Y + 8)
        widget = option.widget
        # Every card of a column is as tall (uniform sizes): the column's width decides.
        width = (
            widget.viewport().width()
            if isinstance(widget, QAbstractScrollArea)
            else option.rect.width()
        )
        if is_narrow(width):
            height += line + 4
        return QSize(200, height)

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
            painter.setClipRect(box)
            rect: QRect = option.rect
            style = CardStyle.of(option, box, is_narrow(rect.width()))
            self._paint_accent(painter, card, box)
            name_right = self._paint_score(painter, card, style)
            sla = self._sla_status(card, index)
            duplicate = bool(index.data(POSSIBLE_DUPLICATE_ROLE))
            if style.badge_line is None:
                name_right = self._paint_badges_beside_name(painter, card, index, style, name_right)
                self._paint_company_line(painter, card, sla, style, duplicate)
            else:
                self._paint_badge_line(
                    painter, card, index, sla, style, style.badge_line, duplicate
                )
                self._paint_company_line(painter, card, None, style)
            self._paint_name(painter, card, style, name_right)
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

    def _paint_score(self, painter: QPainter, card: Card, style: CardStyle) -> int:
        """The score pill, top right, in the colour of the temperature it suggests;
        returns where the name must stop."""
        line, dark = style.name_line, style.dark
        pill_width = QFontMetrics(style.bold).horizontalAdvance("100") + 12
        pill = QRectF(line.right() - pill_width, line.top(), pill_width, line.height())
        suggested = suggested_temperature(card.score, self.score_settings)
        pill_color = QColor(TEMPERATURE_COLORS[suggested])
        pill_color.setAlphaF(0.28 if dark else 0.16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(pill_color)
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setFont(style.bold)
        pill_text = QColor(TEMPERATURE_COLORS[suggested])
        painter.setPen(pill_text.lighter(150) if dark else pill_text.darker(140))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, str(card.score))
        return int(pill.left()) - BADGE_GAP

    def _paint_badges_beside_name(
        self,
        painter: QPainter,
        card: Card,
        index: QModelIndex | QPersistentModelIndex,
        style: CardStyle,
        name_right: int,
    ) -> int:
        """A wide card: hint and completeness ring left of the score, as long as the name
        keeps its minimum room; returns where the name must stop."""
        line = style.name_line
        floor = line.left() + NAME_MIN_WIDTH
        if (hint := temperature_hint(card, self.score_settings, style)) is not None:
            wanted = QFontMetrics(style.small_bold).horizontalAdvance(hint.text) + 2
            width = min(wanted, name_right - floor)
            if width > 0:
                used = paint_hint(
                    painter,
                    hint,
                    QRect(name_right - width, line.top(), width, line.height()),
                    style,
                )
                name_right -= used + BADGE_GAP if used else 0
        complete = index.data(COMPLETENESS_ROLE)
        size = ring_size(style)
        if complete is not None and name_right - size >= floor:
            paint_ring(painter, complete, name_right - size, line, style)
            name_right -= size + BADGE_GAP
        return name_right

    def _paint_badge_line(
        self,
        painter: QPainter,
        card: Card,
        index: QModelIndex | QPersistentModelIndex,
        sla: SlaStatus | None,
        style: CardStyle,
        line: QRect,
        duplicate: bool = False,
    ) -> None:
        """A narrow card: hint, completeness ring, possible-duplicate and speed-to-lead
        badges on their own line, left to right, each dropped or elided when it is full."""
        x = line.left()
        if (hint := temperature_hint(card, self.score_settings, style)) is not None:
            width = QFontMetrics(style.small_bold).horizontalAdvance(hint.text) + 2
            rect = QRect(x, line.top(), min(width, line.right() - x), line.height())
            used = paint_hint(painter, hint, rect, style)
            x += used + BADGE_GAP if used else 0
        complete = index.data(COMPLETENESS_ROLE)
        size = ring_size(style)
        if complete is not None and x + size <= line.right():
            paint_ring(painter, complete, x, line, style)
            x += size + BADGE_GAP
        if duplicate and x < line.right():
            room = QRect(x, line.top(), line.right() - x, line.height())
            used = paint_duplicate_badge(painter, room, style, align_right=False)
            x += used + BADGE_GAP if used else 0
        if sla is not None and x < line.right():
            paint_sla_badge(
                painter, sla, QRect(x, line.top(), line.right() - x, line.height()), style, False
            )

    def _paint_name(self, painter: QPainter, card: Card, style: CardStyle, right: int) -> None:
        """The lead's name, first line, elided before ``right``."""
        line = style.name_line
        name = display_name(card.first_name, card.last_name, card.email)
        name_rect = QRect(line.left(), line.top(), max(0, right - line.left()), line.height())
        painter.setFont(style.bold)
        painter.setPen(style.text_color)
        painter.drawText(
            name_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(style.bold).elidedText(
                name, Qt.TextElideMode.ElideRight, name_rect.width()
            ),
        )

    def _sla_status(
        self, card: Card, index: QModelIndex | QPersistentModelIndex
    ) -> SlaStatus | None:
        awaiting = index.data(AWAITING_CONTACT_ROLE)
        if awaiting is None:
            return None
        return sla_status(awaiting, card.temperature, None, self._clock.now(), self.sla_minutes)

    def _paint_company_line(
        self,
        painter: QPainter,
        card: Card,
        sla: SlaStatus | None,
        style: CardStyle,
        duplicate: bool = False,
    ) -> None:
        """Company (and job title); on a wide card the speed-to-lead badge at its right
        end and the possible-duplicate badge left of it, together taking at most half
        the line (three quarters when both are shown)."""
        second = " · ".join(part for part in (card.company, card.job_title) if part) or "—"
        line = QRect(style.company_line)
        half = line.left() + line.width() // 2
        if sla is not None:
            room = QRect(half, line.top(), line.right() - half + 1, line.height())
            badge_width = paint_sla_badge(painter, sla, room, style, True)
            if badge_width:
                line.setRight(line.right() - badge_width - BADGE_GAP)
        # Beside a speed-to-lead badge the mark may take the company's third quarter:
        # a new lead just imported carries both, and the mark is what needs a look.
        start = half if sla is None else line.left() + line.width() // 4
        if duplicate and line.right() > start:
            room = QRect(start, line.top(), line.right() - start + 1, line.height())
            badge_width = paint_duplicate_badge(painter, room, style, align_right=True)
            if badge_width:
                line.setRight(line.right() - badge_width - BADGE_GAP)
        painter.setFont(style.base_font)
        painter.setPen(style.muted)
        painter.drawText(
            line,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            style.metrics.elidedText(second, Qt.TextElideMode.ElideRight, line.width()),
        )

    def _paint_bottom_line(self, painter: QPainter, card: Card, style: CardStyle) -> None:
        """Follow-up (or its absence), consent and stage, left to right; owner badge right."""
        bottom = style.bottom_line
        badge_size = style.line_height + 2
        right_limit = bottom.right()
        if card.owner and bottom.width() > 2 * badge_size:
            self._paint_owner_badge(painter, card.owner, bottom, badge_size, style)
            right_limit -= badge_size + BADGE_GAP
        x = self._paint_next_step(painter, card, bottom, right_limit, style)
        metrics = style.metrics
        if card.consent == Consent.DENIED and x < right_limit:
            text = metrics.elidedText("⊘ No consent", Qt.TextElideMode.ElideRight, right_limit - x)
            painter.setPen(QColor("#f87171") if style.dark else DENIED_COLOR)
            painter.drawText(
                QRect(x, bottom.top(), right_limit - x, bottom.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
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
        self, painter: QPainter, owner: str, bottom: QRect, size: int, style: CardStyle
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
        self, painter: QPainter, card: Card, bottom: QRect, right_limit: int, style: CardStyle
    ) -> int:
        """When the next follow-up is due, or that an open lead has none; returns where the
        next item on the line starts."""
        x = bottom.left()
        if card.next_follow_up is not None:
            now = self._clock.now()
            overdue = card.next_follow_up < now
            text = format_due(card.next_follow_up, now)
            painter.setPen(overdue_color(style.palette) if overdue else style.muted)
            painter.setFont(style.bold if overdue else style.base_font)
        elif card.stage not in (Stage.CUSTOMER, Stage.DISQUALIFIED):
            # An open lead without a next step is about to be forgotten: say so.
            text = "No next step"
            painter.setPen(warning_color(style.palette))
        else:
            return x
        metrics = QFontMetrics(painter.font())
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, right_limit - x))
        painter.drawText(
            QRect(x, bottom.top(), max(0, right_limit - x), bottom.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            shown,
        )
        painter.setFont(style.base_font)
        return x + metrics.horizontalAdvance(shown) + 10
