"""The in-app reminder banner and the tray icon's texts and badge."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon

from leaddesk.core.agenda import FollowUpEntry
from leaddesk.ui.agenda.banner import ReminderBanner, reminder_text
from leaddesk.ui.agenda.tray import (
    TrayController,
    badge_icon,
    keep_in_tray,
    set_keep_in_tray,
    tooltip_text,
)

DUE = dt.datetime(2026, 11, 17, 14, 30, tzinfo=dt.UTC)


def _entry(follow_up_id: int, name: str, note: str | None = None) -> FollowUpEntry:
    return FollowUpEntry(follow_up_id, follow_up_id * 10, name, DUE, note)


def test_reminder_text_for_one_and_for_many():
    assert reminder_text([_entry(1, "Ana Silva", "call about the quote")], dt.UTC) == (
        "Follow up with Ana Silva (due 14:30): call about the quote"
    )
    many = [_entry(i, name) for i, name in enumerate(["A", "B", "C", "D", "E"], start=1)]
    assert reminder_text(many, dt.UTC) == "5 follow-ups are due: A, B, C and 2 more"


def test_banner_opens_the_lead_and_dismisses(qtbot):
    banner = ReminderBanner(zone=dt.UTC)
    qtbot.addWidget(banner)
    assert banner.isHidden()
    banner.show_reminders([_entry(1, "Ana", "Call")])
    assert not banner.isHidden()
    assert banner.text.text() == "Follow up with Ana (due 14:30): Call"
    assert banner.agenda_button.isHidden()
    banner.show_reminders([_entry(2, "Ben"), _entry(1, "Ana", "Call")])  # Ana only once
    assert banner.text.text() == "2 follow-ups are due: Ana, Ben"
    with qtbot.waitSignal(banner.open_lead) as opened:
        banner.open_button.click()
    assert opened.args == [10]
    assert banner.text.text().startswith("Follow up with Ben")
    banner.dismiss_button.click()
    assert banner.isHidden()
    assert banner.entries == []


def test_tray_tooltip_and_badge():
    assert tooltip_text(0) == "LeadDesk — nothing overdue"
    assert tooltip_text(1) == "LeadDesk — 1 overdue follow-up"
    assert tooltip_text(12) == "LeadDesk — 12 overdue follow-ups"


def test_badge_icon_paints_the_count(qapp):
    plain = badge_icon(QIcon(), 0).pixmap(64, 64).toImage()
    badged = badge_icon(QIcon(), 7).pixmap(64, 64).toImage()
    # The corner turns red where the count is drawn; the rest stays the base icon.
    assert plain.pixelColor(50, 6) != badged.pixelColor(50, 6)
    assert badged.pixelColor(50, 6).red() > 180
    assert plain.pixelColor(5, 60) == badged.pixelColor(5, 60)


def test_without_a_tray_the_controller_is_inert(qapp):
    tray = TrayController(available=False)
    assert tray.icon is None
    assert tray.notify([_entry(1, "Ana")]) is False
    tray.set_overdue(3)
    assert tray.overdue == 3


def test_keep_in_tray_is_remembered_per_data_folder(qapp, data_dir):
    assert keep_in_tray(data_dir) is False
    set_keep_in_tray(data_dir, True)
    assert keep_in_tray(data_dir) is True


# The offscreen platform has no tray window to watch and says so once.
@pytest.mark.qt_log_ignore("QObject::connect: No such signal QPlatformNativeInterface")
def test_with_a_tray_the_icon_counts_notifies_and_opens_the_lead(qapp):
    tray = TrayController(available=True)
    try:
        assert tray.icon is not None
        tray.set_overdue(4)
        assert tray.icon.toolTip() == "LeadDesk — 4 overdue follow-ups"
        assert tray.notify([_entry(1, "Ana")]) is True
        shown: list[bool] = []
        opened: list[int] = []
        tray.show_window.connect(lambda: shown.append(True))
        tray.open_lead.connect(opened.append)
        tray.icon.messageClicked.emit()  # the user clicked the notification
        assert shown == [True]
        assert opened == [10]
        quit_action = tray.menu.actions()[-1]
        assert quit_action.text() == "Quit LeadDesk"
    finally:
        tray.hide()
        tray.deleteLater()


def test_banner_shows_names_and_notes_as_typed_not_as_markup(qtbot):
    banner = ReminderBanner(zone=dt.UTC)
    qtbot.addWidget(banner)
    banner.show_reminders([_entry(1, "Tom & <Jerry>", "call re <b>quote</b>")])
    assert banner.text.textFormat() == Qt.TextFormat.PlainText
    assert banner.text.text() == "Follow up with Tom & <Jerry> (due 14:30): call re <b>quote</b>"
