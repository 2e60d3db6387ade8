"""Paints an agenda row: who, when, and what to do -- two lines, no widget per row."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from leaddesk.core.agenda import format_minutes
from leaddesk.core.clock import Clock
from leaddesk.core.fields import Temperature
from leaddesk.ui.agenda.model import ITEM_ROLE, AgendaItem
from leaddesk.ui.theme import TEMPERATURE_COLORS, is_dark, overdue_color

PADDING_X = 10
PADDING_Y = 6


def format_agenda_due(due: dt.datetime, now: dt.datetime, zone: dt.tzinfo) -> str:
    """How late or when: '2 h 5 min late', 'Today 14:30', 'Tomorrow 09:00', 'Fri 09:00'."""
    if due < now:
        minutes = max(1, int((now - due).total_seconds() // 60))
        return f"{format_minutes(minutes)} late"
    local_due = due.astimezone(zone)
    days = (local_due.date() - now.astimezone(zone).date()).days
    if days == 0:
        return f"Today {local_due:%H:%M}"
    if days == 1:
        return f"Tomorrow {local_due:%H:%M}"
    if days < 7:
        return f"{local_due:%a %H:%M}"
    return f"{local_due:%a %d %b %H:%M}"


class AgendaItemDelegate(QStyledItemDelegate):
    """Name and due time on top; the note (or company and phone) beneath."""

    def __init__(self, clock: Clock, zone: dt.tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.zone = zone

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(240, 2 * line + 2 * PADDING_Y + 4)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        item: AgendaItem | None = index.data(ITEM_ROLE)
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        text_color = palette.color(QPalette.ColorRole.Text)
        if selected:
            highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
            highlight.setAlphaF(0.35 if is_dark(palette) else 0.18)
            painter.fillRect(rect, highlight)
        elif state & QStyle.StateFlag.State_MouseOver:
            hover = QColor(palette.color(QPalette.ColorRole.Highlight))
            hover.setAlphaF(0.08)
            painter.fillRect(rect, hover)
        # A hairline between rows.
        painter.setPen(palette.color(QPalette.ColorRole.Midlight))
        painter.drawLine(rect.left() + PADDING_X, rect.bottom(), rect.right(), rect.bottom())
        if item is None:
            painter.restore()
            return

        accent = TEMPERATURE_COLORS.get(Temperature(item.temperature), QColor("#888"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawRoundedRect(
            QRectF(rect.left() + 3, rect.top() + PADDING_Y, 3, rect.height() - 2 * PADDING_Y),
            1.5,
            1.5,
        )

        font: QFont = option.font
        bold = QFont(font)
        bold.setBold(True)
        metrics = QFontMetrics(font)
        line = metrics.height()
        inner = rect.adjusted(PADDING_X + 4, PADDING_Y, -PADDING_X, -PADDING_Y)
        muted = QColor(text_color)
        muted.setAlphaF(0.62)

        # due time, top right
        due_width = 0
        if item.due_at is not None:
            now = self._clock.now()
            due_text = format_agenda_due(item.due_at, now, self.zone)
            late = item.due_at < now
            painter.setFont(bold if late else font)
            due_width = QFontMetrics(painter.font()).horizontalAdvance(due_text)
            if late:
                painter.setPen(overdue_color(palette))
            else:
                painter.setPen(text_color if _is_today(item.due_at, now, self.zone) else muted)
            painter.drawText(
                QRect(inner.right() - due_width, inner.top(), due_width, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                due_text,
            )

        # name
        painter.setFont(bold)
        painter.setPen(text_color)
        name_width = inner.width() - due_width - (10 if due_width else 0)
        painter.drawText(
            QRect(inner.left(), inner.top(), name_width, line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(bold).elidedText(item.name, Qt.TextElideMode.ElideRight, name_width),
        )

        # second line: the note, else company and phone
        painter.setFont(font)
        painter.setPen(muted)
        if item.note:
            second = item.note
            if item.company:
                second = f"{item.note} · {item.company}"
        else:
            second = " · ".join(part for part in (item.company, item.phone) if part) or "—"
        painter.drawText(
            QRect(inner.left(), inner.top() + line + 2, inner.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(second, Qt.TextElideMode.ElideRight, inner.width()),
        )
        painter.restore()


def _is_today(due: dt.datetime, now: dt.datetime, zone: dt.tzinfo) -> bool:
    return due.astimezone(zone).date() == now.astimezone(zone).date()
