"""The lead score: fit + intent - negatives, clamped to 0-100, and why.

Rules are data (a kind, parameters, points) rather than code so that users can
edit them in Settings, they can be stored in the database, and a later bulk
rescorer can compile the same kinds to SQL. ``score_lead`` is the reference:
a pure function of the lead's facts, the rules and the current time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from leaddesk.core.fields import Consent, Temperature
from leaddesk.core.validation import email_problem, is_free_mail


class RuleKind(StrEnum):
    JOB_TITLE_MATCHES = "job_title_matches"
    COMPANY_SIZE_BETWEEN = "company_size_between"
    COUNTRY_IN = "country_in"
    BUSINESS_EMAIL = "business_email"
    FREE_MAIL = "free_mail"
    INVALID_EMAIL = "invalid_email"
    ACTIVITY_COUNT = "activity_count"
    CONSENT_DENIED = "consent_denied"
    INACTIVE_DAYS = "inactive_days"


@dataclass(frozen=True, slots=True)
class ScoreRule:
    key: str
    label: str
    kind: RuleKind
    points: int
    parameters: Mapping[str, Any] = field(default_factory=dict)
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class ScoreSettings:
    qualification_threshold: int = 50
    hot_cutoff: int = 70
    warm_cutoff: int = 40


@dataclass(frozen=True, slots=True)
class LeadFacts:
    """What the score looks at; built from a lead and its activities."""

    job_title: str | None = None
    company_size: int | None = None
    country: str | None = None
    email: str | None = None
    consent: Consent = Consent.UNKNOWN
    activity_counts: Mapping[str, int] = field(default_factory=dict)
    last_activity_at: dt.datetime | None = None
    created_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ScoreReason:
    rule: str
    points: int


@dataclass(frozen=True, slots=True)
class ScoreResult:
    score: int
    reasons: tuple[ScoreReason, ...]
    suggested_temperature: Temperature
    qualified: bool


DECISION_MAKER_WORDS = (
    "owner",
    "founder",
    "co-founder",
    "ceo",
    "cto",
    "cfo",
    "coo",
    "chief",
    "president",
    "director",
    "vp",
    "vice president",
    "head of",
    "manager",
    "partner",
    "geschäftsführer",
    "inhaber",
    "leiter",
    "directeur",
    "gérant",
)
STUDENT_WORDS = ("student", "intern", "trainee", "job seeker", "looking for work", "unemployed")
TARGET_COUNTRIES = (
    "United States",
    "US",
    "USA",
    "Canada",
    "CA",
    "United Kingdom",
    "UK",
    "GB",
    "Ireland",
    "IE",
    "Germany",
    "DE",
    "Deutschland",
    "Austria",
    "AT",
    "Switzerland",
    "CH",
    "France",
    "FR",
    "Netherlands",
    "NL",
    "Belgium",
    "BE",
    "Spain",
    "ES",
    "Italy",
    "IT",
    "Sweden",
    "SE",
    "Norway",
    "NO",
    "Denmark",
    "DK",
    "Finland",
    "FI",
)

DEFAULT_RULES: tuple[ScoreRule, ...] = (
    ScoreRule(
        "decision_maker_title",
        "Job title looks like a decision maker",
        RuleKind.JOB_TITLE_MATCHES,
        20,
        {"words": list(DECISION_MAKER_WORDS)},
    ),
    ScoreRule(
        "target_company_size",
        "Company size in the target range",
        RuleKind.COMPANY_SIZE_BETWEEN,
        10,
        {"min": 10, "max": 1000},
    ),
    ScoreRule(
        "target_country",
        "Country in the target list",
        RuleKind.COUNTRY_IN,
        5,
        {"countries": list(TARGET_COUNTRIES)},
    ),
    ScoreRule("business_email", "Business email domain", RuleKind.BUSINESS_EMAIL, 5),
    ScoreRule(
        "requested_demo",
        "Requested a demo, quote or pricing",
        RuleKind.ACTIVITY_COUNT,
        25,
        {"kinds": ["demo_request", "quote_request"], "min_count": 1},
    ),
    ScoreRule(
        "visited_pricing",
        "Visited the pricing page",
        RuleKind.ACTIVITY_COUNT,
        10,
        {"kinds": ["pricing_visit"], "min_count": 1},
    ),
    ScoreRule(
        "downloaded_case_study",
        "Downloaded a case study",
        RuleKind.ACTIVITY_COUNT,
        15,
        {"kinds": ["case_study_download"], "min_count": 1},
    ),
    ScoreRule(
        "attended_webinar",
        "Attended a webinar",
        RuleKind.ACTIVITY_COUNT,
        10,
        {"kinds": ["webinar"], "min_count": 1},
    ),
    ScoreRule(
        "replied",
        "Replied to an email",
        RuleKind.ACTIVITY_COUNT,
        10,
        {"kinds": ["email_replied"], "min_count": 1},
    ),
    ScoreRule(
        "opened_emails",
        "Opened 3 or more emails",
        RuleKind.ACTIVITY_COUNT,
        5,
        {"kinds": ["email_opened"], "min_count": 3},
    ),
    ScoreRule("free_mail", "Free-mail domain", RuleKind.FREE_MAIL, -5),
    ScoreRule("invalid_email", "Invalid email address", RuleKind.INVALID_EMAIL, -20),
    ScoreRule(
        "student_title",
        "Student or job-seeker title",
        RuleKind.JOB_TITLE_MATCHES,
        -15,
        {"words": list(STUDENT_WORDS)},
    ),
    ScoreRule("no_consent", "Unsubscribed or no consent", RuleKind.CONSENT_DENIED, -10),
    ScoreRule(
        "inactive",
        "No activity for 30 days",
        RuleKind.INACTIVE_DAYS,
        -10,
        {"days": 30},
    ),
)


@lru_cache(maxsize=256)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # Whole words only: "vp" must not match "mvp", "head of" must not match "headoffice".
    alternatives = "|".join(re.escape(word.casefold()) for word in sorted(words, key=len)[::-1])
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _title_matches(title: str | None, words: Iterable[str]) -> bool:
    if not title:
        return False
    return _words_pattern(tuple(words)).search(title.casefold()) is not None


def rule_fires(rule: ScoreRule, facts: LeadFacts, now: dt.datetime) -> bool:
    """Whether one rule applies to a lead (regardless of whether it is enabled)."""
    parameters = rule.parameters
    match rule.kind:
        case RuleKind.JOB_TITLE_MATCHES:
            return _title_matches(facts.job_title, parameters.get("words", ()))
        case RuleKind.COMPANY_SIZE_BETWEEN:
            size = facts.company_size
            if size is None:
                return False
            return int(parameters.get("min", 0)) <= size <= int(parameters.get("max", 10**9))
        case RuleKind.COUNTRY_IN:
            if not facts.country:
                return False
            wanted = {country.casefold() for country in parameters.get("countries", ())}
            return facts.country.strip().casefold() in wanted
        case RuleKind.BUSINESS_EMAIL:
            return (
                bool(facts.email)
                and email_problem(facts.email) is None
                and not is_free_mail(facts.email)
            )
        case RuleKind.FREE_MAIL:
            return is_free_mail(facts.email)
        case RuleKind.INVALID_EMAIL:
            return email_problem(facts.email) is not None
        case RuleKind.ACTIVITY_COUNT:
            kinds = parameters.get("kinds", ())
            count = sum(facts.activity_counts.get(kind, 0) for kind in kinds)
            return count >= int(parameters.get("min_count", 1))
        case RuleKind.CONSENT_DENIED:
            return facts.consent == Consent.DENIED
        case RuleKind.INACTIVE_DAYS:
            since = facts.last_activity_at or facts.created_at
            if since is None:
                return False
            return now - since >= dt.timedelta(days=int(parameters.get("days", 30)))
    return False


def suggested_temperature(score: int, settings: ScoreSettings) -> Temperature:
    if score >= settings.hot_cutoff:
        return Temperature.HOT
    if score >= settings.warm_cutoff:
        return Temperature.WARM
    return Temperature.COLD


def score_lead(
    facts: LeadFacts,
    rules: Sequence[ScoreRule] = DEFAULT_RULES,
    settings: ScoreSettings = ScoreSettings(),
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


# Rules that look at one field whose values repeat (titles, sizes, countries):
# the fast scorers (NewLeadScorer, score_cache.BatchScorer) judge them once per value.
SINGLE_FIELD_KINDS: dict[RuleKind, str] = {
    RuleKind.JOB_TITLE_MATCHES: "job_title",
    RuleKind.COMPANY_SIZE_BETWEEN: "company_size",
    RuleKind.COUNTRY_IN: "country",
    RuleKind.CONSENT_DENIED: "consent",
}
# The facts ``NewLeadScorer.score_new_lead`` reads per field rule, in its argument order.
_NEW_LEAD_FIELDS = ("job_title", "company_size", "country", "consent")
EMAIL_KINDS = frozenset({RuleKind.BUSINESS_EMAIL, RuleKind.FREE_MAIL, RuleKind.INVALID_EMAIL})
# Distinct values remembered per rule before a fast scorer's memo starts over.
FIELD_MEMO_LIMIT = 50_000


class NewLeadScorer:
    """Scores many leads that have no activities yet (an import) at a few µs each.

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
