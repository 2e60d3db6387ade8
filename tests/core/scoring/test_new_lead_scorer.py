"""The fast scorer of new leads gives exactly what the reference scorer gives."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.core.fields import Consent
from leaddesk.core.scoring import (
    DEFAULT_RULES,
    LeadFacts,
    NewLeadScorer,
    RuleKind,
    ScoreRule,
    ScoreSettings,
    score_lead,
)

# The time of the `clock` fixture (tests/conftest.py).
TEST_NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)


_titles = st.one_of(
    st.none(),
    st.sampled_from(["CEO", "Head of Sales", "Student", "Intern", "mvp", "Geschäftsführer", ""]),
    st.text(max_size=15),
)
_emails = st.one_of(
    st.none(),
    st.sampled_from(
        ["a@acme.example", "bob@gmail.com", "x@yahoo.com", "not an email", "a@@b", "", "A@Acme.COM"]
    ),
    st.emails().map(str),
)
_countries = st.one_of(
    st.none(), st.sampled_from(["Germany", " de ", "DE", "Brazil", "usa", ""]), st.text(max_size=8)
)
_facts = st.builds(
    LeadFacts,
    job_title=_titles,
    company_size=st.one_of(st.none(), st.integers(-5, 5000)),
    country=_countries,
    email=_emails,
    consent=st.sampled_from(list(Consent)),
    created_at=st.one_of(
        st.none(),
        st.integers(-400 * 24, 24).map(lambda hours: TEST_NOW + dt.timedelta(hours=hours)),
    ),
)


@st.composite
def _rules(draw: st.DrawFn) -> list[ScoreRule]:
    rules = []
    for rule in DEFAULT_RULES:
        parameters = dict(rule.parameters)
        if rule.kind is RuleKind.ACTIVITY_COUNT and draw(st.booleans()):
            parameters["min_count"] = draw(st.integers(0, 3))
        if rule.kind is RuleKind.INACTIVE_DAYS:
            parameters["days"] = draw(st.integers(0, 400))
        if rule.kind is RuleKind.COMPANY_SIZE_BETWEEN:
            parameters["min"] = draw(st.integers(0, 100))
        rules.append(
            ScoreRule(
                rule.key,
                rule.label,
                rule.kind,
                draw(st.integers(-30, 40)),
                parameters,
                enabled=draw(st.booleans()),
            )
        )
    return draw(st.permutations(rules))


@settings(max_examples=200, deadline=None)
@given(
    rules=st.one_of(st.just(list(DEFAULT_RULES)), _rules()),
    facts=st.lists(_facts, min_size=1, max_size=8),
    cutoffs=st.tuples(st.integers(0, 100), st.integers(0, 100), st.integers(0, 100)),
)
def test_the_new_lead_scorer_gives_what_score_lead_gives(
    rules: list[ScoreRule], facts: list[LeadFacts], cutoffs: tuple[int, int, int]
) -> None:
    score_settings = ScoreSettings(*cutoffs)
    scorer = NewLeadScorer(rules, score_settings, TEST_NOW)  # one scorer, many leads: caches
    for lead in facts:
        expected = score_lead(lead, rules, score_settings, now=TEST_NOW).score
        assert scorer.score(lead) == expected
