"""The import's memoised scoring gives exactly the scores of the scoring rules."""

from __future__ import annotations

import datetime as dt
import itertools

from leaddesk.core.scoring import DEFAULT_RULES, NewLeadScorer, ScoreMemo, ScoreSettings

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
TITLES = [None, "CEO", "Head of Sales", "Student", "Engineer", "job seeker"]
SIZES = [None, 5, 50, 5000]
COUNTRIES = [None, "Germany", "Japan"]
EMAILS = [
    None,
    "",
    "anna@gmail.com",
    "anna@GMAIL.com",
    "anna@acme.example",
    "anna@müller.de",
    "not an email",
    "a@b",
    '"quoted name"@example.com',
    "x" * 330 + "@example.com",
]
CONSENTS = ["unknown", "granted", "denied"]
SINCE = [None, NOW, NOW - dt.timedelta(days=29), NOW - dt.timedelta(days=31)]


def test_memoised_scores_equal_the_rules_for_every_default_rule() -> None:
    scorer = NewLeadScorer(DEFAULT_RULES, ScoreSettings(), NOW)
    memo = ScoreMemo(scorer.score_new_lead)
    seen = set()
    for facts in itertools.product(TITLES, SIZES, COUNTRIES, EMAILS, CONSENTS, SINCE):
        # Twice: the second answer comes from the memo.
        lead = [[value] for value in facts]  # one lead, as one-row columns
        assert memo.scores(*lead) == [scorer.score_new_lead(*facts)], facts
        assert memo.scores(*lead) == [scorer.score_new_lead(*facts)], facts
        seen.add(scorer.score_new_lead(*facts))
    assert len(seen) >= 5  # the grid exercises many rules, not one score


def test_scores_of_whole_columns_equal_the_rules_for_every_default_rule() -> None:
    scorer = NewLeadScorer(DEFAULT_RULES, ScoreSettings(), NOW)
    memo = ScoreMemo(scorer.score_new_lead)
    grid = list(itertools.product(TITLES, SIZES, COUNTRIES, EMAILS, CONSENTS, SINCE))
    expected = [scorer.score_new_lead(*facts) for facts in grid]
    columns = [list(column) for column in zip(*grid, strict=True)]
    # Twice: the second time every score comes from the memo.
    assert memo.scores(*columns) == expected
    assert memo.scores(*columns) == expected
    assert len(set(expected)) >= 5


def test_leads_alike_in_one_chunk_are_scored_once() -> None:
    scorer = NewLeadScorer(DEFAULT_RULES, ScoreSettings(), NOW)
    asked: list[tuple[object, ...]] = []

    def counting(*facts: object) -> int:
        asked.append(facts)
        return scorer.score_new_lead(*facts)  # type: ignore[arg-type]

    memo = ScoreMemo(counting)
    # Three leads alike but for their (valid, business) addresses, one other.
    emails = ["a@acme.example", "b@acme.example", "c@müller.de", "d@gmail.com"]
    scores = memo.scores(["CEO"] * 4, [50] * 4, ["Germany"] * 4, emails, ["unknown"] * 4, [NOW] * 4)

    assert len(asked) == 2
    assert scores == [
        scorer.score_new_lead("CEO", 50, "Germany", email, "unknown", NOW) for email in emails
    ]
