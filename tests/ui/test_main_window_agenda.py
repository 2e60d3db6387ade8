"""The agenda, reminders and speed-to-lead inside the main window."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from leaddesk import cli
from leaddesk.core.fields import Temperature
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.settings import update_settings
from leaddesk.ui.agenda.model import Section
from leaddesk.ui.agenda.reminders import IniWatermarkStore
from leaddesk.ui.agenda.section_widgets import SECTION_COLORS
from leaddesk.ui.main_window import MainWindow
from tests.conftest import TEST_NOW
from tests.image_checks import assert_board_columns, assert_not_blank, blend, has_colour, load_png
from tests.ui.windows import active_main_window

_window = active_main_window


def test_ctrl_3_shows_and_hides_the_agenda_dock(qtbot, runner):
    window = _window(qtbot, runner)
    dock = window.agenda.dock
    assert window.findChild(type(dock), "agendaDock") is dock
    assert window.agenda.toggle_action in window.view_menu.actions()
    visible = dock.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert dock.isVisible() is not visible
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert dock.isVisible() is visible


def test_the_dock_opens_the_lead_in_the_window(qtbot, runner, ctx, make_lead, monkeypatch):
    lead = make_lead("Ana")
    add_follow_up(ctx, lead, TEST_NOW + dt.timedelta(hours=1))
    opened: list[int] = []
    monkeypatch.setattr(MainWindow, "open_lead", lambda self, lead_id: opened.append(lead_id))
    window = _window(qtbot, runner)
    window.agenda.show_agenda()
    panel = window.agenda.dock.panel
    panel.reload()
    view = panel.sections[Section.TODAY].view
    center = view.visualRect(view.model().index(0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert opened == [lead]


def test_a_reminder_missed_while_closed_shows_the_banner_at_start(
    qtbot, runner, ctx, make_lead, data_dir, monkeypatch
):
    lead = make_lead("Ana")
    add_follow_up(ctx, lead, TEST_NOW - dt.timedelta(minutes=10), "Call about the quote")
    IniWatermarkStore(data_dir).save(TEST_NOW - dt.timedelta(hours=1))
    opened: list[int] = []
    monkeypatch.setattr(MainWindow, "open_lead", lambda self, lead_id: opened.append(lead_id))
    window = _window(qtbot, runner)
    banner = window.agenda.banner
    assert banner.isHidden()
    window.start_reminders()
    assert not banner.isHidden()
    assert "Follow up with Ana" in banner.text.text()
    assert "Call about the quote" in banner.text.text()
    banner.open_button.click()
    assert opened == [lead]
    assert banner.isHidden()


def test_a_settings_change_reaches_the_cards_deadlines(qtbot, runner):
    window = _window(qtbot, runner)
    assert window.board.delegate.sla_minutes[Temperature.HOT] == 5
    runner.run(update_settings, {"sla_minutes_hot": 15})
    assert window.board.delegate.sla_minutes[Temperature.HOT] == 15


def test_closing_without_a_tray_really_closes(qtbot, runner, data_dir):
    from leaddesk.ui.agenda.tray import set_keep_in_tray

    set_keep_in_tray(data_dir, True)
    window = _window(qtbot, runner)
    window.agenda.tray.available = False
    assert window.close()
    assert not window.agenda.scheduler.timer.isActive()


def test_screenshot_of_the_agenda(qapp, capsys, data_dir: Path, tmp_path: Path):
    palette, style = QPalette(qapp.palette()), qapp.style().name()
    try:
        assert cli.main(["--data-dir", os.fspath(data_dir), "demo", "--count", "30"]) == 0
        output = tmp_path / "agenda.png"
        code = cli.main(
            ["--data-dir", os.fspath(data_dir), "screenshot", os.fspath(output), "--view", "agenda"]
        )
        captured = capsys.readouterr()
        assert (code, captured.err) == (0, "")
        image = load_png(output)
        assert (image.width(), image.height()) == (1280, 800)
        assert_not_blank(image)
        # The board on the left, the agenda dock on the right: each section's count
        # pill in its colour (washed out where the section is empty).
        assert_board_columns(image, QRect(0, 0, 853, 800))
        window = QApplication.palette().color(QPalette.ColorRole.Window)
        dock = QRect(960, 60, 320, 740)
        for section, colour in SECTION_COLORS.items():
            shades = [blend(colour, window, alpha) for alpha in (0.9, 0.25)]
            assert any(has_colour(image, shade, dock, tolerance=6) for shade in shades), section
    finally:
        qapp.setStyle(style)
        qapp.setPalette(palette)


def test_a_follow_up_coming_due_while_the_window_runs_shows_the_banner(
    qtbot, runner, clock, make_lead
):
    window = _window(qtbot, runner)
    window.start_reminders()
    lead = make_lead("Ana")
    runner.run(add_follow_up, lead, clock.now() + dt.timedelta(milliseconds=300), "Demo call")
    banner = window.agenda.banner
    assert banner.isHidden()
    # Only the injected clock says it is due (and a second late, so overdue on the
    # agenda); the reminder timer notices by itself.
    clock.advance(dt.timedelta(seconds=1))
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=3000)
    assert banner.text.text().startswith("Follow up with Ana")
    assert [
        item.name for item in window.agenda.dock.panel.sections[Section.OVERDUE].model.items
    ] == ["Ana"]
    window.close()


def test_keep_running_in_the_tray_hides_the_window_until_quit(qtbot, runner, data_dir, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from leaddesk.ui.agenda.tray import set_keep_in_tray

    set_keep_in_tray(data_dir, True)
    window = _window(qtbot, runner)
    window.agenda.tray.available = True  # as where the desktop has a tray
    window.start_reminders()
    assert window.close() is False
    assert window.isHidden()
    assert window.agenda.scheduler.watchdog.isActive()  # reminders keep coming
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    window.agenda.quit()  # the tray's "Quit LeadDesk"
    assert quits == [True]
    assert not window.agenda.scheduler.watchdog.isActive()


def test_the_banner_drops_a_reminder_done_from_the_agenda(qtbot, runner, ctx, make_lead, data_dir):
    from leaddesk.operations.follow_ups import complete_follow_up

    ana, ben = make_lead("Ana"), make_lead("Ben")
    first = add_follow_up(ctx, ana, TEST_NOW - dt.timedelta(minutes=10)).value
    second = add_follow_up(ctx, ben, TEST_NOW - dt.timedelta(minutes=5)).value
    IniWatermarkStore(data_dir).save(TEST_NOW - dt.timedelta(hours=1))
    window = _window(qtbot, runner)
    window.start_reminders()
    banner = window.agenda.banner
    assert banner.text.text() == "2 follow-ups are due: Ana, Ben"
    runner.run(complete_follow_up, first)
    assert banner.text.text().startswith("Follow up with Ben")
    runner.run(complete_follow_up, second)
    assert banner.isHidden()
