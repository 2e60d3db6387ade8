"""The lead score: the rules, the reference scorer and the fast scorers that equal it."""

from leaddesk.core.scoring.batch import BatchScorer
from leaddesk.core.scoring.memo import ScoreMemo
from leaddesk.core.scoring.rules import (
    DECISION_MAKER_WORDS,
    DEFAULT_RULES,
    EMAIL_KINDS,
    FIELD_MEMO_LIMIT,
    SINGLE_FIELD_KINDS,
    STUDENT_WORDS,
    TARGET_COUNTRIES,
    LeadFacts,
    NewLeadScorer,
    RuleKind,
    ScoreReason,
    ScoreResult,
    ScoreRule,
    ScoreSettings,
    rule_fires,
    score_lead,
    suggested_temperature,
)

__all__ = [
    "DECISION_MAKER_WORDS",
    "DEFAULT_RULES",
    "EMAIL_KINDS",
    "FIELD_MEMO_LIMIT",
    "SINGLE_FIELD_KINDS",
    "STUDENT_WORDS",
    "TARGET_COUNTRIES",
    "BatchScorer",
    "LeadFacts",
    "NewLeadScorer",
    "RuleKind",
    "ScoreMemo",
    "ScoreReason",
    "ScoreResult",
    "ScoreRule",
    "ScoreSettings",
    "rule_fires",
    "score_lead",
    "suggested_temperature",
]
