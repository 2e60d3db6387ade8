"""``NewLeadScorer``: ``score_lead`` for leads without activities, lead after lead."""

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
    ScoreRule,
    ScoreSettings,
    rule_fires,
)
from leaddesk.core.validation import email_problem, is_free_mail

# The facts ``NewLeadScorer.score_new_lead`` reads per field rule, in its argument order.
_NEW_LEAD_FIELDS = ("job_title", "company_size", "country", "consent")


class NewLeadScorer:
    """Scores many leads that have no activities yet (an import), one after another.

    Gives exactly what ``score_lead`` gives for such leads: each rule that looks
    at one repeating field is evaluated once per distinct value (titles and
    countries repeat a lot), the email is checked once for all email rules,
    activity rules are settled once for zero activities, and only the
    inactivity rule looks at each lead's age.
    """

    def __init__(
        self,
        rules: Sequence[ScoreRule],
        settings: ScoreSettings,
        now: dt.datetime,
    ) -> None:
        self._now = now
        self._settings = settings
        no_activity = LeadFacts()
        self._fixed_points = 0
        # (rule, the field it reads, that field's position in score_new_lead's
        # facts, cached verdicts by value)
        self._per_field: list[tuple[ScoreRule, str, int, dict[Any, bool]]] = []
        # Inactivity rules as (points, how long without activity), the age
        # settled per lead; a rule whose length is no timedelta is asked as is.
        self._inactivity: list[tuple[int, dt.timedelta]] = []
        self._inactivity_rules: list[ScoreRule] = []
        self._email_rules: list[ScoreRule] = []
        for rule in rules:
            if not rule.enabled:
                continue
            if rule.kind in EMAIL_KINDS:
                self._email_rules.append(rule)
            elif rule.kind in SINGLE_FIELD_KINDS:
                field_name = SINGLE_FIELD_KINDS[rule.kind]
                position = _NEW_LEAD_FIELDS.index(field_name)
                self._per_field.append((rule, field_name, position, {}))
            elif rule.kind is RuleKind.INACTIVE_DAYS:
                try:
                    length = dt.timedelta(days=int(rule.parameters.get("days", 30)))
                except (ArithmeticError, TypeError, ValueError):
                    self._inactivity_rules.append(rule)
                else:
                    self._inactivity.append((rule.points, length))
            elif rule_fires(rule, no_activity, now):
                self._fixed_points += rule.points

    def score(self, facts: LeadFacts) -> int:
        return self.score_new_lead(
            facts.job_title,
            facts.company_size,
            facts.country,
            facts.email,
            facts.consent,
            facts.last_activity_at or facts.created_at,
        )

    def score_new_lead(
        self,
        job_title: str | None,
        company_size: int | None,
        country: str | None,
        email: str | None,
        consent: str,
        since: dt.datetime | None,
    ) -> int:
        """The score of a lead without activities; ``since`` is when it was created.

        Takes the facts one by one rather than as LeadFacts: an import scores
        every row, and building the object costs more than scoring a cached lead.
        """
        total = self._fixed_points
        facts = (job_title, company_size, country, consent)
        for rule, field_name, position, cache in self._per_field:
            value = facts[position]
            fires = cache.get(value)
            if fires is None:
                if len(cache) >= FIELD_MEMO_LIMIT:
                    cache.clear()
                # The rule reads this one field only.
                only_field: dict[str, Any] = {field_name: value}
                alone = LeadFacts(**only_field)
                fires = cache[value] = rule_fires(rule, alone, self._now)
            if fires:
                total += rule.points
        if self._email_rules:
            valid = email_problem(email) is None
            free = is_free_mail(email)
            for rule in self._email_rules:
                if rule.kind is RuleKind.INVALID_EMAIL:
                    fires = not valid
                elif rule.kind is RuleKind.FREE_MAIL:
                    fires = free
                else:
                    fires = bool(email) and valid and not free
                if fires:
                    total += rule.points
        if since is not None:
            now = self._now
            for points, length in self._inactivity:
                if now - since >= length:
                    total += points
        for rule in self._inactivity_rules:
            if rule_fires(rule, LeadFacts(created_at=since), self._now):
                total += rule.points
        return max(0, min(100, total))
