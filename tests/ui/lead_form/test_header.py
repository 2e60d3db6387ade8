"""FormHeader: the lead's name and company as typed, and how complete the profile is."""

from __future__ import annotations

import datetime as dt

from leaddesk.ui.lead_form.header import FormHeader


def test_a_new_lead_without_a_name_is_a_new_lead(qtbot):
    header = FormHeader()
    qtbot.addWidget(header)
    header.show_lead({}, is_new=True)
    assert header.title.text() == "New lead"
    header.show_lead({"first_name": "Ada", "company": "Acme", "job_title": "CTO"}, is_new=True)
    assert (header.title.text(), header.subtitle.text()) == ("Ada", "CTO · Acme")
    header.show_lead({}, is_new=False)
    assert header.title.text() == "(no name)"


def test_the_overall_completeness_is_a_whole_percentage(qtbot):
    header = FormHeader()
    qtbot.addWidget(header)
    header.show_completeness(0.854)
    assert header.overall.text() == "Profile 85% complete"


def test_the_first_contact_shows_in_local_time_and_goes_for_none(qtbot):
    header = FormHeader()
    qtbot.addWidget(header)
    header.show()
    assert not header.first_contact.isVisible()
    called = dt.datetime(2026, 3, 3, 9, 5, tzinfo=dt.UTC)
    header.show_first_contact(called)
    assert header.first_contact.isVisible()
    local = called.astimezone().strftime("%d %b %Y %H:%M")
    assert header.first_contact.text() == f"First contacted {local}"
    header.show_first_contact(None)
    assert not header.first_contact.isVisible()
