"""The lead score: totals, clamping, cut-offs and the reasons that explain it.

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
from tests.core.scoring.scoring_helpers import NOW, facts, lead_facts, rule_sets

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
