"""Score rules: what a rule is, the default rules, when a rule fires, the cut-offs.

Rules are data (a kind, parameters, points) rather than code so that users can
edit them in Settings, they can be stored in the database, and a later bulk
rescorer can compile the same kinds to SQL. ``rule_fires`` says what each kind
means; ``reference.score_lead`` adds up the rules that fire into the score.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
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


# The cut-offs a new database starts with (see core.settings for their stored form).
DEFAULT_SETTINGS = ScoreSettings()


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


# What each kind reads, for the fast scorers (new_lead.NewLeadScorer,
# batch.BatchScorer): rules that look at one field whose values repeat (titles,
# sizes, countries) are judged once per value; the email rules share one
# verdict on the address.
SINGLE_FIELD_KINDS: dict[RuleKind, str] = {
    RuleKind.JOB_TITLE_MATCHES: "job_title",
    RuleKind.COMPANY_SIZE_BETWEEN: "company_size",
    RuleKind.COUNTRY_IN: "country",
    RuleKind.CONSENT_DENIED: "consent",
}
EMAIL_KINDS = frozenset({RuleKind.BUSINESS_EMAIL, RuleKind.FREE_MAIL, RuleKind.INVALID_EMAIL})
# Distinct values remembered per rule before a fast scorer's memo starts over.
FIELD_MEMO_LIMIT = 50_000
