"""The window on a real X display: size on a laptop screen, focus, real clicks."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMenu

from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.leads import update_lead
from leaddesk.ui.agenda.model import Section
from tests.ui.windows import active_main_window
from tests.ui.xcb.x_input import click, keys

# A stuck test (a dialog nobody answers) must not hold the CI step for two minutes.
pytestmark = [pytest.mark.xcb, pytest.mark.timeout(30)]


def test_stage_grouping_with_the_panel_stays_on_a_laptop_screen(qtbot, runner, ctx, make_lead):
    for number, stage in enumerate(["lead", "mql", "sql", "opportunity", "customer"]):
        lead = make_lead(f"Fatima Al-Sayed {number}", "warm", company="Long Company Name GmbH")
        if stage != "lead":
            update_lead(ctx, lead, {"stage": stage, "won_date": dt.date(2026, 11, 1)})
    window = active_main_window(qtbot, runner)
    screen = window.screen().availableGeometry()
    assert screen.width() <= 1366

    if window.lead_dock.isHidden():
        keys("ctrl+4")
    qtbot.waitUntil(window.lead_dock.isVisible)
    keys("ctrl+2")
    qtbot.waitUntil(lambda: len(window.board.columns) == 6)
    qtbot.wait(200)  # let the window manager apply any size change

    assert window.minimumSizeHint().width() <= screen.width()
    assert screen.contains(window.frameGeometry())
    keys("ctrl+1")
    qtbot.waitUntil(lambda: len(window.board.columns) == 3)
    window.resize(700, 500)
    qtbot.waitUntil(lambda: window.width() <= 700)


def test_arrows_move_the_keyboard_focus_between_columns(qtbot, runner, make_lead):
    cold = make_lead("Cold one", "cold")
    warm = make_lead("Warm one", "warm")
    window = active_main_window(qtbot, runner)
    window.board.select_lead(cold)
    qtbot.waitUntil(window.board.column_for("cold").view.hasFocus)

    keys("Right")
    qtbot.waitUntil(window.board.column_for("warm").view.hasFocus)
    assert window.board.selected_lead_ids() == [warm]
    # Cooler needs no questions (hotter asks for the fields the tier needs).
    keys("ctrl+shift+Left")
    qtbot.waitUntil(lambda: window.board.column_for("cold").view.selected_lead_ids() == [warm])
    assert window.board.column_for("cold").view.hasFocus()


def test_a_real_click_on_a_follow_up_enables_done(qtbot, runner, ctx, make_lead):
    lead = make_lead("Due today", "warm")
    add_follow_up(ctx, lead, ctx.clock.now() + dt.timedelta(hours=1), "Call back")
    window = active_main_window(qtbot, runner)
    dock = window.agenda.dock
    dock.show()
    dock.raise_()
    agenda = dock.panel
    qtbot.waitUntil(lambda: agenda.isVisible() and agenda.counts.get(Section.TODAY, 0) == 1)
    view = agenda.sections[Section.TODAY].view
    qtbot.waitUntil(lambda: view.isVisible() and view.model().rowCount() == 1)
    assert not agenda.toolbar.done_action.isEnabled()

    click(view.viewport(), view.visualRect(view.model().index(0, 0)).center())

    qtbot.waitUntil(agenda.toolbar.done_action.isEnabled)
    assert agenda.current_item() is not None


def test_a_real_right_click_on_a_card_opens_its_menu(qtbot, runner, make_lead):
    make_lead("Ada")
    bo = make_lead("Bo")
    window = active_main_window(qtbot, runner)
    view = window.board.column_for("cold").view
    qtbot.waitUntil(lambda: view.model().rowCount() == 2)
    seen: list[list[str]] = []

    def look_and_close() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            seen.append([action.text() for action in menu.actions() if action.text()])
            menu.close()

    # The menu runs its own event loop; a timer looks at it from inside that loop.
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(look_and_close)
    timer.start()
    click(view.viewport(), view.visualRect(view.model().index(0)).center(), button=3)

    qtbot.waitUntil(lambda: len(seen) == 1)
    timer.stop()
    assert seen[0][:2] == ["&Open", "&Move to"]
    assert view.selected_lead_ids() == [bo]
