"""Stage grouping on a 1366×768 laptop: the board never asks for more than the screen."""

from __future__ import annotations

from PySide6.QtCore import QSize

from leaddesk.operations.leads import update_lead
from leaddesk.ui.board.column import COLUMN_MIN_WIDTH
from tests.ui.windows import active_main_window

LAPTOP = QSize(1366, 768)


def _stage_window_with_panel(qtbot, runner):
    window = active_main_window(qtbot, runner)
    window.lead_dock.show()
    window.by_stage.trigger()
    window.resize(LAPTOP)
    qtbot.waitUntil(lambda: window.lead_dock.isVisible())
    qtbot.waitUntil(lambda: window.board.scroll_area.viewport().width() > 0)
    return window


def test_stage_grouping_with_the_panel_fits_a_laptop_and_scrolls_sideways(
    qtbot, runner, ctx, make_lead
):
    for number in range(12):
        lead = make_lead(f"Fatima Al-Sayed {number}", "warm", company="Very Long Company Name GmbH")
        update_lead(ctx, lead, {"stage": ["lead", "mql", "sql", "opportunity"][number % 4]})
    window = _stage_window_with_panel(qtbot, runner)

    assert len(window.board.columns) == 6
    scroll_bar = window.board.scroll_area.horizontalScrollBar()
    qtbot.waitUntil(lambda: scroll_bar.maximum() > 0)
    assert window.minimumSizeHint().width() <= LAPTOP.width()
    # The offscreen screen is smaller than a laptop's; the window fits it too.
    assert window.minimumSizeHint().width() <= window.screen().availableGeometry().width()
    assert window.width() <= LAPTOP.width()
    # The columns do not fit beside the panel: each keeps its minimum, the board scrolls.
    widths = {column.width() for column in window.board.columns}
    assert min(widths) >= COLUMN_MIN_WIDTH
    assert max(widths) - min(widths) <= 1  # shared equally, not by header text


def test_back_to_temperature_the_window_can_shrink_again(qtbot, runner):
    window = _stage_window_with_panel(qtbot, runner)
    window.by_temperature.trigger()
    window.resize(QSize(700, 500))
    qtbot.waitUntil(lambda: window.width() <= 700)
    # Three columns with room: no sideways scrolling is needed at a laptop's width.
    window.lead_dock.hide()
    window.resize(LAPTOP)
    qtbot.waitUntil(lambda: window.board.scroll_area.horizontalScrollBar().maximum() == 0)
    widths = [column.width() for column in window.board.columns]
    assert len(widths) == 3
    assert min(widths) > COLUMN_MIN_WIDTH
