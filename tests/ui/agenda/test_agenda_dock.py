"""The agenda dock as a salesperson uses it: sections, counts, open, done, snooze, export."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import icalendar
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from leaddesk.core.agenda import Preset, SnoozeOption, preset_time
from leaddesk.core.clock import FixedClock
from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.storage.schema import activities, leads
from leaddesk.ui.agenda.dock import AgendaDock, AgendaPanel, dock_title
from leaddesk.ui.agenda.model import AgendaSectionModel, Section, load_snapshot
from leaddesk.ui.runner import OperationRunner
from tests.conftest import TEST_NOW
from tests.ui.agenda.agenda_helpers import follow_up_rows, when_next_step_dialog_opens
from tests.ui.conftest import CollectingRunner

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _panel(qtbot, runner: OperationRunner, zone: dt.tzinfo = dt.UTC) -> AgendaPanel:
    panel = AgendaPanel(runner, zone)
    qtbot.addWidget(panel)
    panel.resize(380, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _names(panel: AgendaPanel, section: str) -> list[str]:
    return [item.name for item in panel.sections[section].model.items]


@pytest.fixture
def planned(ctx, make_lead):
    """Overdue, today, upcoming, later and a lead with no next step (UTC zone)."""
    late = make_lead("Late", "hot")
    today = make_lead("Today", "warm")
    soon = make_lead("Soon")
    later = make_lead("Later")
    make_lead("Nothing", "hot")
    add_follow_up(ctx, late, TEST_NOW - dt.timedelta(hours=2), "Call back")
    add_follow_up(ctx, today, TEST_NOW + dt.timedelta(hours=3), "Send quote")
    add_follow_up(ctx, soon, TEST_NOW + dt.timedelta(days=2))
    add_follow_up(ctx, later, TEST_NOW + dt.timedelta(days=20))
    return {"late": late, "today": today, "soon": soon, "later": later}


def test_sections_hold_their_follow_ups_with_counts_in_headers_and_title(qtbot, runner, planned):
    dock = AgendaDock(runner, dt.UTC)
    qtbot.addWidget(dock)
    panel = dock.panel
    assert _names(panel, Section.OVERDUE) == ["Late"]
    assert _names(panel, Section.TODAY) == ["Today"]
    assert _names(panel, Section.UPCOMING) == ["Soon"]
    # Beyond the week: in the calendar, not on the agenda; it still has a next step.
    assert _names(panel, Section.NO_NEXT_STEP) == ["Nothing"]
    counts = [panel.sections[s].header.count.text() for s in Section.ALL]
    assert counts == ["1", "1", "1", "1"]
    assert dock.windowTitle() == "Agenda · 1 overdue · 1 today"
    assert dock.objectName() == "agendaDock"  # so saveState() remembers where it is


def test_section_models_pass_the_model_tester(qtmodeltester, runner, planned):
    snapshot = load_snapshot(runner.ctx.db, TEST_NOW, dt.UTC)
    for section in Section.ALL:
        model = AgendaSectionModel(section, dt.UTC)
        model.set_items(snapshot.items[section])
        qtmodeltester.check(model)
        assert model.rowCount() == 1


def test_a_new_follow_up_appears_when_the_change_is_announced(qtbot, runner, ctx, make_lead):
    panel = _panel(qtbot, runner)
    lead = make_lead("Fresh")
    assert _names(panel, Section.TODAY) == []
    runner.run(add_follow_up, lead, TEST_NOW + dt.timedelta(minutes=30), "Intro call")
    qtbot.waitUntil(lambda: _names(panel, Section.TODAY) == ["Fresh"])
    assert panel.sections[Section.TODAY].header.count.text() == "1"


def test_an_entry_moves_to_overdue_when_its_time_passes(qtbot, db, make_lead):
    """Only the clock moves: the panel re-reads at the due time, by itself."""
    start = TEST_NOW
    clock = FixedClock(start)
    runner = CollectingRunner(OperationContext(db=db, clock=clock, actor="Test"))
    lead = make_lead("Tick")
    add_follow_up(runner.ctx, lead, start + dt.timedelta(milliseconds=150))
    panel = _panel(qtbot, runner)
    assert _names(panel, Section.TODAY) == ["Tick"]
    clock.advance(dt.timedelta(seconds=1))
    qtbot.waitUntil(lambda: _names(panel, Section.OVERDUE) == ["Tick"], timeout=3000)
    assert _names(panel, Section.TODAY) == []


def test_days_are_the_users_days_across_the_october_change_in_berlin(qtbot, db, make_lead):
    # Sunday 25 Oct 2026, 22:30 CET (clocks went back at 03:00 that morning).
    now = dt.datetime(2026, 10, 25, 22, 30, tzinfo=BERLIN)
    runner = CollectingRunner(OperationContext(db=db, clock=FixedClock(now), actor="Test"))
    tonight, after_midnight = make_lead("Tonight"), make_lead("Monday")
    add_follow_up(runner.ctx, tonight, dt.datetime(2026, 10, 25, 23, 59, tzinfo=BERLIN))
    add_follow_up(runner.ctx, after_midnight, dt.datetime(2026, 10, 26, 0, 1, tzinfo=BERLIN))
    panel = _panel(qtbot, runner, BERLIN)
    assert _names(panel, Section.TODAY) == ["Tonight"]
    assert _names(panel, Section.UPCOMING) == ["Monday"]
    # The same instants seen from UTC (21:30): both are still "today" there.
    utc_panel = _panel(qtbot, runner, dt.UTC)
    assert _names(utc_panel, Section.TODAY) == ["Tonight", "Monday"]


def test_double_click_and_enter_open_the_lead(qtbot, runner, planned):
    panel = _panel(qtbot, runner)
    opened: list[int] = []
    panel.lead_activated.connect(opened.append)
    view = panel.sections[Section.TODAY].view
    index = view.model().index(0)
    center = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert opened == [planned["today"]]
    overdue = panel.sections[Section.OVERDUE].view
    overdue.setFocus()
    overdue.setCurrentIndex(overdue.model().index(0))
    qtbot.keyClick(overdue, Qt.Key.Key_Return)
    assert opened == [planned["today"], planned["late"]]


def test_done_completes_logs_a_call_and_asks_for_the_next_step(qtbot, runner, ctx, planned):
    panel = _panel(qtbot, runner)
    lead = planned["late"]
    panel.select(lead_id=lead, follow_up_id=follow_up_rows(ctx, lead)[0].id)

    def answer(dialog) -> None:
        assert dialog.close_button is not None  # "None — close the lead" is offered
        dialog.choose(Preset.IN_A_WEEK)
        dialog.note.setText("Check the trial")
        dialog.accept()

    seen = when_next_step_dialog_opens(answer)
    # Shortcuts only reach the active window.
    panel.windowHandle().requestActivate()
    qtbot.waitUntil(panel.isActiveWindow)
    qtbot.keyClick(
        panel.sections[Section.OVERDUE].view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier
    )

    assert len(seen) == 1
    first, second = follow_up_rows(ctx, lead)
    assert first.done_at == TEST_NOW
    assert second.done_at is None
    assert second.due_at == preset_time(Preset.IN_A_WEEK, TEST_NOW, dt.UTC)
    assert second.note == "Check the trial"
    with ctx.db.reading() as connection:
        kinds = list(
            connection.execute(
                select(activities.c.kind).where(activities.c.lead_id == lead)
            ).scalars()
        )
        first_contact = connection.execute(
            select(leads.c.first_contacted_at).where(leads.c.id == lead)
        ).scalar_one()
    assert kinds == ["call"]
    assert first_contact == TEST_NOW
    assert _names(panel, Section.OVERDUE) == []
    assert "Late" in _names(panel, Section.UPCOMING)


def test_done_then_not_now_leaves_the_lead_without_a_next_step(qtbot, runner, ctx, planned):
    panel = _panel(qtbot, runner)
    panel.select(lead_id=planned["today"], follow_up_id=follow_up_rows(ctx, planned["today"])[0].id)
    when_next_step_dialog_opens(lambda dialog: dialog.reject())
    panel.complete_selected()
    assert follow_up_rows(ctx, planned["today"])[0].done_at is not None
    assert "Today" in _names(panel, Section.NO_NEXT_STEP)


@pytest.mark.parametrize(
    ("outcome", "stage", "reason"),
    [("won", "customer", None), ("disqualified", "disqualified", "No budget")],
)
def test_none_closes_the_lead(qtbot, runner, ctx, planned, outcome, stage, reason):
    panel = _panel(qtbot, runner)
    lead = planned["late"]
    panel.select(lead_id=lead, follow_up_id=follow_up_rows(ctx, lead)[0].id)

    def close(dialog) -> None:
        dialog.close_button.setChecked(True)
        if outcome == "won":
            dialog.won.setChecked(True)
            dialog.won_value.setValue(1200)
        else:
            dialog.disqualified.setChecked(True)
            dialog.reason.setCurrentText("No budget")
        dialog.accept()

    when_next_step_dialog_opens(close)
    panel.complete_selected()
    with ctx.db.reading() as connection:
        row = connection.execute(
            select(leads.c.stage, leads.c.disqualification_reason, leads.c.won_value_cents).where(
                leads.c.id == lead
            )
        ).one()
    assert row.stage == stage
    assert row.disqualification_reason == reason
    assert row.won_value_cents == (120_000 if outcome == "won" else None)
    assert len(follow_up_rows(ctx, lead)) == 1  # no new follow-up
    # A closed lead needs no next step.
    assert "Late" not in _names(panel, Section.NO_NEXT_STEP)


def test_snooze_15_minutes_moves_the_follow_up_from_now(qtbot, runner, ctx, planned):
    panel = _panel(qtbot, runner)
    lead = planned["late"]
    panel.select(lead_id=lead, follow_up_id=follow_up_rows(ctx, lead)[0].id)
    action = next(a for a in panel.snooze_menu.actions() if a.objectName() == "snooze-15m")
    action.trigger()
    (row,) = follow_up_rows(ctx, lead)
    assert row.due_at == TEST_NOW + dt.timedelta(minutes=15)
    assert row.done_at is None
    assert _names(panel, Section.OVERDUE) == []
    assert _names(panel, Section.TODAY)[0] == "Late"
    # The snoozed entry stays selected, so a second snooze acts on it again.
    assert panel.current_item() is not None
    assert panel.current_item().lead_id == lead


def test_done_and_snooze_need_a_follow_up_selected(qtbot, runner, planned):
    panel = _panel(qtbot, runner)
    assert not panel.toolbar.done_action.isEnabled()
    panel.select(lead_id=planned["today"])
    assert panel.toolbar.done_action.isEnabled()
    assert panel.toolbar.snooze_button.isEnabled()
    nothing = panel.sections[Section.NO_NEXT_STEP].model.items[0]
    panel.select(lead_id=nothing.lead_id)
    assert not panel.toolbar.done_action.isEnabled()
    assert panel.toolbar.plan_action.isEnabled()  # a lead without a next step can get one


def test_plan_gives_a_lead_without_a_next_step_one(qtbot, runner, ctx, planned):
    panel = _panel(qtbot, runner)
    nothing = panel.sections[Section.NO_NEXT_STEP].model.items[0]
    panel.select(lead_id=nothing.lead_id)

    def pick(dialog) -> None:
        dialog.set_picker(TEST_NOW + dt.timedelta(days=1, hours=2))
        dialog.pick_button.setChecked(True)
        dialog.accept()

    when_next_step_dialog_opens(pick)
    panel.plan_selected()
    (row,) = follow_up_rows(ctx, nothing.lead_id)
    assert row.due_at == TEST_NOW.replace(second=0) + dt.timedelta(days=1, hours=2)
    assert _names(panel, Section.NO_NEXT_STEP) == []


def test_export_calendar_writes_an_ics_file_that_parses_back(
    qtbot, runner, planned, tmp_path: Path
):
    panel = _panel(qtbot, runner)
    messages: list[str] = []
    panel.message.connect(messages.append)
    target = tmp_path / "agenda.ics"
    panel.ask_export_path = lambda: target
    panel.toolbar.export_action.trigger()
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    events = calendar.walk("VEVENT")
    assert sorted(str(event["X-LEADDESK-LEAD-NAME"]) for event in events) == [
        "Late",
        "Later",
        "Soon",
        "Today",
    ]
    assert messages == [f"Wrote 4 open follow-ups to {target}."]


def test_export_to_a_missing_folder_is_one_sentence(qtbot, runner, planned, tmp_path: Path):
    panel = _panel(qtbot, runner)
    panel.ask_export_path = lambda: tmp_path / "nowhere" / "agenda.ics"
    panel.toolbar.export_action.trigger()
    assert runner.errors == [f"There is no folder {tmp_path / 'nowhere'}; choose another place."]


def test_a_first_contact_does_not_change_the_agenda_but_a_follow_up_does(
    qtbot, runner, ctx, planned
):
    panel = _panel(qtbot, runner)
    runner.run(log_activity, planned["soon"], "call")
    panel.flush()
    assert _names(panel, Section.UPCOMING) == ["Soon"]


def test_dock_title_names_only_what_needs_doing():
    assert dock_title({"overdue": 0, "today": 0, "upcoming": 3}) == "Agenda"
    assert dock_title({"overdue": 2, "today": 0}) == "Agenda · 2 overdue"


def test_done_and_the_next_step_are_two_undo_steps(qtbot, runner, ctx, planned):
    panel = _panel(qtbot, runner)
    lead = planned["late"]
    panel.select(lead_id=lead, follow_up_id=follow_up_rows(ctx, lead)[0].id)

    def answer(dialog) -> None:
        dialog.choose(Preset.TOMORROW)
        dialog.accept()

    when_next_step_dialog_opens(answer)
    panel.complete_selected()
    stack = runner.undo_stack
    assert stack.undoText() == "Plan next step for Late"
    stack.undo()
    assert len(follow_up_rows(ctx, lead)) == 1
    assert follow_up_rows(ctx, lead)[0].done_at is not None
    assert stack.undoText() == "Done with Late"
    stack.undo()
    (row,) = follow_up_rows(ctx, lead)
    assert row.done_at is None
    with ctx.db.reading() as connection:
        assert connection.execute(select(activities.c.id)).first() is None
    panel.flush()
    assert _names(panel, Section.OVERDUE) == ["Late"]
    stack.redo()
    assert follow_up_rows(ctx, lead)[0].done_at == TEST_NOW


def test_snooze_can_be_undone(qtbot, runner, ctx, planned):
    panel = _panel(qtbot, runner)
    lead = planned["late"]
    before = follow_up_rows(ctx, lead)[0].due_at
    panel.select(lead_id=lead)
    panel.snooze_selected(SnoozeOption.HOUR_1)
    assert runner.undo_stack.undoText() == "Snooze Late"
    runner.undo_stack.undo()
    assert follow_up_rows(ctx, lead)[0].due_at == before


def test_a_long_section_shows_its_first_rows_and_its_true_count(
    qtbot, runner, ctx, make_lead, monkeypatch
):
    from leaddesk.ui.agenda import model

    monkeypatch.setattr(model, "SECTION_LIMIT", 2)
    for hours in (3, 1, 2):
        lead = make_lead(f"Late {hours}")
        add_follow_up(ctx, lead, TEST_NOW - dt.timedelta(hours=hours))
    panel = _panel(qtbot, runner)
    assert _names(panel, Section.OVERDUE) == ["Late 3", "Late 2"]  # the longest overdue
    assert panel.sections[Section.OVERDUE].header.count.text() == "3"


def test_the_done_menu_offers_each_way_and_logs_the_one_picked(qtbot, runner, ctx, planned):
    panel = _panel(qtbot, runner)
    lead = planned["today"]
    panel.select(lead_id=lead, follow_up_id=follow_up_rows(ctx, lead)[0].id)
    menu = panel.toolbar.done_button.menu()
    labels = [action.text() for action in menu.actions()]
    assert labels == [
        "Done — I called",
        "Done — I emailed",
        "Done — we met",
        "Done — no contact (a note)",
    ]
    when_next_step_dialog_opens(lambda dialog: dialog.reject())
    menu.actions()[1].trigger()
    with ctx.db.reading() as connection:
        kinds = list(
            connection.execute(
                select(activities.c.kind).where(activities.c.lead_id == lead)
            ).scalars()
        )
    assert kinds == ["email"]
    assert follow_up_rows(ctx, lead)[0].done_at is not None


def test_a_click_on_a_follow_up_enables_done_and_snooze(qtbot, runner, planned):
    """A real click (press, release on the row), not only a current-index change."""
    panel = _panel(qtbot, runner)
    section = panel.sections[Section.TODAY]
    view = section.view
    row = next(i for i, item in enumerate(section.model.items) if item.lead_id == planned["today"])
    point = view.visualRect(section.model.index(row)).center()

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)

    assert panel.current_item().lead_id == planned["today"]
    assert panel.toolbar.done_action.isEnabled()
    assert panel.toolbar.snooze_button.isEnabled()

    # A click in another section moves the selection there, and the buttons follow it.
    nothing = panel.sections[Section.NO_NEXT_STEP]
    point = nothing.view.visualRect(nothing.model.index(0)).center()
    qtbot.mouseClick(nothing.view.viewport(), Qt.MouseButton.LeftButton, pos=point)

    assert panel.current_item().lead_id == nothing.model.items[0].lead_id
    assert not view.selectionModel().hasSelection()
    assert not panel.toolbar.done_action.isEnabled()
    assert panel.toolbar.plan_action.isEnabled()
