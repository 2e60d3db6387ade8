"""The lead form's arrangement: the error line and the two scrolling sides."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from leaddesk.ui.lead_form.form_layout import activity_side, error_line, profile_side
from leaddesk.ui.theme import ERROR_COLOR, ERROR_COLOR_DARK


def test_the_error_line_waits_hidden_in_a_colour_the_palette_can_read() -> None:
    light = error_line(QPalette(QColor("#f0f0f0")))
    dark = error_line(QPalette(QColor("#1f2329")))
    for line in (light, dark):
        assert line.isHidden()
        assert line.wordWrap()  # a long reason wraps instead of widening the form
    assert ERROR_COLOR.name() in light.styleSheet()
    assert ERROR_COLOR_DARK.name() in dark.styleSheet()


def test_each_side_scrolls_down_never_sideways_and_keeps_its_parts_in_order(
    qtbot: QtBot,
) -> None:
    parts = [QLabel(name) for name in ("pipeline", "questions", "sections")]
    profile = profile_side(*parts)
    boxes = [QWidget() for _ in range(4)]
    activity = activity_side(*boxes)
    for side in (profile, activity):
        qtbot.addWidget(side)
        assert side.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        assert side.widgetResizable()
    inner = profile.widget().layout()
    assert [inner.itemAt(i).widget() for i in range(3)] == parts
    # The timeline, last, takes the room the others leave.
    layout = activity.widget().layout()
    assert [layout.stretch(i) for i in range(4)] == [0, 0, 0, 1]
    assert layout.itemAt(3).widget() is boxes[3]
