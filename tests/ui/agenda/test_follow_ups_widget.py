"""The follow-ups widget the lead form embeds: a lead's open follow-ups, add, done, snooze."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from leaddesk.core.agenda import Preset, SnoozeOption, preset_time
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.leads import owner_id_for
from leaddesk.storage.schema import follow_ups
from leaddesk.ui.agenda.follow_ups_widget import FollowUpsWidget
from tests.conftest import TEST_NOW
from tests.ui.agenda.agenda_helpers import follow_up_rows, when_next_step_dialog_opens


def _widget(qtbot, runner, lead_id=None) -> FollowUpsWidget:
    widget = FollowUpsWidget(runner, None, zone=dt.UTC)
    qtbot.addWidget(widget)
    widget.set_lead(lead_id)
    widget.show()
    return widget


def test_a_lead_not_saved_yet_has_nothing_to_plan(qtbot, runner):
    widget = _widget(qtbot, runner)
    assert not widget.isEnabled()
    assert widget.follow_up_ids == []


def test_lists_only_this_leads_open_follow_ups_soonest_first(qtbot, runner, ctx, make_lead):
    ana, ben = make_lead("Ana"), make_lead("Ben")
    later = add_follow_up(ctx, ana, TEST_NOW + dt.timedelta(days=3), "Demo").value
    sooner = add_follow_up(ctx, ana, TEST_NOW + dt.timedelta(hours=1), "Call").value
    add_follow_up(ctx, ben, TEST_NOW + dt.timedelta(hours=2))
    widget = _widget(qtbot, runner, ana)
    assert widget.follow_up_ids == [sooner, later]
    assert [item.name for item in widget.model.items] == ["Call", "Demo"]


def test_add_with_preset_note_and_owner(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ana", owner="Sam Seller")
    with ctx.db.transaction() as connection:
        other = owner_id_for(connection, "Kim Closer", TEST_NOW)
    widget = _widget(qtbot, runner, lead)

    def answer(dialog) -> None:
        assert dialog.close_button is None  # adding is not closing
        dialog.choose(Preset.TOMORROW)
        dialog.note.setText("Send the contract")
        dialog.owner.setCurrentIndex(dialog.owner.findData(other))
        dialog.accept()

    when_next_step_dialog_opens(answer)
    widget.add_button.click()
    (row,) = follow_up_rows(ctx, lead)
    assert row.due_at == preset_time(Preset.TOMORROW, TEST_NOW, dt.UTC)
    assert row.note == "Send the contract"
    with ctx.db.reading() as connection:
        owner = connection.execute(select(follow_ups.c.owner_id)).scalar_one()
    assert owner == other
    assert widget.follow_up_ids == [row.id]


def test_done_and_snooze_on_the_only_follow_up_need_no_selection(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ana")
    add_follow_up(ctx, lead, TEST_NOW - dt.timedelta(hours=1), "Call")
    widget = _widget(qtbot, runner, lead)
    widget.snooze_selected(SnoozeOption.MINUTES_15)
    assert follow_up_rows(ctx, lead)[0].due_at == TEST_NOW + dt.timedelta(minutes=15)

    def plan_next(dialog) -> None:
        dialog.choose(Preset.IN_1_HOUR)
        dialog.accept()

    when_next_step_dialog_opens(plan_next)
    widget.done_button.click()
    rows = follow_up_rows(ctx, lead)
    assert rows[0].done_at == TEST_NOW
    assert rows[1].due_at == TEST_NOW + dt.timedelta(hours=1)
    assert widget.follow_up_ids == [rows[1].id]


def test_done_acts_on_the_soonest_unless_another_is_chosen(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ana")
    later = add_follow_up(ctx, lead, TEST_NOW + dt.timedelta(days=2), "Demo").value
    sooner = add_follow_up(ctx, lead, TEST_NOW + dt.timedelta(hours=2), "Call").value
    widget = _widget(qtbot, runner, lead)
    assert widget.selected_follow_up_id() == sooner
    widget.view.setCurrentIndex(widget.model.index(1))
    when_next_step_dialog_opens(lambda dialog: dialog.reject())
    widget.complete_selected()
    done = {row.id: row.done_at for row in follow_up_rows(ctx, lead)}
    assert done == {later: TEST_NOW, sooner: None}
    assert widget.follow_up_ids == [sooner]


def test_without_follow_ups_only_add_is_offered(qtbot, runner, make_lead):
    widget = _widget(qtbot, runner, make_lead("Ana"))
    assert widget.add_button.isVisibleTo(widget)
    assert not widget.done_button.isVisibleTo(widget)
    assert not widget.snooze_button.isVisibleTo(widget)
    assert widget.empty.isVisibleTo(widget)
