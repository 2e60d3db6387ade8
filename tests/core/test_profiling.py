"""Progressive profiling: tiers reached, completeness, next questions and move gates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from leaddesk.core.fields import FIELDS_BY_NAME, Tier
from leaddesk.core.profiling import (
    GATE_FIELDS,
    KEY_FIELDS,
    MAX_QUESTIONS,
    QUESTION_PROMPTS,
    completeness,
    lead_completeness,
    level,
    move_gate,
    next_questions,
    reached_tiers,
    tier_completeness,
)


def asked(values: dict[str, Any]) -> list[str]:
    return [question.field for question in next_questions(values)]


@pytest.mark.parametrize(
    ("temperature", "stage", "expected"),
    [
        ("cold", "lead", Tier.COLD),
        ("warm", "lead", Tier.WARM),
        ("hot", "lead", Tier.HOT),
        ("cold", "mql", Tier.WARM),
        ("cold", "sql", Tier.HOT),
        ("warm", "opportunity", Tier.HOT),
        ("hot", "customer", Tier.CLOSED),
        ("cold", "disqualified", Tier.CLOSED),
        (None, None, Tier.COLD),
        ("Hot", "nonsense", Tier.HOT),
    ],
)
def test_the_furthest_of_temperature_and_stage_sets_the_level(temperature, stage, expected):
    assert level(temperature, stage) is expected


def test_reached_tiers_always_include_capture_and_cold():
    assert reached_tiers({}) == (Tier.CAPTURE, Tier.COLD)
    assert reached_tiers({"temperature": "warm"}) == (Tier.CAPTURE, Tier.COLD, Tier.WARM)
    assert reached_tiers({"stage": "customer"}) == tuple(Tier)


def test_tier_completeness_counts_key_fields_only():
    values = {"need": "Slow quoting", "budget_range": "10-20k", "campaign": "ignored"}
    assert tier_completeness(Tier.WARM, values) == pytest.approx(2 / 5)
    assert tier_completeness(Tier.HOT, values) == 0.0


def test_false_is_an_answer_but_blank_text_and_unknown_consent_are_not():
    values = {"budget_confirmed": False, "decision_maker": None, "first_name": "  "}
    assert tier_completeness(Tier.HOT, values) == pytest.approx(1 / 5)
    assert tier_completeness(Tier.CAPTURE, {"consent": "unknown"}) == 0.0
    assert tier_completeness(Tier.CAPTURE, {"consent": "denied"}) == pytest.approx(1 / 7)


def test_storage_columns_are_read_when_the_field_name_is_absent():
    # A database row names money by its column.
    assert tier_completeness(Tier.HOT, {"deal_value_cents": 120_000}) == pytest.approx(1 / 5)


def test_a_disqualified_lead_closes_with_a_reason_not_a_won_value():
    assert tier_completeness(Tier.CLOSED, {"stage": "disqualified"}) == 0.0
    done = {"stage": "disqualified", "disqualification_reason": "No budget"}
    assert tier_completeness(Tier.CLOSED, done) == 1.0
    won = {"stage": "customer", "won_date": dt.date(2026, 11, 1)}
    assert tier_completeness(Tier.CLOSED, won) == pytest.approx(1 / 2)


def test_lead_completeness_reports_every_tier_and_the_reached_ones_overall():
    values = {
        "temperature": "cold",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "job_title": "CTO",
        "need": "Faster reports",
    }
    result = lead_completeness(values)
    assert set(result) == {"capture", "cold", "warm", "hot", "closed", "overall"}
    assert result["capture"] == pytest.approx(3 / 7, abs=1e-4)
    assert result["warm"] == pytest.approx(1 / 5)
    # Overall looks at capture and cold only: 4 of 13 key fields.
    assert result["overall"] == pytest.approx(4 / 13, abs=1e-4)
    assert completeness(values) == result["overall"]


def test_leads_alike_get_equal_completeness_each_their_own():
    # Worked out once per shape of lead; a caller changing its copy changes no other.
    first = lead_completeness({"first_name": "Ada", "stage": "disqualified"})
    first["overall"] = 99.0
    second = lead_completeness({"first_name": "Bo", "stage": "disqualified"})
    assert second["overall"] != 99.0
    assert second["closed"] == 0.0  # a disqualified lead closes with a reason, not a win
    assert (
        lead_completeness(
            {"first_name": "Bo", "stage": "disqualified", "disqualification_reason": "No budget"}
        )["closed"]
        == 1.0
    )


def test_completeness_of_a_json_record_from_the_command_line():
    record = {
        "temperature": "hot",
        "stage": "sql",
        "budget_confirmed": True,
        "deal_value": 1200.0,
        "expected_close_date": "2026-12-01",
        "consent": "unknown",
    }
    assert lead_completeness(record)["hot"] == pytest.approx(3 / 5)


def test_a_bare_cold_lead_is_asked_how_to_reach_it_and_about_fit():
    assert asked({"first_name": "Ada"}) == ["email", "job_title", "company_size", "industry"]


def test_a_cold_lead_with_an_email_is_asked_about_fit():
    values = {"first_name": "Ada", "email": "ada@example.com"}
    assert asked(values) == ["job_title", "company_size", "industry", "country"]


def test_a_warm_lead_is_asked_need_budget_and_timeline():
    values = {"temperature": "warm", "email": "ada@example.com", "job_title": "CTO"}
    assert asked(values)[:3] == ["need", "budget_range", "expected_close_date"]


def test_a_hot_lead_is_asked_bant():
    values = {"temperature": "hot", "email": "ada@example.com"}
    assert asked(values) == [
        "budget_confirmed",
        "decision_maker",
        "expected_close_date",
        "next_step",
    ]


def test_questions_move_on_as_fields_are_filled():
    values: dict[str, Any] = {"temperature": "hot", "phone": "+441234567890"}
    values["budget_confirmed"] = True
    values["decision_maker"] = False
    assert asked(values)[:2] == ["expected_close_date", "next_step"]
    values.update(expected_close_date=dt.date(2026, 12, 1), next_step="Demo", deal_value=5000)
    # BANT done: what is still missing from the earlier tiers comes next.
    assert asked(values) == ["need", "product_interest", "budget_range", "current_solution"]


def test_a_cold_lead_whose_fit_is_known_is_asked_about_its_need():
    values = {
        "email": "ada@example.com",
        "job_title": "CTO",
        "company_size": 40,
        "industry": "Retail",
        "country": "DE",
        "website": "example.com",
        "preferred_channel": "Email",
    }
    assert asked(values)[:2] == ["need", "budget_range"]


def test_closed_leads_are_asked_only_about_the_outcome():
    assert asked({"stage": "customer", "email": "a@b.com"}) == ["won_value", "won_date"]
    assert asked({"stage": "disqualified", "email": "a@b.com"}) == ["disqualification_reason"]
    assert (
        asked({"stage": "disqualified", "email": "a@b.com", "disqualification_reason": "x"}) == []
    )


def test_never_more_than_a_few_questions_and_each_has_a_prompt():
    questions = next_questions({})
    assert 0 < len(questions) <= MAX_QUESTIONS
    for tier_fields in (*KEY_FIELDS.values(), ("disqualification_reason",)):
        for name in tier_fields:
            assert name in FIELDS_BY_NAME
            assert QUESTION_PROMPTS[name].endswith("?")


def test_moving_hotter_asks_for_the_missing_key_fields_of_the_target_tier():
    values = {"temperature": "cold", "need": "Slow quoting", "decision_maker": True}
    warm = move_gate(values, temperature="warm")
    assert warm.target_tier is Tier.WARM
    assert warm.fields == ("product_interest", "budget_range")
    hot = move_gate(values, temperature="hot")
    assert hot.fields == (
        "budget_confirmed",
        "expected_close_date",
        "deal_value",
        "next_step",
    )
    assert not hot.required


def test_a_stage_change_that_reaches_a_tier_is_gated_too():
    assert move_gate({"stage": "lead"}, stage="sql").fields == GATE_FIELDS[Tier.HOT]
    assert move_gate({"stage": "lead"}, stage="mql").target_tier is Tier.WARM


def test_moving_colder_or_sideways_asks_nothing():
    assert not move_gate({"temperature": "hot"}, temperature="warm")
    assert not move_gate({"temperature": "warm"}, temperature="warm")
    # SQL already reached the hot tier: a hot temperature adds nothing new.
    assert not move_gate({"temperature": "cold", "stage": "sql"}, temperature="hot")


def test_a_complete_target_tier_asks_nothing():
    values = {
        "budget_confirmed": True,
        "decision_maker": True,
        "expected_close_date": dt.date(2026, 12, 1),
        "deal_value": 1,
        "next_step": "Contract",
    }
    assert not move_gate(values, temperature="hot")


def test_disqualifying_requires_a_reason_and_winning_asks_the_value():
    gate = move_gate({"stage": "sql"}, stage="disqualified")
    assert gate.required == ("disqualification_reason",)
    assert gate.fields == ()
    assert not move_gate({"disqualification_reason": "No need"}, stage="disqualified")
    won = move_gate({"stage": "opportunity"}, stage="customer")
    assert won.fields == ("won_value",)
    assert won.required == ()
    assert not move_gate({"won_value_cents": 100}, stage="customer")
