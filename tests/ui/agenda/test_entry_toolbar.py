"""The Snooze button leaves room for its menu arrow beside the text."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle

from leaddesk.ui.agenda.dock import AgendaDock


def test_the_snooze_button_has_room_for_its_text_and_arrow(qtbot, runner) -> None:
    dock = AgendaDock(runner, dt.UTC)
    qtbot.addWidget(dock)
    dock.show()
    qtbot.waitExposed(dock)
    button = dock.panel.toolbar.snooze_button
    assert button.text() == "Snooze"
    text = QFontMetrics(button.font()).horizontalAdvance(button.text())
    arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
    # The text centred, and a whole arrow's width free on its right.
    assert (button.width() - text) / 2 >= arrow
    assert button.menu() is dock.panel.snooze_menu
