"""LiveScoreBox: the score of what the form holds, with the activity as stored."""

from __future__ import annotations

import datetime as dt

from leaddesk.core.fields import Consent
from leaddesk.core.scoring import DEFAULT_RULES, LeadFacts, ScoreSettings
from leaddesk.ui.lead_form.live_score import LiveScoreBox, live_facts

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def test_the_facts_are_the_typed_fields_and_the_stored_activity():
    base = LeadFacts(activity_counts={"demo_request": 1}, created_at=NOW - dt.timedelta(days=3))
    values = {"job_title": "Founder", "company_size": 40, "consent": "granted", "email": None}
    facts = live_facts(values, base, NOW)
    assert (facts.job_title, facts.company_size, facts.consent) == (
        "Founder",
        40,
        Consent.GRANTED,
    )
    assert facts.activity_counts == {"demo_request": 1}
    assert facts.created_at == base.created_at
    # A size that is not a number yet (being typed) scores as unknown; a new lead is new now.
    unsure = live_facts({"company_size": "lots"}, LeadFacts(), NOW)
    assert (unsure.company_size, unsure.consent, unsure.created_at) == (None, Consent.UNKNOWN, NOW)


def test_the_box_shows_the_score_and_keeps_the_result(qtbot):
    box = LiveScoreBox(lambda: NOW)
    qtbot.addWidget(box)
    box.set_rules(DEFAULT_RULES, ScoreSettings())
    box.set_base_facts(LeadFacts(created_at=NOW))
    result = box.show_for({"job_title": "Founder", "email": "ada@gmail.com", "temperature": "hot"})
    assert box.last_result == result
    assert box.score.text() == str(result.score) == "15"
    assert "Job title looks like a decision maker" in box.reasons.text()
    assert box.accept_button.text() == "Accept suggested: Cold"
