"""BatchScorer gives exactly what score_lead gives, lead after lead, with memos warm."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.core.scoring import (
    DEFAULT_RULES,
    BatchScorer,
    LeadFacts,
    RuleKind,
    ScoreRule,
    ScoreSettings,
    score_lead,
)
from tests.core.scoring.scoring_helpers import NOW, lead_facts, rule_sets

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


def test_a_memo_that_fills_up_starts_over_and_stays_right() -> None:
    rule = dataclasses.replace(DEFAULT_RULES[1])  # company size 10..1000
    scorer = BatchScorer([rule], ScoreSettings(), now=NOW)
    for size in range(0, 60_000, 7):
        expected = 10 if 10 <= size <= 1000 else 0
        assert scorer.score(LeadFacts(company_size=size)).score == expected
