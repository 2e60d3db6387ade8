"""The lead score: the rules, the reference scorer and the fast scorers that equal it.

- ``rules``: what a rule is (kinds, points, parameters), the default rules,
  when a rule fires, the cut-offs, and the result that explains a score.
- ``reference``: ``score_lead``, which defines what a score is.
- ``new_lead``: ``NewLeadScorer``, leads without activities (an import).
- ``batch``: ``BatchScorer``, many leads with activities (rescoring, listing).
- ``memo``: ``ScoreMemo``, an import's new-lead scores memoised column by column.
"""

from leaddesk.core.scoring.batch import BatchScorer
from leaddesk.core.scoring.memo import ScoreMemo
from leaddesk.core.scoring.new_lead import NewLeadScorer
from leaddesk.core.scoring.reference import score_lead
from leaddesk.core.scoring.rules import (
    DECISION_MAKER_WORDS,
    DEFAULT_RULES,
    DEFAULT_SETTINGS,
    EMAIL_KINDS,
    FIELD_MEMO_LIMIT,
    SINGLE_FIELD_KINDS,
    STUDENT_WORDS,
    TARGET_COUNTRIES,
    LeadFacts,
    RuleKind,
    ScoreReason,
    ScoreResult,
    ScoreRule,
    ScoreSettings,
    rule_fires,
    suggested_temperature,
)

__all__ = [
    "DECISION_MAKER_WORDS",
    "DEFAULT_RULES",
    "DEFAULT_SETTINGS",
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
