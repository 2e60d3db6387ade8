"""The lead score: which default rule fires on which facts, clamping, cut-offs, reasons.

Expected points come from the score rules in DOMAIN.md (fit, intent, negatives),
not from running the code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.core.fields import Consent, Temperature
from leaddesk.core.scoring import (
    DEFAULT_RULES,
    LeadFacts,
    RuleKind,
    ScoreReason,
    ScoreRule,
    ScoreSettings,
    rule_fires,
    score_lead,
    suggested_temperature,
)
from leaddesk.core.settings import SETTINGS_BY_KEY

NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)
RULES_BY_KEY = {rule.key: rule for rule in DEFAULT_RULES}


def facts(**overrides: Any) -> LeadFacts:
    """A lead created just now that fires no default rule, plus ``overrides``."""
    values: dict[str, Any] = {"created_at": NOW}
    values.update(overrides)
    return LeadFacts(**values)


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


# --- totals, clamping and cut-offs --------------------------------------------------

ALL_POSITIVE = facts(
    job_title="CEO",
    company_size=50,
    country="Germany",
    email="ceo@acme.io",
    consent=Consent.GRANTED,
    activity_counts={
        "demo_request": 1,
        "pricing_visit": 1,
        "case_study_download": 1,
        "webinar": 1,
        "email_replied": 1,
        "email_opened": 3,
    },
    last_activity_at=NOW,
)

ALL_NEGATIVE = facts(
    job_title="Student",
    email="not an email",
    consent=Consent.DENIED,
    created_at=NOW - dt.timedelta(days=400),
)


def test_a_typical_hot_prospect_adds_up_fit_and_intent() -> None:
    # CEO (+20) of a 50-person (+10) German (+5) company, business email (+5),
    # asked for a demo (+25): 65 -> warm and sales qualified.
    lead = facts(
        job_title="CEO",
        company_size=50,
        country="Germany",
        email="ceo@acme.io",
        activity_counts={"demo_request": 1},
        last_activity_at=NOW,
    )
    result = score_lead(lead, now=NOW)
    assert result.score == 65
    assert result.suggested_temperature is Temperature.WARM
    assert result.qualified


def test_score_is_clamped_at_100() -> None:
    result = score_lead(ALL_POSITIVE, now=NOW)
    # 20 + 10 + 5 + 5 + 25 + 10 + 15 + 10 + 10 + 5 = 115 before clamping.
    assert sum(reason.points for reason in result.reasons) == 115
    assert result.score == 100
    assert result.suggested_temperature is Temperature.HOT
    assert result.qualified


def test_score_is_clamped_at_0_and_still_explains_why() -> None:
    result = score_lead(ALL_NEGATIVE, now=NOW)
    # invalid email -20, student -15, no consent -10, inactive -10 = -55.
    assert [reason.points for reason in result.reasons] == [-20, -15, -10, -10]
    assert result.score == 0
    assert result.suggested_temperature is Temperature.COLD
    assert not result.qualified


DEFAULT_SETTINGS = ScoreSettings()


def _score_of_exactly(points: int, score_settings: ScoreSettings = DEFAULT_SETTINGS) -> Any:
    rule = ScoreRule("fixed", "Fixed", RuleKind.CONSENT_DENIED, points)
    return score_lead(facts(consent=Consent.DENIED), [rule], score_settings, now=NOW)


@pytest.mark.parametrize(
    ("score", "temperature", "qualified"),
    [
        (0, Temperature.COLD, False),
        (39, Temperature.COLD, False),
        (40, Temperature.WARM, False),
        (49, Temperature.WARM, False),
        (50, Temperature.WARM, True),
        (69, Temperature.WARM, True),
        (70, Temperature.HOT, True),
        (100, Temperature.HOT, True),
    ],
)
def test_temperature_and_qualification_cut_offs(
    score: int, temperature: Temperature, qualified: bool
) -> None:
    result = _score_of_exactly(score)
    assert result.score == score
    assert result.suggested_temperature is temperature
    assert result.qualified is qualified


def test_default_cut_offs_match_the_stored_setting_defaults() -> None:
    defaults = ScoreSettings()
    assert (defaults.qualification_threshold, defaults.hot_cutoff, defaults.warm_cutoff) == (
        50,
        70,
        40,
    )
    assert SETTINGS_BY_KEY["qualification_threshold"].default == 50
    assert SETTINGS_BY_KEY["hot_cutoff"].default == 70
    assert SETTINGS_BY_KEY["warm_cutoff"].default == 40


def test_edited_cut_offs_are_used() -> None:
    edited = ScoreSettings(qualification_threshold=60, hot_cutoff=90, warm_cutoff=20)
    result = _score_of_exactly(55, edited)
    assert not result.qualified
    assert result.suggested_temperature is Temperature.WARM
    assert suggested_temperature(19, edited) is Temperature.COLD
    assert suggested_temperature(90, edited) is Temperature.HOT


# --- reasons -------------------------------------------------------------------------


def test_reasons_list_fired_rules_in_rule_order_with_their_points() -> None:
    lead = facts(
        job_title="Head of Sales",
        email="anna@gmail.com",
        activity_counts={"email_opened": 4, "demo_request": 1},
        last_activity_at=NOW,
    )
    result = score_lead(lead, now=NOW)
    assert [(reason.rule, reason.points) for reason in result.reasons] == [
        ("Job title looks like a decision maker", 20),
        ("Requested a demo, quote or pricing", 25),
        ("Opened 3 or more emails", 5),
        ("Free-mail domain", -5),
    ]
    assert result.score == 45

    reversed_result = score_lead(lead, tuple(reversed(DEFAULT_RULES)), now=NOW)
    assert reversed_result.reasons == tuple(reversed(result.reasons))


def test_disabled_rules_neither_count_nor_show() -> None:
    lead = facts(job_title="CEO", email="ceo@acme.io")
    rules = [
        dataclasses.replace(rule, enabled=False) if rule.key == "decision_maker_title" else rule
        for rule in DEFAULT_RULES
    ]
    result = score_lead(lead, rules, now=NOW)
    assert result.score == 5
    assert [reason.rule for reason in result.reasons] == ["Business email domain"]


def test_disabling_a_negative_rule_raises_the_score() -> None:
    lead = facts(job_title="CTO", email="cto@gmail.com")
    assert score_lead(lead, now=NOW).score == 15
    rules = [
        dataclasses.replace(rule, enabled=False) if rule.key == "free_mail" else rule
        for rule in DEFAULT_RULES
    ]
    assert score_lead(lead, rules, now=NOW).score == 20


def test_edited_points_and_words_are_used() -> None:
    rules = [
        dataclasses.replace(rule, points=30, parameters={"words": ["buyer"]})
        if rule.key == "decision_maker_title"
        else rule
        for rule in DEFAULT_RULES
    ]
    assert score_lead(facts(job_title="Senior Buyer"), rules, now=NOW).score == 30
    assert score_lead(facts(job_title="CEO"), rules, now=NOW).score == 0


# --- properties ------------------------------------------------------------------------

TITLES = st.sampled_from(
    [None, "CEO", "VP Sales", "MVP designer", "Student", "Intern and founder", "Engineer"]
)
EMAILS = st.sampled_from([None, "a@acme.io", "a@gmail.com", "broken", "a b@gmail.com"])
COUNTRIES = st.sampled_from([None, "Germany", "us", "Mexico"])
SIGNALS = st.sampled_from(
    [
        "demo_request",
        "quote_request",
        "pricing_visit",
        "case_study_download",
        "webinar",
        "email_replied",
        "email_opened",
        "call",
        "note",
    ]
)
DAYS_AGO = st.none() | st.integers(min_value=0, max_value=400)


@st.composite
def lead_facts(draw: st.DrawFn) -> LeadFacts:
    created = draw(st.integers(min_value=0, max_value=400))
    last = draw(DAYS_AGO)
    return LeadFacts(
        job_title=draw(TITLES),
        company_size=draw(st.none() | st.integers(min_value=0, max_value=5000)),
        country=draw(COUNTRIES),
        email=draw(EMAILS),
        consent=draw(st.sampled_from(list(Consent))),
        activity_counts=draw(st.dictionaries(SIGNALS, st.integers(min_value=0, max_value=5))),
        last_activity_at=None if last is None else NOW - dt.timedelta(days=last),
        created_at=NOW - dt.timedelta(days=created),
    )


@st.composite
def rule_sets(draw: st.DrawFn) -> list[ScoreRule]:
    """The default rules, each possibly disabled or re-weighted."""
    rules = []
    for rule in DEFAULT_RULES:
        points = draw(st.integers(min_value=-150, max_value=150) | st.just(rule.points))
        rules.append(dataclasses.replace(rule, points=points, enabled=draw(st.booleans())))
    return rules


@settings(max_examples=150, deadline=None)
@given(lead=lead_facts(), rules=rule_sets())
def test_score_is_always_between_0_and_100(lead: LeadFacts, rules: list[ScoreRule]) -> None:
    result = score_lead(lead, rules, now=NOW)
    assert 0 <= result.score <= 100
    enabled_labels = {rule.label for rule in rules if rule.enabled}
    assert {reason.rule for reason in result.reasons} <= enabled_labels


@settings(max_examples=150, deadline=None)
@given(
    lead=lead_facts(),
    rules=rule_sets(),
    extra=st.sampled_from(DEFAULT_RULES),
    points=st.integers(min_value=1, max_value=150),
)
def test_an_extra_firing_positive_rule_never_lowers_the_score(
    lead: LeadFacts, rules: list[ScoreRule], extra: ScoreRule, points: int
) -> None:
    added = dataclasses.replace(extra, key="extra", label="Extra", points=points, enabled=True)
    before = score_lead(lead, rules, now=NOW)
    after = score_lead(lead, [*rules, added], now=NOW)
    assert after.score >= before.score
    if rule_fires(added, lead, NOW):
        assert after.reasons == (*before.reasons, ScoreReason("Extra", points))
    else:
        assert after == before
