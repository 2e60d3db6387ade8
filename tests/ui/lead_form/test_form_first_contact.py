"""The lead form shows when a lead was first contacted: imported, or set by the first call.

The HubSpot file (tests/fixtures/csv/first_contact/hubspot_engagement.csv) maps
"Date of first engagement" to the first contact: "Called Quickly" was first
contacted at 10:29 UTC on 17 Nov 2026, "Fresh Enquiry" never.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from leaddesk.operations.activities import log_activity
from leaddesk.operations.importing import ImportOptions, import_csv
from leaddesk.storage.schema import leads
from leaddesk.ui.lead_form.form import LeadForm
from leaddesk.ui.lead_form.panel import LeadPanel

HUBSPOT = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "csv"
    / "first_contact"
    / "hubspot_engagement.csv"
)
CALLED_AT = dt.datetime(2026, 11, 17, 10, 29, tzinfo=dt.UTC)


def _local(moment: dt.datetime) -> str:
    """The moment as the user's clock shows it, written out here, not by the app's helper."""
    return moment.astimezone().strftime("%d %b %Y %H:%M")


def _form(qtbot, runner, lead_id: int) -> LeadForm:
    form = LeadForm(runner)
    qtbot.addWidget(form)
    form.load(lead_id)
    form.resize(1000, 700)
    form.show()
    return form


def _lead_id(ctx, email: str) -> int:
    with ctx.db.reading() as connection:
        return int(
            connection.execute(select(leads.c.id).where(leads.c.email == email)).scalar_one()
        )


def _first_contact_texts(widget) -> list[str]:
    """Every visible label of the form that speaks of a first contact."""
    return [
        label.text()
        for label in widget.findChildren(QLabel)
        if label.isVisibleTo(widget) and "first contacted" in label.text().casefold()
    ]


def _import(runner, ctx) -> None:
    result = import_csv(ctx, HUBSPOT, ImportOptions())
    assert result.created == 5
    runner.announce(result.changes)


def test_an_imported_first_contact_shows_in_the_form(qtbot, runner, ctx):
    _import(runner, ctx)
    form = _form(qtbot, runner, _lead_id(ctx, "called@example.com"))
    assert _first_contact_texts(form) == [f"First contacted {_local(CALLED_AT)}"]
    # Read-only: not an editor, nothing to save.
    assert not form.is_dirty()
    assert "first_contacted_at" not in form.values()


def test_an_imported_first_contact_shows_in_the_side_panel(qtbot, runner, ctx):
    _import(runner, ctx)
    panel = LeadPanel(runner)
    qtbot.addWidget(panel)
    panel.resize(430, 700)
    panel.show()
    assert panel.show_lead(_lead_id(ctx, "called@example.com"))
    assert _first_contact_texts(panel) == [f"First contacted {_local(CALLED_AT)}"]

    # The next lead, never contacted, does not keep the previous one's date.
    assert panel.show_lead(_lead_id(ctx, "fresh@example.com"))
    assert _first_contact_texts(panel) == []


def test_a_lead_never_contacted_shows_no_first_contact(qtbot, runner, ctx, make_lead):
    _import(runner, ctx)
    imported = _form(qtbot, runner, _lead_id(ctx, "fresh@example.com"))
    assert _first_contact_texts(imported) == []
    typed = _form(qtbot, runner, make_lead("Ada", "hot"))
    assert _first_contact_texts(typed) == []
    # A note is no contact.
    typed.log_kind.setCurrentIndex(typed.log_kind.findData("note"))
    typed.log_button.click()
    qtbot.waitUntil(lambda: "Note" in typed.timeline.item(0).text())
    assert _first_contact_texts(typed) == []


def test_logging_the_first_call_shows_it_without_reopening(qtbot, runner, ctx, make_lead, clock):
    form = _form(qtbot, runner, make_lead("Ada", "hot"))
    assert _first_contact_texts(form) == []
    form.log_kind.setCurrentIndex(form.log_kind.findData("call"))
    form.log_button.click()
    qtbot.waitUntil(lambda: _first_contact_texts(form) != [])
    assert _first_contact_texts(form) == [f"First contacted {_local(clock.now())}"]

    # A later call is not the first one: the date stays.
    clock.advance(dt.timedelta(days=2))
    form.log_kind.setCurrentIndex(form.log_kind.findData("email"))
    form.log_button.click()
    qtbot.waitUntil(lambda: form.timeline.count() == 2)
    assert _first_contact_texts(form) == [
        f"First contacted {_local(clock.now() - dt.timedelta(days=2))}"
    ]


def test_a_first_call_logged_elsewhere_shows_and_keeps_unsaved_edits(
    qtbot, runner, ctx, make_lead, clock
):
    lead = make_lead("Ada", "warm")
    form = _form(qtbot, runner, lead)
    form.edits["company"].setText("Acme")
    runner.run(log_activity, lead, "call", "Called her")  # the agenda, the command line ...
    qtbot.waitUntil(lambda: _first_contact_texts(form) != [])
    assert _first_contact_texts(form) == [f"First contacted {_local(clock.now())}"]
    assert form.edits["company"].text() == "Acme"
    assert form.is_dirty()


def test_undoing_the_first_call_takes_the_date_away(qtbot, runner, ctx, make_lead):
    form = _form(qtbot, runner, make_lead("Ada", "hot"))
    form.log_kind.setCurrentIndex(form.log_kind.findData("call"))
    form.log_button.click()
    qtbot.waitUntil(lambda: _first_contact_texts(form) != [])
    runner.undo_stack.undo()
    qtbot.waitUntil(lambda: _first_contact_texts(form) == [])
    with ctx.db.reading() as connection:
        assert connection.execute(select(leads.c.first_contacted_at)).scalar_one() is None
