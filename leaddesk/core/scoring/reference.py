"""The lead score: fit + intent - negatives, clamped to 0-100, and why.

``score_lead`` is the reference: a pure function of the lead's facts, the rules
and the current time. The fast scorers (NewLeadScorer, BatchScorer, ScoreMemo)
must give exactly what it gives; tests/core/scoring checks that they do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from leaddesk.core.scoring.rules import (
    DEFAULT_RULES,
    DEFAULT_SETTINGS,
    LeadFacts,
    ScoreReason,
    ScoreResult,
    ScoreRule,
    ScoreSettings,
    rule_fires,
    suggested_temperature,
)


def score_lead(
    facts: LeadFacts,
    rules: Sequence[ScoreRule] = DEFAULT_RULES,
    settings: ScoreSettings = DEFAULT_SETTINGS,
    *,
    now: dt.datetime,
) -> ScoreResult:
    """Score one lead and list every enabled rule that fired, in rule order."""
    reasons = tuple(
        ScoreReason(rule.label, rule.points)
        for rule in rules
        if rule.enabled and rule_fires(rule, facts, now)
    )
    score = max(0, min(100, sum(reason.points for reason in reasons)))
    return ScoreResult(
        score=score,
        reasons=reasons,
        suggested_temperature=suggested_temperature(score, settings),
        qualified=score >= settings.qualification_threshold,
    )
