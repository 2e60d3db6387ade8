"""What the scoring tests share: the time they score at, leads, random leads and rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any, Final, TypeVar

from hypothesis import strategies as st

from leaddesk.core.fields import Consent
from leaddesk.core.scoring import DEFAULT_RULES, LeadFacts, RuleKind, ScoreRule, ScoreSettings

T = TypeVar("T")

NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)


def facts(**overrides: Any) -> LeadFacts:
    """A lead created just now that fires no default rule, plus ``overrides``."""
    values: dict[str, Any] = {"created_at": NOW}
    values.update(overrides)
    return LeadFacts(**values)


# --- random leads and rules -----------------------------------------------------------

TITLES = st.sampled_from(
    [None, "CEO", "VP Sales", "MVP designer", "Student", "Intern and founder", "Engineer"]
)
EMAILS = st.sampled_from([None, "a@acme.io", "a@gmail.com", "broken", "a b@gmail.com"])
COUNTRIES = st.sampled_from([None, "Germany", "us", "Mexico"])
SIGNALS = st.sampled_from(
    [
        "demo_request",
        "quote_request",
        "pricing_visit",
        "case_study_download",
        "webinar",
        "email_replied",
        "email_opened",
        "call",
        "note",
    ]
)
DAYS_AGO = st.none() | st.integers(min_value=0, max_value=400)


@st.composite
def lead_facts(draw: st.DrawFn) -> LeadFacts:
    created = draw(st.integers(min_value=0, max_value=400))
    last = draw(DAYS_AGO)
    return LeadFacts(
        job_title=draw(TITLES),
        company_size=draw(st.none() | st.integers(min_value=0, max_value=5000)),
        country=draw(COUNTRIES),
        email=draw(EMAILS),
        consent=draw(st.sampled_from(list(Consent))),
        activity_counts=draw(st.dictionaries(SIGNALS, st.integers(min_value=0, max_value=5))),
        last_activity_at=None if last is None else NOW - dt.timedelta(days=last),
        created_at=NOW - dt.timedelta(days=created),
    )


@st.composite
def rule_sets(draw: st.DrawFn) -> list[ScoreRule]:
    """The default rules, each possibly disabled or re-weighted."""
    rules = []
    for rule in DEFAULT_RULES:
        points = draw(st.integers(min_value=-150, max_value=150) | st.just(rule.points))
        rules.append(dataclasses.replace(rule, points=points, enabled=draw(st.booleans())))
    return rules


# --- leads without activities, rules with any parameters ------------------------------
#
# For checking the fast scorers against score_lead: values that repeat (so the
# memos answer), values on each side of every default rule, and odd ones.

NEW_LEAD_TITLES = st.sampled_from(
    [None, "", "CEO", "ceo", "Head of Sales", "headoffice", "MVP designer", "Student", "Buyer"]
) | st.text(max_size=8)
NEW_LEAD_COUNTRIES = st.sampled_from([None, "", "Germany", " germany ", "DE", "us", "Japan"])
NEW_LEAD_SIZES = st.none() | st.integers(min_value=-5, max_value=2000)
# An address of each kind the email rules and ScoreMemo's email classes tell apart.
TRICKY_ADDRESSES: list[str | None] = [
    None,
    "",
    "anna@gmail.com",
    "anna@GMAIL.com",
    "ANNA@Web.DE",
    "anna@gmail.com ",
    " anna@acme.example",
    "anna@acme.example",
    "Anna.Smith+tag@Acme.IO",
    "anna@müller.de",
    "anna@xn--mller-kva.de",
    "ä@acme.example",
    "not an email",
    "a@b",
    "a@@gmail.com",
    "anna@-acme-.example",
    "anna@gmail",
    "a b@gmail.com",
    '"quoted name"@example.com',
    "x" * 330 + "@example.com",
]
ADDRESSES = st.one_of(
    st.none(),  # often: many imported leads have no email
    st.sampled_from(TRICKY_ADDRESSES),
    st.builds(
        "{}@{}".format,
        st.sampled_from(["a", "A.b", "x+y", "", ".a"]),
        st.sampled_from(["gmail.com", "GMail.Com", "web.de", "acme.io", "müller.de", "b", "a..io"]),
    ),
    st.text(max_size=12),
)
# Whole days ago (on each side of the default 30 days and of DAYS below, where
# "inactive for N days" turns true) or any hour from 400 days ago to a day ahead.
DAYS = st.sampled_from([0, 1, 7, 29, 30, 31, 365])
MOMENTS = st.one_of(
    DAYS.map(lambda days: NOW - dt.timedelta(days=days)),
    st.integers(min_value=-400 * 24, max_value=24).map(
        lambda hours: NOW + dt.timedelta(hours=hours)
    ),
)


@st.composite
def new_leads(draw: st.DrawFn) -> LeadFacts:
    """A lead with no activities yet, as an import creates them."""
    return LeadFacts(
        job_title=draw(NEW_LEAD_TITLES),
        company_size=draw(NEW_LEAD_SIZES),
        country=draw(NEW_LEAD_COUNTRIES),
        email=draw(ADDRESSES),
        consent=draw(st.sampled_from(list(Consent))),
        last_activity_at=draw(st.none() | MOMENTS),
        created_at=draw(st.none() | MOMENTS),
    )


@st.composite
def any_leads(draw: st.DrawFn) -> LeadFacts:
    """A lead with any facts, activities too."""
    counts = draw(st.dictionaries(SIGNALS, st.integers(min_value=0, max_value=5)))
    return dataclasses.replace(draw(new_leads()), activity_counts=counts)


# Parameter values that rule_fires may be unable to read (then it raises): the
# fast scorers must raise for the same leads, not score them.
UNREADABLE = st.sampled_from(["many", None, 10**20, float("nan"), 7, [["nested"]]])
WORDS = st.lists(st.sampled_from(["ceo", "head of", "vp", "student", "intern", "buyer", "Ö"]))


@st.composite
def rule_parameters(draw: st.DrawFn, kind: RuleKind) -> dict[str, Any]:
    """Parameters for a rule of ``kind``: any of its keys, left out, or unreadable."""
    choices: dict[str, st.SearchStrategy[Any]] = {}
    match kind:
        case RuleKind.JOB_TITLE_MATCHES:
            choices = {"words": WORDS}
        case RuleKind.COMPANY_SIZE_BETWEEN:
            choices = {"min": st.integers(-10, 1500), "max": st.integers(-10, 1500)}
        case RuleKind.COUNTRY_IN:
            choices = {"countries": st.lists(st.sampled_from(["germany", "DE", "US", "Japan"]))}
        case RuleKind.ACTIVITY_COUNT:
            choices = {"kinds": st.lists(SIGNALS, max_size=3), "min_count": st.integers(0, 4)}
        case RuleKind.INACTIVE_DAYS:
            choices = {"days": DAYS | st.integers(0, 400) | st.just("30")}
    parameters = {}
    for key, values in choices.items():
        if draw(st.integers(0, 9)) == 0:
            parameters[key] = draw(UNREADABLE)
        elif draw(st.integers(0, 9)) > 0:
            parameters[key] = draw(values)
    return parameters


# Mostly small, so that a score is seldom clamped and each rule's points show.
POINTS = st.integers(min_value=-30, max_value=40) | st.integers(min_value=-150, max_value=150)


@st.composite
def any_rule(draw: st.DrawFn, kind: RuleKind | None = None, index: int = 0) -> ScoreRule:
    kind = kind or draw(st.sampled_from(list(RuleKind)))
    return ScoreRule(
        key=f"rule_{index}",
        label=draw(st.sampled_from([f"Rule {index}", "Same label"])),
        kind=kind,
        points=draw(POINTS),
        parameters=draw(rule_parameters(kind)),
        enabled=draw(st.integers(0, 4)) > 0,
    )


@st.composite
def varied_rule_sets(draw: st.DrawFn) -> list[ScoreRule]:
    """Any rules: the defaults re-weighted, or one rule of each kind with any
    parameters; then a few more of any kind, in any order.

    Sometimes the same rule object twice, since the fast scorers plan per rule.
    """
    if draw(st.booleans()):
        rules = [
            dataclasses.replace(rule, points=draw(POINTS), enabled=draw(st.integers(0, 4)) > 0)
            for rule in DEFAULT_RULES
        ]
    else:
        rules = [draw(any_rule(kind, index)) for index, kind in enumerate(RuleKind)]
    rules += [draw(any_rule(None, 100 + i)) for i in range(draw(st.integers(0, 3)))]
    if draw(st.booleans()):
        rules.append(draw(st.sampled_from(rules)))
    return draw(st.permutations(rules))


CUT_OFFS = st.builds(ScoreSettings, st.integers(0, 100), st.integers(0, 100), st.integers(0, 100))


class Raised:
    """What ``outcome`` gives when the call raised: the reason itself may differ.

    score_lead raises at the first rule in rule order that cannot be read; a fast
    scorer asks its rules in another order, so it may meet another bad rule first.
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Raised)

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "Raised()"


RAISED: Final = Raised()


def outcome(call: Callable[[], T]) -> T | Raised:
    """What ``call`` gives, or RAISED when it cannot read a rule's parameters."""
    try:
        return call()
    except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError):
        return RAISED
