"""What the scoring tests share: the time they score at, leads, random leads and rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from hypothesis import strategies as st

from leaddesk.core.fields import Consent
from leaddesk.core.scoring import DEFAULT_RULES, LeadFacts, ScoreRule

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
