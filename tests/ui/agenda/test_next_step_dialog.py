"""The next-step dialog: presets seen from the user's zone, the picker read in that zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from leaddesk.core.agenda import Preset
from leaddesk.core.clock import FixedClock
from leaddesk.core.fields import Stage
from leaddesk.ui.agenda.next_step import CloseLead, NextStepDialog, PlannedFollowUp

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# Saturday 28 March 2026, 10:00 CET: Berlin springs forward that night.
SATURDAY = dt.datetime(2026, 3, 28, 10, 0, tzinfo=BERLIN)


def _dialog(qtbot, **options) -> NextStepDialog:
    dialog = NextStepDialog(FixedClock(SATURDAY), BERLIN, "Ana Silva", **options)
    qtbot.addWidget(dialog)
    return dialog


def test_tomorrow_is_09_00_summer_time_across_the_change(qtbot):
    dialog = _dialog(qtbot)
    dialog.choose(Preset.TOMORROW)
    step = dialog.result_step()
    assert isinstance(step, PlannedFollowUp)
    assert step.due_at == dt.datetime(2026, 3, 29, 7, 0, tzinfo=dt.UTC)  # 09:00 CEST
    assert step.due_at - SATURDAY == dt.timedelta(hours=22)


def test_the_presets_say_when_they_fall(qtbot):
    dialog = _dialog(qtbot)
    hints = {preset: label.text() for preset, label in dialog.preset_hints.items()}
    assert hints == {
        Preset.IN_1_HOUR: "today 11:00",
        Preset.THIS_AFTERNOON: "today 14:00",
        Preset.TOMORROW: "tomorrow 09:00",
        Preset.NEXT_MONDAY: "Mon 30 Mar 09:00",
        Preset.IN_A_WEEK: "Sat 04 Apr 10:00",
    }
    assert dialog.preset_buttons[Preset.TOMORROW].isChecked()  # the default
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).text() == "Plan follow-up"


def test_the_picker_is_read_as_wall_time_in_the_users_zone(qtbot):
    dialog = _dialog(qtbot)
    # 02:30 on the 29th does not exist in Berlin; like zoneinfo it becomes 03:30 CEST.
    dialog.set_picker(dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC))  # 03:30 CEST
    dialog.pick_button.setChecked(True)
    assert dialog.picker.dateTime().time().hour() == 3
    assert dialog.result_step() == PlannedFollowUp(
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC), None, None
    )
    edited = dialog.picker.dateTime().addDays(1)  # Monday 30th, 03:30 CEST
    dialog.picker.setDateTime(edited)
    assert dialog.pick_button.isChecked()
    assert dialog.result_step().due_at == dt.datetime(2026, 3, 30, 1, 30, tzinfo=dt.UTC)


def test_closing_offers_won_with_a_value_or_disqualified_with_a_reason(qtbot):
    dialog = _dialog(qtbot, reasons=["No budget", "Competitor"])
    dialog.close_button.setChecked(True)
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).text() == "Close lead"
    assert not dialog.note.isEnabled()
    assert dialog.result_step() == CloseLead(Stage.CUSTOMER)
    dialog.won_value.setValue(2500.5)
    assert dialog.result_step() == CloseLead(Stage.CUSTOMER, won_value_cents=250_050)
    dialog.reason.setCurrentIndex(1)
    dialog.reason.activated.emit(1)
    assert dialog.result_step() == CloseLead(Stage.DISQUALIFIED, reason="Competitor")


def test_adding_from_the_form_does_not_offer_closing(qtbot):
    dialog = _dialog(qtbot, allow_close=False, owners=[(1, "Sam"), (2, "Kim")], owner_id=2)
    assert dialog.close_button is None
    assert dialog.owner.currentText() == "Kim"
    dialog.note.setText("  Send the offer ")
    dialog.choose(Preset.IN_1_HOUR)
    assert dialog.result_step() == PlannedFollowUp(
        dt.datetime(2026, 3, 28, 10, 0, tzinfo=dt.UTC), "Send the offer", 2
    )


def test_a_name_with_markup_characters_is_shown_as_typed(qtbot):
    dialog = NextStepDialog(FixedClock(SATURDAY), BERLIN, "Tom & <Jerry>")
    qtbot.addWidget(dialog)
    title = next(label for label in dialog.findChildren(QLabel) if "next step" in label.text())
    shown = QTextDocument()
    shown.setHtml(title.text())
    assert shown.toPlainText() == "What is the next step with Tom & <Jerry>?"
