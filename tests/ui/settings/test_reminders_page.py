"""Settings → Reminders: speed-to-lead deadlines and the tray option."""

from __future__ import annotations

from leaddesk.core.agenda import sla_minutes_from_settings
from leaddesk.core.fields import Temperature
from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.agenda.tray import keep_in_tray
from leaddesk.ui.settings.reminders_page import RemindersSettingsPage, split_minutes


def _stored(ctx) -> dict[Temperature, int]:
    with ctx.db.reading() as connection:
        return sla_minutes_from_settings(read_settings(connection))


def test_shows_the_defaults_in_readable_units(qtbot, runner):
    page = RemindersSettingsPage(runner, None)
    qtbot.addWidget(page)
    hot, warm, cold = (
        page.deadlines[t] for t in (Temperature.HOT, Temperature.WARM, Temperature.COLD)
    )
    assert (hot.amount.value(), hot.unit.currentText()) == (5, "minutes")
    assert (warm.amount.value(), warm.unit.currentText()) == (1, "days")
    assert (cold.amount.value(), cold.unit.currentText()) == (3, "days")


def test_save_stores_the_deadlines_and_announces_a_settings_change(qtbot, runner, ctx):
    page = RemindersSettingsPage(runner, None)
    qtbot.addWidget(page)
    hot = page.deadlines[Temperature.HOT]
    hot.amount.setValue(10)
    warm = page.deadlines[Temperature.WARM]
    warm.amount.setValue(4)
    warm.unit.setCurrentIndex(warm.unit.findData(60))
    with qtbot.waitSignal(runner.changed) as changed:
        assert page.save() is True
    assert changed.args[0].settings
    assert _stored(ctx) == {Temperature.HOT: 10, Temperature.WARM: 240, Temperature.COLD: 4320}
    # Reopened, the page shows what was saved.
    again = RemindersSettingsPage(runner, None)
    qtbot.addWidget(again)
    assert again.deadlines[Temperature.WARM].minutes() == 240


def test_saving_nothing_changed_writes_nothing(qtbot, runner):
    page = RemindersSettingsPage(runner, None)
    qtbot.addWidget(page)
    seen: list[object] = []
    runner.changed.connect(seen.append)
    assert page.save() is True
    assert seen == []


def test_keep_in_tray_is_saved_where_a_tray_exists(qtbot, runner, data_dir):
    page = RemindersSettingsPage(runner, None)
    qtbot.addWidget(page)
    if not page.keep_in_tray.isEnabled():  # offscreen: no tray, the option says why
        assert keep_in_tray(data_dir) is False
        return
    page.keep_in_tray.setChecked(True)
    page.save()
    assert keep_in_tray(data_dir) is True


def test_split_minutes_picks_the_largest_exact_unit():
    assert split_minutes(5) == (5, 1)
    assert split_minutes(90) == (90, 1)
    assert split_minutes(120) == (2, 60)
    assert split_minutes(72 * 60) == (3, 1440)
    assert split_minutes(0) == (0, 1)
