"""The progressive lead form as a salesperson uses it: questions, sections, validation,
score, stage, timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from leaddesk.core.fields import Tier
from leaddesk.operations.activities import log_activity
from leaddesk.operations.importing import ImportOptions, import_csv
from leaddesk.operations.leads import update_lead
from leaddesk.storage.schema import activities, leads, settings
from leaddesk.ui.lead_form.dialog import LeadFormDialog
from leaddesk.ui.lead_form.form import LeadForm
from leaddesk.ui.lead_form.gate_dialog import GateDialog


def _form(qtbot, runner, lead_id: int | None = None) -> LeadForm:
    form = LeadForm(runner)
    qtbot.addWidget(form)
    if lead_id is not None:
        form.load(lead_id)
    form.resize(1000, 700)
    form.show()
    return form


def _questions(form: LeadForm) -> list[str]:
    return [
        form.questions.item(row).data(Qt.ItemDataRole.UserRole)
        for row in range(form.questions.count())
    ]


def _row(ctx, lead_id: int):
    with ctx.db.reading() as connection:
        return connection.execute(select(leads).where(leads.c.id == lead_id)).one()


def _when_gate_opens(qtbot, action) -> None:
    """Run ``action(dialog)`` on the gate dialog once it is shown."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, GateDialog):
            action(dialog)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def test_next_questions_follow_what_is_typed(qtbot, runner, make_lead):
    lead = make_lead("Ada", "warm", email="ada@example.com", job_title="CTO")
    form = _form(qtbot, runner, lead)
    assert _questions(form)[:3] == ["need", "budget_range", "expected_close_date"]

    qtbot.keyClicks(form.editors["need"].input, "Quotes take a week")
    form.recompute()
    assert _questions(form)[:2] == ["budget_range", "expected_close_date"]
    qtbot.keyClicks(form.edits["budget_range"], "10-20k")
    form.recompute()
    assert "budget_range" not in _questions(form)
    assert form.sections[Tier.WARM].meter_label.text() == "2/5"


def test_clicking_a_question_opens_its_section_and_focuses_the_field(qtbot, runner, make_lead):
    lead = make_lead("Ada", "cold", email="ada@example.com")
    form = _form(qtbot, runner, lead)
    assert not form.sections[Tier.WARM].expanded  # later tiers stay folded
    form.activateWindow()
    first = form.questions.item(0)
    assert first.data(Qt.ItemDataRole.UserRole) == "job_title"
    form.questions.itemClicked.emit(first)
    qtbot.waitUntil(lambda: form.edits["job_title"].hasFocus())


def test_reached_tiers_are_open_and_later_ones_folded(qtbot, runner, make_lead):
    form = _form(qtbot, runner, make_lead("Hot lead", "hot"))
    expanded = {tier for tier, section in form.sections.items() if section.expanded}
    assert expanded == {Tier.CAPTURE, Tier.COLD, Tier.WARM, Tier.HOT}


def test_email_website_and_phone_are_checked_inline_and_kept(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ada", "cold")
    form = _form(qtbot, runner, lead)
    form.edits["email"].setText("ada@@example")
    assert form.editors["email"].message.isVisibleTo(form)
    assert "saved as typed" in form.editors["email"].message.text()
    form.edits["website"].setText("not a site")
    assert "example.com" in form.editors["website"].message.text()
    form.edits["phone"].setText("(555) 201-0005")
    message = form.editors["phone"].message.text()
    assert "no country code" in message
    assert "kept as typed" in message

    assert form.save()
    row = _row(ctx, lead)
    assert (row.email, row.website, row.phone) == ("ada@@example", "not a site", "(555) 201-0005")


def test_a_phone_is_stored_in_e164_with_the_default_region(qtbot, runner, ctx, make_lead):
    with ctx.db.transaction() as connection:
        connection.execute(settings.insert().values(key="default_region", value="GB"))
    lead = make_lead("Ada", "cold")
    form = _form(qtbot, runner, lead)
    form.edits["phone"].setText("020 7946 0004")
    assert form.editors["phone"].message.text() == "Saved as +442079460004"
    assert form.save()
    assert _row(ctx, lead).phone == "+442079460004"


def test_a_value_that_cannot_be_stored_blocks_the_save_and_says_why(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ada", "cold")
    form = _form(qtbot, runner, lead)
    form.edits["company_size"].setText("lots")
    form.edits["company"].setText("Acme")
    assert not form.save()
    assert "whole number" in form.editors["company_size"].message.text()
    assert form.error.isVisibleTo(form)
    assert _row(ctx, lead).company is None  # nothing half-saved
    assert form.edits["company_size"].text() == "lots"  # nothing typed is lost


def test_disqualifying_needs_a_reason(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ada", "warm")
    form = _form(qtbot, runner, lead)
    form.stage.setCurrentIndex(form.stage.findData("disqualified"))
    assert not form.save()
    assert "reason" in form.editors["disqualification_reason"].message.text()
    assert _row(ctx, lead).stage == "lead"

    reason = form.editors["disqualification_reason"]
    reason.input.setCurrentIndex(reason.input.findData("No budget"))
    assert form.save()
    row = _row(ctx, lead)
    assert (row.stage, row.disqualification_reason) == ("disqualified", "No budget")


def test_choosing_a_hotter_stage_asks_only_for_the_missing_fields(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ada", "cold", budget_confirmed=True)
    form = _form(qtbot, runner, lead)
    asked: list[list[str]] = []

    def fill(dialog: GateDialog) -> None:
        asked.append(list(dialog.editors))
        dialog.editors["next_step"].set_value("Demo on Friday")
        dialog.move_button.click()

    _when_gate_opens(qtbot, fill)
    form.stage.setCurrentIndex(form.stage.findData("sql"))
    form.stage.activated.emit(form.stage.currentIndex())

    assert asked == [["decision_maker", "expected_close_date", "deal_value", "next_step"]]
    assert form.edits["next_step"].text() == "Demo on Friday"
    assert form.save()
    row = _row(ctx, lead)
    assert (row.stage, row.next_step) == ("sql", "Demo on Friday")


def test_cancelling_the_gate_puts_the_stage_back(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ada", "cold")
    form = _form(qtbot, runner, lead)
    _when_gate_opens(qtbot, lambda dialog: dialog.reject())
    form.stage.setCurrentIndex(form.stage.findData("opportunity"))
    form.stage.activated.emit(form.stage.currentIndex())
    assert form.stage.currentData() == "lead"
    assert not form.is_dirty()


def test_marking_won_asks_the_value_and_dates_it(qtbot, runner, ctx, make_lead, clock):
    lead = make_lead("Ada", "hot")
    form = _form(qtbot, runner, lead)

    def fill(dialog: GateDialog) -> None:
        dialog.editors["won_value"].input.setText("12,500")
        dialog.move_button.click()

    _when_gate_opens(qtbot, fill)
    form.stage.setCurrentIndex(form.stage.findData("customer"))
    form.stage.activated.emit(form.stage.currentIndex())
    assert form.save()
    row = _row(ctx, lead)
    assert row.stage == "customer"
    assert row.won_value_cents == 1_250_000
    assert row.won_date == clock.now().astimezone().date()


def test_the_score_lists_every_rule_that_fired_and_follows_the_fields(qtbot, runner, make_lead):
    lead = make_lead("Ada", "cold", email="ada@gmail.com")
    form = _form(qtbot, runner, lead)
    assert "Free-mail domain" in form.reasons.text()
    assert "decision maker" not in form.reasons.text()
    form.edits["job_title"].setText("Founder")
    form.recompute()
    assert "Job title looks like a decision maker" in form.reasons.text()
    assert "+20" in form.reasons.text()
    assert form.score.text() == "15"


def test_accepting_the_suggested_temperature_is_one_click(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ada", "hot", email="ada@gmail.com")
    form = _form(qtbot, runner, lead)
    button = form.accept_suggestion_button
    assert button.isVisibleTo(form)
    assert button.text() == "Accept suggested: Cold"
    button.click()
    assert _row(ctx, lead).temperature == "cold"
    assert not button.isVisibleTo(form)


def test_logging_a_signal_shows_on_the_timeline_and_feeds_the_score(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ada", "cold", email="ada@example.com")
    form = _form(qtbot, runner, lead)
    before = int(form.score.text())
    form.log_kind.setCurrentIndex(form.log_kind.findData("demo_request"))
    form.log_text.setText("Wants a demo for 20 seats")
    form.log_button.click()

    with ctx.db.reading() as connection:
        kinds = connection.execute(select(activities.c.kind, activities.c.text)).all()
    assert [tuple(kind) for kind in kinds] == [("demo_request", "Wants a demo for 20 seats")]
    qtbot.waitUntil(lambda: "Demo request" in form.timeline.item(0).text())
    assert int(form.score.text()) == before + 25
    assert "Requested a demo" in form.reasons.text()
    assert _row(ctx, lead).score == before + 25


def test_an_activity_back_dated_by_the_user_keeps_its_time(qtbot, runner, ctx, make_lead, clock):
    lead = make_lead("Ada", "cold")
    form = _form(qtbot, runner, lead)
    form.log_kind.setCurrentIndex(form.log_kind.findData("call"))
    form.log_time.setDateTime(form.log_time.dateTime().addSecs(-3600))
    form.log_button.click()
    with ctx.db.reading() as connection:
        occurred = connection.execute(select(activities.c.occurred_at)).scalar_one()
    assert occurred == clock.now() - dt.timedelta(hours=1)


def test_the_stage_history_is_shown_with_its_times(qtbot, runner, ctx, make_lead, clock):
    lead = make_lead("Ada", "warm")
    clock.advance(dt.timedelta(days=2))
    update_lead(ctx, lead, {"stage": "mql"})
    form = _form(qtbot, runner, lead)
    history = form.history.text()
    assert "Created as <b>Lead</b>" in history
    assert "Lead → <b>MQL</b>" in history
    assert history.index("MQL") < history.index("Created as")  # newest first


def test_unsaved_edits_survive_an_activity_logged_elsewhere(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ada", "cold")
    form = _form(qtbot, runner, lead)
    form.edits["company"].setText("Acme")
    runner.run(log_activity, lead, "call", "First call")  # bumps the version
    qtbot.waitUntil(lambda: "Call" in form.timeline.item(0).text())
    assert form.edits["company"].text() == "Acme"
    assert form.save()
    assert _row(ctx, lead).company == "Acme"
    assert runner.errors == []


@pytest.mark.parametrize("value", ["", "12,000", "12000.50"])
def test_money_is_read_as_typed(qtbot, runner, ctx, make_lead, value):
    lead = make_lead("Ada", "hot")
    form = _form(qtbot, runner, lead)
    form.edits["deal_value"].setText(value)
    assert form.save()
    expected = {"": None, "12,000": 1_200_000, "12000.50": 1_200_050}[value]
    assert _row(ctx, lead).deal_value_cents == expected


def test_the_dialog_keeps_its_api_and_creates_a_lead(qtbot, runner, ctx):
    dialog = LeadFormDialog(runner)
    qtbot.addWidget(dialog)
    dialog.edits["first_name"].setText("Zoë")
    dialog.edits["email"].setText("zoe@brandt.example")
    dialog.temperature.setCurrentIndex(dialog.temperature.findData("warm"))
    dialog.save()
    assert dialog.saved_lead_id is not None
    row = _row(ctx, dialog.saved_lead_id)
    assert (row.first_name, row.email, row.temperature, row.consent) == (
        "Zoë",
        "zoe@brandt.example",
        "warm",
        "unknown",
    )


def test_a_stored_phone_is_normalised_with_the_next_save(qtbot, runner, ctx, make_lead):
    with ctx.db.transaction() as connection:
        connection.execute(settings.insert().values(key="default_region", value="US"))
    lead = make_lead("Ada", "cold", phone="(555) 201-0005")
    form = _form(qtbot, runner, lead)
    assert form.editors["phone"].message.text() == "Saved as +15552010005"
    assert not form.is_dirty()  # opening a lead changes nothing by itself
    form.edits["company"].setText("Acme")
    assert form.save()
    assert _row(ctx, lead).phone == "+15552010005"


def test_granting_consent_records_when(qtbot, runner, ctx, make_lead, clock):
    lead = make_lead("Ada", "cold")
    form = _form(qtbot, runner, lead)
    consent = form.editors["consent"].input
    consent.setCurrentIndex(consent.findData("granted"))
    form.edits["consent_source"].setText("Trade fair")
    assert form.save()
    row = _row(ctx, lead)
    assert (row.consent, row.consent_date, row.consent_source) == (
        "granted",
        clock.now(),
        "Trade fair",
    )
    assert "Granted since" in form.consent_info.text()


def test_a_move_elsewhere_joins_unsaved_edits(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ada", "cold", phone="(555) 201-0005")  # stored as typed
    form = _form(qtbot, runner, lead)
    form.edits["company"].setText("Acme")
    runner.run(update_lead, lead, {"temperature": "warm"})  # a drag on the board
    qtbot.waitUntil(lambda: form.temperature.currentData() == "warm")
    assert form.edits["company"].text() == "Acme"
    assert form.save()
    row = _row(ctx, lead)
    assert (row.company, row.temperature) == ("Acme", "warm")
    assert runner.errors == []


def test_the_same_field_changed_elsewhere_is_not_overwritten_silently(
    qtbot, runner, ctx, make_lead
):
    lead = make_lead("Ada", "cold")
    form = _form(qtbot, runner, lead)
    form.edits["company"].setText("Acme")
    update_lead(ctx, lead, {"company": "Globex"})
    runner.announce(update_lead(ctx, lead, {"campaign": "Spring"}).changes)
    qtbot.wait(20)
    assert not form.save()
    assert "changed elsewhere" in form.error.text()
    assert _row(ctx, lead).company == "Globex"
    assert form.edits["company"].text() == "Acme"  # nothing typed is lost


def test_the_header_shows_the_name_and_company_as_typed(qtbot, runner, make_lead):
    lead = make_lead("<b>Tom</b>", "cold", company="R&D <Labs>")
    form = _form(qtbot, runner, lead)
    assert form.header.title.textFormat() == Qt.TextFormat.PlainText
    assert form.header.title.text() == "<b>Tom</b>"
    assert form.header.subtitle.textFormat() == Qt.TextFormat.PlainText
    assert form.header.subtitle.text() == "R&D <Labs>"


def test_the_owner_list_offers_team_members_added_meanwhile(
    qtbot, runner, ctx, make_lead, tmp_path
) -> None:
    # The side panel stays open while an import brings new team members.
    lead_id = make_lead("Ada", owner="Sam Seller")
    form = _form(qtbot, runner, lead_id)
    new_lead_form = _form(qtbot, runner)
    path = tmp_path / "team.csv"
    path.write_text("First Name,Email,Contact owner\nJürgen,j@n.example,Priya Patel\n")
    # As the import wizard's last page does with the result.
    runner.announce(import_csv(ctx, path, ImportOptions()).changes)

    for shown in (form, new_lead_form):
        owners_offered = [shown.owner.itemText(i) for i in range(shown.owner.count())]
        assert "Priya Patel" in owners_offered
    assert form.pipeline.owner_editor.value() == "Sam Seller"
