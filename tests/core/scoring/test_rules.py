"""Score rules: which default rule fires on which facts, and the default points.

Expected points come from the score rules in DOMAIN.md (fit, intent, negatives),
not from running the code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from leaddesk.core.fields import Consent, Temperature
from leaddesk.core.scoring import DEFAULT_RULES, LeadFacts, rule_fires, score_lead
from tests.core.scoring.scoring_helpers import NOW, facts

RULES_BY_KEY = {rule.key: rule for rule in DEFAULT_RULES}


def fired(lead: LeadFacts, now: dt.datetime = NOW) -> set[str]:
    """Keys of the default rules that fire for ``lead``."""
    return {rule.key for rule in DEFAULT_RULES if rule_fires(rule, lead, now)}


def test_a_lead_with_no_facts_scores_zero_with_no_reasons() -> None:
    result = score_lead(facts(), now=NOW)
    assert fired(facts()) == set()
    assert result.score == 0
    assert result.reasons == ()
    assert result.suggested_temperature is Temperature.COLD
    assert not result.qualified


def test_default_points_are_the_documented_ones() -> None:
    points = {rule.key: rule.points for rule in DEFAULT_RULES}
    assert points == {
        "decision_maker_title": 20,
        "target_company_size": 10,
        "target_country": 5,
        "business_email": 5,
        "requested_demo": 25,
        "visited_pricing": 10,
        "downloaded_case_study": 15,
        "attended_webinar": 10,
        "replied": 10,
        "opened_emails": 5,
        "free_mail": -5,
        "invalid_email": -20,
        "student_title": -15,
        "no_consent": -10,
        "inactive": -10,
    }
    assert all(rule.enabled for rule in DEFAULT_RULES)
    assert len({rule.key for rule in DEFAULT_RULES}) == len(DEFAULT_RULES)


# --- fit: job title -------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "CEO",
        "ceo",
        "Owner",
        "Founder",
        "Co-Founder & CTO",
        "VP Sales",
        "vp, marketing",
        "Vice President of Operations",
        "Head of Marketing",
        "Sales Manager",
        "Managing Director",
        "Chief Revenue Officer",
        "President",
        "Partner",
        "Geschäftsführer",
        "GESCHÄFTSFÜHRER",
        "Inhaber",
        "Directeur commercial",
        "Gérant",
        "International Sales Director",
    ],
)
def test_decision_maker_titles_fire(title: str) -> None:
    assert fired(facts(job_title=title)) == {"decision_maker_title"}


@pytest.mark.parametrize(
    "title",
    [
        "MVP designer",  # 'vp' inside a word
        "Account management specialist",  # 'management' is not 'manager'
        "Headoffice clerk",  # 'head of' must be whole words
        "Ownership analyst",
        "Partnership coordinator",
        "Software engineer",
        "Directorate assistant",
        "",
    ],
)
def test_titles_that_only_contain_a_decision_maker_word_do_not_fire(title: str) -> None:
    assert "decision_maker_title" not in fired(facts(job_title=title))


@pytest.mark.parametrize(
    "title", ["Student", "Marketing Intern", "Trainee", "Job seeker", "Unemployed", "INTERN"]
)
def test_student_and_job_seeker_titles_fire_the_negative_rule(title: str) -> None:
    assert fired(facts(job_title=title)) == {"student_title"}


@pytest.mark.parametrize("title", ["Internal auditor", "International buyer", "Studentenwerk"])
def test_words_that_merely_start_with_intern_or_student_do_not_fire(title: str) -> None:
    assert "student_title" not in fired(facts(job_title=title))


def test_a_title_can_be_both_decision_maker_and_student() -> None:
    assert fired(facts(job_title="Student and co-founder")) == {
        "decision_maker_title",
        "student_title",
    }


def test_no_job_title_fires_no_title_rule() -> None:
    assert fired(facts(job_title=None)) == set()


# --- fit: company size and country ------------------------------------------------


@pytest.mark.parametrize(
    ("size", "fires"),
    [(None, False), (0, False), (9, False), (10, True), (500, True), (1000, True), (1001, False)],
)
def test_company_size_range_includes_both_bounds(size: int | None, fires: bool) -> None:
    assert ("target_company_size" in fired(facts(company_size=size))) is fires


@pytest.mark.parametrize(
    "country", ["Germany", "germany", "  GERMANY ", "de", "Deutschland", "United Kingdom", "usa"]
)
def test_target_countries_match_case_insensitively(country: str) -> None:
    assert fired(facts(country=country)) == {"target_country"}


@pytest.mark.parametrize("country", ["Mexico", "", None, "Germany, Berlin", "Deutsch"])
def test_other_countries_do_not_fire(country: str | None) -> None:
    assert fired(facts(country=country)) == set()


# --- fit and negatives: email -----------------------------------------------------


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("anna@acme.io", {"business_email"}),
        ("Anna.Smith@Acme-Corp.co.uk", {"business_email"}),
        ("jürgen@bäckerei-schäfer.de", {"business_email"}),  # IDN: library path
        ("anna@gmail.com", {"free_mail"}),
        ("anna@GMAIL.com", {"free_mail"}),
        ("hans@web.de", {"free_mail"}),
        ("not an email", {"invalid_email"}),
        ("anna@acme", {"invalid_email"}),
        ("anna@@acme.io", {"invalid_email"}),
        ("anna..smith@acme.io", {"invalid_email"}),
        (None, set()),
        ("", set()),
    ],
)
def test_email_rules(email: str | None, expected: set[str]) -> None:
    assert fired(facts(email=email)) == expected


# --- intent: activity signals -------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "rule"),
    [
        ("demo_request", "requested_demo"),
        ("quote_request", "requested_demo"),
        ("pricing_visit", "visited_pricing"),
        ("case_study_download", "downloaded_case_study"),
        ("webinar", "attended_webinar"),
        ("email_replied", "replied"),
    ],
)
def test_each_activity_signal_fires_its_rule_once(kind: str, rule: str) -> None:
    lead = facts(activity_counts={kind: 1}, last_activity_at=NOW)
    assert fired(lead) == {rule}
    result = score_lead(lead, now=NOW)
    assert result.score == RULES_BY_KEY[rule].points


def test_a_demo_and_a_quote_request_count_once() -> None:
    lead = facts(activity_counts={"demo_request": 2, "quote_request": 1}, last_activity_at=NOW)
    assert score_lead(lead, now=NOW).score == 25


@pytest.mark.parametrize(
    ("opened", "fires"), [(0, False), (1, False), (2, False), (3, True), (7, True)]
)
def test_opened_emails_needs_three(opened: int, fires: bool) -> None:
    lead = facts(activity_counts={"email_opened": opened}, last_activity_at=NOW)
    assert ("opened_emails" in fired(lead)) is fires


def test_plain_calls_and_notes_are_not_intent_signals() -> None:
    lead = facts(activity_counts={"call": 4, "note": 9, "meeting": 1}, last_activity_at=NOW)
    assert fired(lead) == set()


# --- negatives: consent and inactivity ---------------------------------------------


@pytest.mark.parametrize(
    ("consent", "fires"),
    [(Consent.DENIED, True), (Consent.GRANTED, False), (Consent.UNKNOWN, False)],
)
def test_denied_consent_costs_points(consent: Consent, fires: bool) -> None:
    assert ("no_consent" in fired(facts(consent=consent))) is fires


@pytest.mark.parametrize(
    ("created_days_ago", "last_activity_days_ago", "fires"),
    [
        (30, None, True),  # exactly 30 days since creation
        (29.99, None, False),
        (90, None, True),
        (90, 5, False),  # recent activity counts, not the creation date
        (90, 30, True),
        (90, 29.99, False),
        (0, None, False),
    ],
)
def test_inactivity_is_measured_from_last_activity_else_creation(
    created_days_ago: float, last_activity_days_ago: float | None, fires: bool
) -> None:
    last = (
        None if last_activity_days_ago is None else NOW - dt.timedelta(days=last_activity_days_ago)
    )
    lead = facts(created_at=NOW - dt.timedelta(days=created_days_ago), last_activity_at=last)
    assert ("inactive" in fired(lead)) is fires


def test_a_lead_with_no_known_dates_is_not_inactive() -> None:
    assert fired(LeadFacts()) == set()


def test_inactivity_days_are_editable() -> None:
    rule = dataclasses.replace(RULES_BY_KEY["inactive"], parameters={"days": 7})
    lead = facts(created_at=NOW - dt.timedelta(days=8))
    assert rule_fires(rule, lead, NOW)
    assert not rule_fires(rule, facts(created_at=NOW - dt.timedelta(days=6)), NOW)
