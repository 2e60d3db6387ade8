"""Score rules in words, and what a rule the user writes must hold (no Qt)."""

from __future__ import annotations

import pytest

from leaddesk.core.rule_text import (
    KIND_LABELS,
    RuleProblem,
    clean_parameters,
    clean_rule,
    describe_condition,
    is_default_rule,
    score_settings_problem,
)
from leaddesk.core.scoring import DEFAULT_RULES, RuleKind, ScoreRule, ScoreSettings

DEFAULT_SENTENCES = {
    "decision_maker_title": "Job title contains owner, founder, co-founder…",
    "target_company_size": "Company has 10 to 1,000 people",
    "target_country": "Country is United States, US, USA… (35 in the list)",
    "business_email": "Email is on a business domain",
    "requested_demo": "Asked for a demo or asked for a quote",
    "visited_pricing": "Visited the pricing page",
    "downloaded_case_study": "Downloaded a case study",
    "attended_webinar": "Attended a webinar",
    "replied": "Replied to an email",
    "opened_emails": "Opened an email at least 3 times",
    "free_mail": "Email is on a free-mail domain (Gmail, Yahoo…)",
    "invalid_email": "Email address is invalid",
    "student_title": "Job title contains student, intern, trainee…",
    "no_consent": "Consent to be contacted was denied",
    "inactive": "No activity for 30 days",
}


def test_every_default_rule_reads_as_a_sentence() -> None:
    assert {rule.key: describe_condition(rule.kind, rule.parameters) for rule in DEFAULT_RULES} == (
        DEFAULT_SENTENCES
    )


def test_every_kind_has_a_label_for_the_editor() -> None:
    assert set(KIND_LABELS) == set(RuleKind)


def test_short_lists_are_named_in_full_with_acronyms_in_capitals() -> None:
    assert (
        describe_condition(RuleKind.JOB_TITLE_MATCHES, {"words": ["ceo", "vp", "buyer"]})
        == "Job title contains CEO, VP or buyer"
    )
    assert (
        describe_condition(RuleKind.COUNTRY_IN, {"countries": ["Germany"]}) == "Country is Germany"
    )
    assert (
        describe_condition(RuleKind.COMPANY_SIZE_BETWEEN, {"min": 500, "max": 10**9})
        == "Company has at least 500 people"
    )


def test_activity_rules_say_what_the_lead_did() -> None:
    assert (
        describe_condition(RuleKind.ACTIVITY_COUNT, {"kinds": ["call", "meeting"], "min_count": 2})
        == "Had a call or had a meeting: at least 2 times in all"
    )


def test_default_rules_are_known_and_user_rules_are_not() -> None:
    assert all(is_default_rule(rule.key) for rule in DEFAULT_RULES)
    assert not is_default_rule("custom_asked_for_a_callback")


def test_words_typed_with_commas_are_tidied() -> None:
    assert clean_parameters(
        RuleKind.JOB_TITLE_MATCHES, {"words": " Buyer,, purchasing ,Buyer"}
    ) == {"words": ["Buyer", "purchasing"]}


@pytest.mark.parametrize(
    ("kind", "parameters", "message"),
    [
        (RuleKind.COUNTRY_IN, {"countries": ""}, "at least one of the countries"),
        (RuleKind.COMPANY_SIZE_BETWEEN, {"min": "ten"}, "whole number"),
        (RuleKind.COMPANY_SIZE_BETWEEN, {"max": float("inf")}, "whole number"),
        (RuleKind.ACTIVITY_COUNT, {"kinds": ["webinar"], "min_count": 0}, "between 1"),
        (RuleKind.INACTIVE_DAYS, {"days": 99999}, "between 1 and 3,650"),
    ],
)
def test_unusable_parameters_say_why(kind: RuleKind, parameters: dict, message: str) -> None:
    with pytest.raises(RuleProblem, match=message):
        clean_parameters(kind, parameters)


def test_email_and_consent_rules_take_no_parameters() -> None:
    assert clean_parameters(RuleKind.FREE_MAIL, {"anything": 1}) == {}


def test_a_rule_needs_a_name_and_sane_points() -> None:
    with pytest.raises(RuleProblem, match="name"):
        clean_rule(ScoreRule("", "   ", RuleKind.FREE_MAIL, 5))
    with pytest.raises(RuleProblem, match="between -100 and 100"):
        clean_rule(ScoreRule("", "Big", RuleKind.FREE_MAIL, 101))
    assert clean_rule(ScoreRule("", "  Free   mail ", RuleKind.FREE_MAIL, -5)).label == "Free mail"


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        (ScoreSettings(), None),
        (ScoreSettings(50, 40, 40), None),
        (ScoreSettings(50, 40, 41), "warm cut-off must not be above the hot cut-off"),
        (ScoreSettings(101, 70, 40), "qualification threshold must be between 0 and 100"),
        (ScoreSettings(50, -1, 0), "hot cut-off must be between 0 and 100"),
    ],
)
def test_cut_offs_must_fit_the_score_range(settings: ScoreSettings, problem: str | None) -> None:
    found = score_settings_problem(settings)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found
