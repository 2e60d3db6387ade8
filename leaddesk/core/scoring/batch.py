"""``score_lead`` for many leads at once: the same result, each repeated question asked once.

Rescoring every lead after a rule edit, and ``leaddesk list --json`` explaining
every score, ask the same questions again and again: job titles, countries and
company sizes repeat, so each rule that looks at one of those fields is asked
once per distinct value; the email is checked once for all email rules. Every
other rule is asked as ``score_lead`` asks it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from leaddesk.core.scoring.rules import (
    EMAIL_KINDS,
    FIELD_MEMO_LIMIT,
    SINGLE_FIELD_KINDS,
    LeadFacts,
    RuleKind,
    ScoreReason,
    ScoreResult,
    ScoreRule,
    ScoreSettings,
    rule_fires,
    suggested_temperature,
)
from leaddesk.core.validation import email_problem, is_free_mail


class BatchScorer:
    """Scores lead after lead exactly as ``score_lead(facts, rules, settings, now=now)``."""

    def __init__(
        self, rules: Sequence[ScoreRule], settings: ScoreSettings, *, now: dt.datetime
    ) -> None:
        self._settings = settings
        self._now = now
        # (rule, the field it reads or None, memo of verdicts by value)
        self._plan: list[tuple[ScoreRule, str | None, dict[Any, bool]]] = [
            (rule, SINGLE_FIELD_KINDS.get(rule.kind), {}) for rule in rules if rule.enabled
        ]
        # Activity and inactivity rules with their parameters read once, as
        # rule_fires reads them; a rule whose parameters do not read is asked as is.
        self._activity: dict[int, tuple[tuple[str, ...], int]] = {}
        self._inactive: dict[int, dt.timedelta] = {}
        for rule, _field, _memo in self._plan:
            try:
                if rule.kind is RuleKind.ACTIVITY_COUNT:
                    kinds = tuple(rule.parameters.get("kinds", ()))
                    at_least = int(rule.parameters.get("min_count", 1))
                    self._activity[id(rule)] = (kinds, at_least)
                elif rule.kind is RuleKind.INACTIVE_DAYS:
                    days = int(rule.parameters.get("days", 30))
                    self._inactive[id(rule)] = dt.timedelta(days=days)
            except (ArithmeticError, TypeError, ValueError):
                continue

    def _single_field(self, rule: ScoreRule, field: str, value: Any, memo: dict[Any, bool]) -> bool:
        fires = memo.get(value)
        if fires is None:
            if len(memo) >= FIELD_MEMO_LIMIT:
                memo.clear()
            only: dict[str, Any] = {field: value}
            fires = memo[value] = rule_fires(rule, LeadFacts(**only), self._now)
        return fires

    def score(self, facts: LeadFacts) -> ScoreResult:
        reasons: list[ScoreReason] = []
        email_verdict: tuple[bool, bool] | None = None  # (valid, free), once per lead
        for rule, field, memo in self._plan:
            if field is not None:
                fires = self._single_field(rule, field, getattr(facts, field), memo)
            elif rule.kind in EMAIL_KINDS:
                if email_verdict is None:
                    email_verdict = (email_problem(facts.email) is None, is_free_mail(facts.email))
                valid, free = email_verdict
                if rule.kind is RuleKind.INVALID_EMAIL:
                    fires = not valid
                elif rule.kind is RuleKind.FREE_MAIL:
                    fires = free
                else:
                    fires = bool(facts.email) and valid and not free
            elif (activity := self._activity.get(id(rule))) is not None:
                kinds, at_least = activity
                counts = facts.activity_counts
                fires = sum(counts.get(kind, 0) for kind in kinds) >= at_least
            elif (length := self._inactive.get(id(rule))) is not None:
                since = facts.last_activity_at or facts.created_at
                fires = since is not None and self._now - since >= length
            else:
                fires = rule_fires(rule, facts, self._now)
            if fires:
                reasons.append(ScoreReason(rule.label, rule.points))
        score = max(0, min(100, sum(reason.points for reason in reasons)))
        return ScoreResult(
            score=score,
            reasons=tuple(reasons),
            suggested_temperature=suggested_temperature(score, self._settings),
            qualified=score >= self._settings.qualification_threshold,
        )
