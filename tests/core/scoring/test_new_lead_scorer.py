"""NewLeadScorer gives exactly what score_lead gives for leads without activities."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leaddesk.core.scoring.new_lead as new_lead_module
from leaddesk.core.scoring import (
    DEFAULT_RULES,
    LeadFacts,
    NewLeadScorer,
    ScoreRule,
    ScoreSettings,
    score_lead,
)
from tests.core.scoring.scoring_helpers import (
    CUT_OFFS,
    NOW,
    RAISED,
    new_leads,
    outcome,
    varied_rule_sets,
)


@settings(max_examples=150)
@given(
    rules=varied_rule_sets(),
    leads=st.lists(new_leads(), min_size=1, max_size=10),
    cut_offs=CUT_OFFS,
)
def test_new_lead_scores_equal_score_lead(
    rules: list[ScoreRule], leads: list[LeadFacts], cut_offs: ScoreSettings
) -> None:
    expected = [
        outcome(lambda lead=lead: score_lead(lead, rules, cut_offs, now=NOW).score)
        for lead in leads
    ]
    scorer = outcome(lambda: NewLeadScorer(rules, cut_offs, NOW))
    if scorer == RAISED:
        # A rule it settles once for all leads cannot be read: score_lead fails on each.
        assert expected == [RAISED] * len(leads)
        return
    assert isinstance(scorer, NewLeadScorer)
    # Twice through: the second pass answers from the per-value caches.
    for lead, score in zip(leads + leads, expected + expected, strict=True):
        assert outcome(lambda lead=lead: scorer.score(lead)) == score, lead


def test_a_cache_that_fills_up_starts_over_and_stays_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(new_lead_module, "FIELD_MEMO_LIMIT", 5)
    scorer = NewLeadScorer(DEFAULT_RULES, ScoreSettings(), NOW)
    for size in [*range(40), *range(0, 2000, 7)]:
        lead = LeadFacts(company_size=size, country="Germany", created_at=NOW)
        assert scorer.score(lead) == score_lead(lead, now=NOW).score
