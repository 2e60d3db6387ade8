"""The form warns at once when a lead looks like one already there, and merges on request."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from leaddesk.storage.schema import leads
from leaddesk.ui.lead_form.form import LeadForm
from leaddesk.ui.merge_dialog import MergeDialog


def _form(qtbot, runner) -> LeadForm:
    form = LeadForm(runner)
    qtbot.addWidget(form)
    form.resize(1000, 700)
    form.show()
    return form


def test_typing_a_known_email_shows_the_warning(qtbot, runner, make_lead):
    anna = make_lead("Anna", email="anna@nordlicht.example", company="Nordlicht")
    form = _form(qtbot, runner)
    assert not form.duplicates.isVisibleTo(form)
    form.edits["email"].setText("Anna@Nordlicht.example")
    qtbot.waitUntil(lambda: form.duplicates.isVisibleTo(form))
    assert [match.lead_id for match in form.duplicates.matches] == [anna]
    assert "Nordlicht" in form.duplicates.label.text()


def test_an_opened_lead_is_not_its_own_duplicate_but_its_twin_is_named(qtbot, runner, make_lead):
    anna = make_lead("Anna", email="anna@nordlicht.example")
    twin = make_lead("Anna", phone="+49 30 1234567", email="ANNA@nordlicht.example")
    form = _form(qtbot, runner)
    form.load(anna)
    form.duplicates.check_now()
    assert [match.lead_id for match in form.duplicates.matches] == [twin]


def test_merge_from_the_warning_keeps_one_lead(qtbot, runner, ctx, make_lead):
    existing = make_lead("Anna", email="anna@nordlicht.example")
    form = _form(qtbot, runner)
    form.edits["first_name"].setText("Anna")
    form.edits["email"].setText("anna@nordlicht.example")
    form.edits["job_title"].setText("Head of Sales")

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, MergeDialog):
            dialog.merge_button.click()
        else:
            QTimer.singleShot(10, form, answer)

    QTimer.singleShot(0, form, answer)
    form.duplicates.merge_requested.emit(existing)

    assert form.lead_id == existing
    with ctx.db.reading() as connection:
        live = connection.execute(
            select(leads.c.id, leads.c.job_title).where(leads.c.deleted_at.is_(None))
        ).all()
    assert [tuple(row) for row in live] == [(existing, "Head of Sales")]


def test_open_asks_to_show_the_other_lead(qtbot, runner, make_lead):
    other = make_lead("Anna", email="anna@nordlicht.example")
    form = _form(qtbot, runner)
    with qtbot.waitSignal(form.open_requested) as blocker:
        form.duplicates.open_requested.emit(other)
    assert blocker.args == [other]
