"""A lead taken from a bare name and email to Customer in the form alone."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from leaddesk.storage.schema import activities, leads, stage_history
from leaddesk.ui.lead_form.dialog import LeadFormDialog
from leaddesk.ui.lead_form.form import LeadForm
from leaddesk.ui.lead_form.gate_dialog import GateDialog


def _answer_next_gate(qtbot, answers: dict[str, object], asked: list[list[str]]) -> None:
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, GateDialog):
            QTimer.singleShot(10, poll)
            return
        asked.append(list(dialog.editors))
        for name, value in answers.items():
            dialog.editors[name].set_value(value)
        dialog.move_button.click()

    QTimer.singleShot(0, poll)


def _choose(form: LeadForm, which: str, value: str) -> None:
    combo = form.temperature if which == "temperature" else form.stage
    combo.setCurrentIndex(combo.findData(value))
    combo.activated.emit(combo.currentIndex())


def _questions(form: LeadForm) -> list[str]:
    return [
        form.questions.item(row).data(Qt.ItemDataRole.UserRole)
        for row in range(form.questions.count())
    ]


def test_from_a_name_and_an_email_to_customer(qtbot, runner, ctx):
    dialog = LeadFormDialog(runner)
    qtbot.addWidget(dialog)
    dialog.edits["first_name"].setText("Ada")
    dialog.edits["email"].setText("ada@analytical.example")
    dialog.save()
    lead = dialog.saved_lead_id
    assert lead is not None

    form = LeadForm(runner)
    qtbot.addWidget(form)
    form.load(lead)
    form.show()
    # Cold: who they are and whether they fit.
    assert _questions(form)[:2] == ["job_title", "company_size"]
    form.edits["job_title"].setText("Founder")
    form.edits["company_size"].setText("40")

    asked: list[list[str]] = []
    _answer_next_gate(qtbot, {"need": "Reports take days", "budget_range": "10-20k"}, asked)
    _choose(form, "temperature", "warm")
    assert form.save()
    # Warm: the rest of the need and the timeline.
    assert _questions(form)[:2] == ["expected_close_date", "product_interest"]

    for signal in ("pricing_visit", "demo_request"):
        form.log_kind.setCurrentIndex(form.log_kind.findData(signal))
        form.log_button.click()
    # 20 founder + 10 size + 5 business email + 10 pricing page + 25 demo request
    assert form.score.text() == "70"
    assert form.accept_suggestion_button.isVisibleTo(form)
    assert form.accept_suggestion_button.text() == "Accept suggested: Hot"
    bant = {
        "budget_confirmed": True,
        "decision_maker": True,
        "expected_close_date": dt.date(2026, 12, 15),
        "deal_value": 2_400_000,
        "next_step": "Send the contract",
    }
    _answer_next_gate(qtbot, bant, asked)
    form.accept_suggestion_button.click()  # one click: asks BANT, then saves

    _answer_next_gate(qtbot, {"won_value": 2_300_000}, asked)
    _choose(form, "stage", "customer")
    assert form.save()

    assert asked == [
        ["need", "product_interest", "budget_range"],
        ["budget_confirmed", "decision_maker", "expected_close_date", "deal_value", "next_step"],
        ["won_value"],
    ]
    with ctx.db.reading() as connection:
        row = connection.execute(select(leads).where(leads.c.id == lead)).one()
        stages = list(
            connection.execute(
                select(stage_history.c.to_stage).where(stage_history.c.lead_id == lead)
            ).scalars()
        )
        kinds = list(connection.execute(select(activities.c.kind)).scalars())
    assert (row.temperature, row.stage, row.won_value_cents) == ("hot", "customer", 2_300_000)
    assert row.won_date is not None
    assert (row.need, row.next_step, row.deal_value_cents) == (
        "Reports take days",
        "Send the contract",
        2_400_000,
    )
    assert stages == ["lead", "customer"]
    assert kinds == ["pricing_visit", "demo_request"]
    assert "Requested a demo" in form.reasons.text()
    assert runner.errors == []
