"""Score rules in words a salesperson reads: what each kind of condition means.

A rule's condition is a kind (``RuleKind``) plus parameters; Settings shows it as
a sentence ("Job title contains owner, founder, CEO…") and edits it through the
few parameters each kind has. ``clean_parameters`` is the one place that says
what parameters a kind takes and which values are acceptable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from leaddesk.core.fields import ActivityKind
from leaddesk.core.scoring import DEFAULT_RULES, RuleKind, ScoreRule, ScoreSettings

# What the rule looks at, as the kind chooser in the rule editor lists it.
KIND_LABELS: dict[RuleKind, str] = {
    RuleKind.JOB_TITLE_MATCHES: "Job title contains one of these words",
    RuleKind.COMPANY_SIZE_BETWEEN: "Company size is between",
    RuleKind.COUNTRY_IN: "Country is one of",
    RuleKind.BUSINESS_EMAIL: "Email is on a business domain",
    RuleKind.FREE_MAIL: "Email is on a free-mail domain (Gmail, Yahoo…)",
    RuleKind.INVALID_EMAIL: "Email address is invalid",
    RuleKind.ACTIVITY_COUNT: "Logged activities of these kinds",
    RuleKind.CONSENT_DENIED: "Consent to be contacted was denied",
    RuleKind.INACTIVE_DAYS: "No activity for a number of days",
}

DEFAULT_RULE_KEYS: frozenset[str] = frozenset(rule.key for rule in DEFAULT_RULES)

# How many items of a list a sentence names before it says "…".
_SHOWN_ITEMS = 3
# Short words that read better in capitals in a sentence.
_ACRONYMS = frozenset({"ceo", "cto", "cfo", "coo", "vp", "us", "usa", "uk", "gb"})


class RuleProblem(ValueError):
    """A rule the user wrote that cannot be scored; the message says why."""


def is_default_rule(key: str) -> bool:
    """Rules LeadDesk ships with can be disabled and changed but not deleted."""
    return key in DEFAULT_RULE_KEYS


def _word(text: str) -> str:
    return text.upper() if text.casefold() in _ACRONYMS else text


def _some(items: Sequence[str], conjunction: str = "or") -> str:
    shown = [_word(item) for item in items[:_SHOWN_ITEMS]]
    if len(items) > _SHOWN_ITEMS:
        return ", ".join(shown) + "…"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + f" {conjunction} " + shown[-1]


# What a lead did, for each kind of activity, as a rule's condition says it.
_ACTIVITY_PHRASES: dict[str, str] = {
    ActivityKind.CALL: "had a call",
    ActivityKind.EMAIL: "was emailed",
    ActivityKind.MEETING: "had a meeting",
    ActivityKind.NOTE: "has a note",
    ActivityKind.PRICING_VISIT: "visited the pricing page",
    ActivityKind.CASE_STUDY_DOWNLOAD: "downloaded a case study",
    ActivityKind.WEBINAR: "attended a webinar",
    ActivityKind.DEMO_REQUEST: "asked for a demo",
    ActivityKind.QUOTE_REQUEST: "asked for a quote",
    ActivityKind.EMAIL_OPENED: "opened an email",
    ActivityKind.EMAIL_REPLIED: "replied to an email",
}


def _activity_phrase(kind: str) -> str:
    return _ACTIVITY_PHRASES.get(kind, kind.replace("_", " "))


def describe_condition(kind: RuleKind, parameters: Mapping[str, Any]) -> str:
    """The condition as one sentence, e.g. 'Job title contains owner, founder, CEO…'."""
    match kind:
        case RuleKind.JOB_TITLE_MATCHES:
            words = list(parameters.get("words", ()))
            return (
                f"Job title contains {_some(words)}" if words else "Job title contains (no words)"
            )
        case RuleKind.COMPANY_SIZE_BETWEEN:
            low, high = parameters.get("min", 0), parameters.get("max")
            if high is None or int(high) >= 10**9:
                return f"Company has at least {low:,} people"
            return f"Company has {low:,} to {high:,} people"
        case RuleKind.COUNTRY_IN:
            countries = list(parameters.get("countries", ()))
            count = len(countries)
            if count > _SHOWN_ITEMS:
                return f"Country is {_some(countries)} ({count} in the list)"
            return f"Country is {_some(countries)}" if countries else "Country is (none listed)"
        case RuleKind.ACTIVITY_COUNT:
            kinds = [_activity_phrase(kind) for kind in parameters.get("kinds", ())]
            if not kinds:
                return "Logged an activity of (no kinds)"
            at_least = int(parameters.get("min_count", 1))
            what = _some(kinds)
            what = what[:1].upper() + what[1:]
            if at_least <= 1:
                return what
            if len(kinds) == 1:
                return f"{what} at least {at_least} times"
            return f"{what}: at least {at_least} times in all"
        case RuleKind.INACTIVE_DAYS:
            return f"No activity for {int(parameters.get('days', 30))} days"
        case _:
            return KIND_LABELS[kind]


def _words(value: Any, what: str) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, Sequence):
        raise RuleProblem(f"List the {what}, separated by commas.")
    items = list(dict.fromkeys(" ".join(str(item).split()) for item in value))
    items = [item for item in items if item]
    if not items:
        raise RuleProblem(f"List at least one of the {what}, separated by commas.")
    return items


def _whole(value: Any, what: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (OverflowError, TypeError, ValueError):  # OverflowError: infinity
        raise RuleProblem(f"The {what} must be a whole number.") from None
    if not low <= number <= high:
        raise RuleProblem(f"The {what} must be between {low:,} and {high:,}.")
    return number


def clean_parameters(kind: RuleKind, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters ``kind`` uses, checked and tidied; RuleProblem when unusable."""
    match kind:
        case RuleKind.JOB_TITLE_MATCHES:
            return {"words": _words(parameters.get("words"), "words to look for")}
        case RuleKind.COUNTRY_IN:
            return {"countries": _words(parameters.get("countries"), "countries")}
        case RuleKind.COMPANY_SIZE_BETWEEN:
            low = _whole(parameters.get("min", 0), "smallest company size", 0, 10**9)
            high = _whole(parameters.get("max", 10**9), "largest company size", 0, 10**9)
            if low > high:
                raise RuleProblem("The smallest company size must not be above the largest.")
            return {"min": low, "max": high}
        case RuleKind.ACTIVITY_COUNT:
            kinds = _words(parameters.get("kinds"), "activity kinds")
            known = {kind.value for kind in ActivityKind}
            unknown = [kind for kind in kinds if kind not in known]
            if unknown:
                raise RuleProblem(f"'{unknown[0]}' is not a kind of activity.")
            count = _whole(parameters.get("min_count", 1), "number of activities", 1, 1000)
            return {"kinds": kinds, "min_count": count}
        case RuleKind.INACTIVE_DAYS:
            return {"days": _whole(parameters.get("days", 30), "number of days", 1, 3650)}
        case _:
            return {}


def clean_rule(rule: ScoreRule) -> ScoreRule:
    """``rule`` with a tidy label and parameters; RuleProblem when it cannot be scored."""
    label = " ".join(rule.label.split())
    if not label:
        raise RuleProblem("Give the rule a name, e.g. 'Asked for a callback'.")
    if len(label) > 200:
        raise RuleProblem("The rule's name is too long (200 characters at most).")
    points = _whole(rule.points, "points", -100, 100)
    return ScoreRule(
        key=rule.key,
        label=label,
        kind=rule.kind,
        points=points,
        parameters=clean_parameters(rule.kind, rule.parameters),
        enabled=rule.enabled,
    )


def score_settings_problem(settings: ScoreSettings) -> str | None:
    """Why a threshold or cut-off cannot be used, or None."""
    for name, value in (
        ("qualification threshold", settings.qualification_threshold),
        ("hot cut-off", settings.hot_cutoff),
        ("warm cut-off", settings.warm_cutoff),
    ):
        if not 0 <= value <= 100:
            return f"The {name} must be between 0 and 100 (scores are 0 to 100)."
    if settings.warm_cutoff > settings.hot_cutoff:
        return "The warm cut-off must not be above the hot cut-off."
    return None
