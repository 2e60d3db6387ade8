"""ScoreMemo gives exactly what score_lead gives for an import's new leads, chunk by chunk."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.core.fields import Consent
from leaddesk.core.scoring import (
    DEFAULT_RULES,
    LeadFacts,
    NewLeadScorer,
    ScoreMemo,
    ScoreRule,
    ScoreSettings,
    score_lead,
)
from tests.core.scoring.scoring_helpers import (
    ADDRESSES,
    CUT_OFFS,
    MOMENTS,
    NEW_LEAD_COUNTRIES,
    NEW_LEAD_SIZES,
    NEW_LEAD_TITLES,
    NOW,
    RAISED,
    TRICKY_ADDRESSES,
    outcome,
    varied_rule_sets,
)

# One lead as the import hands it over: (job title, company size, country,
# email, consent as stored, created at).
Row = tuple[str | None, int | None, str | None, str | None, str, dt.datetime | None]

CONSENTS = st.sampled_from([consent.value for consent in Consent])
# The memo answers a lead from an earlier one with the same facts and an email
# of the same class: so most chunks hold families of leads alike but for the
# email, and every lead is scored twice.
ALIKE = st.tuples(
    st.sampled_from([None, "", "CEO", "Student"]),
    st.sampled_from([None, 5, 50]),
    st.sampled_from([None, "Germany", "Japan"]),
    CONSENTS,
    st.sampled_from([None, NOW, NOW - dt.timedelta(days=29), NOW - dt.timedelta(days=31)]),
)
ANY_ROW = st.tuples(
    NEW_LEAD_TITLES,
    NEW_LEAD_SIZES,
    NEW_LEAD_COUNTRIES,
    ADDRESSES,
    CONSENTS,
    st.none() | MOMENTS,
)


@st.composite
def family(draw: st.DrawFn) -> list[Row]:
    """Leads alike but for their emails."""
    title, size, country, consent, since = draw(ALIKE)
    emails = draw(st.lists(ADDRESSES, min_size=2, max_size=6))
    return [(title, size, country, email, consent, since) for email in emails]


@st.composite
def chunks(draw: st.DrawFn) -> list[list[Row]]:
    """Families of alike leads and a few others, in any order, cut into chunks.

    A memo entry serves later chunks only (a chunk scores its misses after
    looking all its leads up), so a family spread over chunks is what tells
    whether the memo keeps leads apart that it must.
    """
    rows = [row for part in draw(st.lists(family(), max_size=3)) for row in part]
    rows = draw(st.permutations(rows + draw(st.lists(ANY_ROW, max_size=4))))
    cuts = sorted(draw(st.lists(st.integers(0, len(rows)), max_size=5)))
    return [rows[start:end] for start, end in itertools.pairwise([0, *cuts, len(rows)])]


def reference_score(row: Row, rules: list[ScoreRule], cut_offs: ScoreSettings) -> int:
    job_title, company_size, country, email, consent, created_at = row
    lead = LeadFacts(
        job_title=job_title,
        company_size=company_size,
        country=country,
        email=email,
        consent=Consent(consent),
        created_at=created_at,
    )
    return score_lead(lead, rules, cut_offs, now=NOW).score


def columns(chunk: list[Row]) -> list[list[object]]:
    """The chunk column by column, as the import passes it."""
    return [[row[position] for row in chunk] for position in range(6)]


@settings(max_examples=100)
@given(
    rules=varied_rule_sets(),
    chunks=chunks(),
    cut_offs=CUT_OFFS,
)
def test_memoised_scores_equal_score_lead(
    rules: list[ScoreRule], chunks: list[list[Row]], cut_offs: ScoreSettings
) -> None:
    scorer = outcome(lambda: NewLeadScorer(rules, cut_offs, NOW))
    if scorer == RAISED:
        return  # test_new_lead_scorer checks that score_lead fails for every lead then
    assert isinstance(scorer, NewLeadScorer)
    memo = ScoreMemo(scorer.score_new_lead)
    # Every chunk twice: the second time the scores come from the memo.
    for chunk in chunks + chunks:
        expected = [outcome(lambda row=row: reference_score(row, rules, cut_offs)) for row in chunk]
        # One lead the rules cannot score fails its whole chunk.
        wanted = RAISED if RAISED in expected else expected
        assert outcome(lambda chunk=chunk: memo.scores(*columns(chunk))) == wanted, chunk


@settings(max_examples=50)
@given(chunks=chunks())
def test_a_memo_that_fills_up_starts_over_and_stays_right(chunks: list[list[Row]]) -> None:
    memo = ScoreMemo(NewLeadScorer(DEFAULT_RULES, ScoreSettings(), NOW).score_new_lead)
    memo.LIMIT = 3
    rows = [row for chunk in chunks for row in chunk]
    for row in rows + rows:
        assert memo.scores(*columns([row])) == [
            reference_score(row, list(DEFAULT_RULES), ScoreSettings())
        ]


def test_two_leads_alike_but_for_the_email_get_each_their_own_score() -> None:
    # CEO (+20) of a 50-person (+10) German (+5) company: 35, and each email class
    # moves it elsewhere (business +5, free mail -5, invalid -20), so a second
    # lead answered from the first one's memo entry by mistake shows.
    for first, second in itertools.product(TRICKY_ADDRESSES, repeat=2):
        memo = ScoreMemo(NewLeadScorer(DEFAULT_RULES, ScoreSettings(), NOW).score_new_lead)
        for email in (first, second):
            # One call each: a lead is answered from the memo by a later chunk only.
            row: Row = ("CEO", 50, "Germany", email, "unknown", NOW)
            expected = reference_score(row, list(DEFAULT_RULES), ScoreSettings())
            assert memo.scores(*columns([row])) == [expected], (first, second)
