"""A menu button's arrow sits beside its text: "Snooze ⌄", not "Snooz⌄"."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QStyle

from leaddesk.ui.agenda.entry_toolbar import AgendaEntryToolbar
from leaddesk.ui.agenda.follow_ups_widget import FollowUpsWidget


def _text_and_arrow_fit(button) -> bool:
    arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
    text = button.fontMetrics().horizontalAdvance(button.text())
    # What a layout gives a button with a stretch beside it: its size hint, or its
    # minimum width when that is larger.
    width = max(button.sizeHint().width(), button.minimumWidth())
    return width >= text + 2 * arrow + 8


def test_the_lead_forms_snooze_button_has_room_for_its_arrow(qtbot, runner):
    widget = FollowUpsWidget(runner)
    qtbot.addWidget(widget)
    assert _text_and_arrow_fit(widget.snooze_button)


def test_the_agendas_snooze_button_has_room_for_its_arrow(qtbot):
    toolbar = AgendaEntryToolbar(QMenu())
    qtbot.addWidget(toolbar)
    assert _text_and_arrow_fit(toolbar.snooze_button)
