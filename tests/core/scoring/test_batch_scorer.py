"""BatchScorer gives exactly what score_lead gives, lead after lead, with memos warm."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leaddesk.core.scoring.batch as batch_module
from leaddesk.core.scoring import (
    DEFAULT_RULES,
    BatchScorer,
    LeadFacts,
    RuleKind,
    ScoreRule,
    ScoreSettings,
    score_lead,
)
from tests.core.scoring.scoring_helpers import (
    CUT_OFFS,
    NOW,
    any_leads,
    lead_facts,
    outcome,
    rule_sets,
    varied_rule_sets,
)

CUSTOM_RULES = [
    ScoreRule("custom_buyer", "Buyer", RuleKind.JOB_TITLE_MATCHES, 12, {"words": ["buyer"]}),
    ScoreRule("custom_big", "Big", RuleKind.COMPANY_SIZE_BETWEEN, 7, {"min": 1000}),
    ScoreRule(
        "custom_calls", "Calls", RuleKind.ACTIVITY_COUNT, 9, {"kinds": ["call"], "min_count": 2}
    ),
]


@settings(max_examples=60, deadline=None)
@given(
    leads=st.lists(lead_facts(), min_size=1, max_size=25),
    rules=rule_sets(),
    extra=st.booleans(),
    cutoffs=st.tuples(st.integers(0, 100), st.integers(0, 100), st.integers(0, 100)).map(
        lambda t: ScoreSettings(t[0], max(t[1], t[2]), min(t[1], t[2]))
    ),
)
def test_batch_scores_equal_score_lead(
    leads: list[LeadFacts], rules: list[ScoreRule], extra: bool, cutoffs: ScoreSettings
) -> None:
    rules = [*rules, *CUSTOM_RULES] if extra else rules
    scorer = BatchScorer(rules, cutoffs, now=NOW)
    # Twice through: the second pass answers from the memos.
    for lead in leads + leads:
        assert scorer.score(lead) == score_lead(lead, rules, cutoffs, now=NOW)


@settings(max_examples=150)
@given(
    rules=varied_rule_sets(),
    leads=st.lists(any_leads(), min_size=1, max_size=10),
    cut_offs=CUT_OFFS,
)
def test_batch_scores_and_reasons_equal_score_lead_for_any_rules(
    rules: list[ScoreRule], leads: list[LeadFacts], cut_offs: ScoreSettings
) -> None:
    scorer = BatchScorer(rules, cut_offs, now=NOW)
    # Twice through: the second pass answers from the memos. A lead score_lead
    # cannot score (a rule's parameters do not read) must fail here too.
    for lead in leads + leads:
        expected = outcome(lambda lead=lead: score_lead(lead, rules, cut_offs, now=NOW))
        assert outcome(lambda lead=lead: scorer.score(lead)) == expected, lead


def test_a_memo_that_fills_up_starts_over_and_stays_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A small limit, so that the sizes below fill the memo many times over.
    monkeypatch.setattr(batch_module, "FIELD_MEMO_LIMIT", 100)
    rule = dataclasses.replace(DEFAULT_RULES[1])  # company size 10..1000
    scorer = BatchScorer([rule], ScoreSettings(), now=NOW)
    for size in range(0, 60_000, 7):
        expected = 10 if 10 <= size <= 1000 else 0
        assert scorer.score(LeadFacts(company_size=size)).score == expected
