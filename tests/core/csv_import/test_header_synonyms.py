"""Which target a header proposes, whatever its spelling, vendor prefix or language."""

from __future__ import annotations

import pytest

from leaddesk.core.csv_import.header_synonyms import header_candidate, header_key
from leaddesk.core.csv_import.mapping import CREATED_AT, suggest_mapping


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Prénom", "prenom"),
        ("E-Mail", "email"),
        ("Person - Email - Work", "personemailwork"),
        ("FirstName", "firstname"),
    ],
)
def test_header_key_drops_case_accents_spaces_and_punctuation(header: str, key: str) -> None:
    assert header_key(header) == key


def test_headers_match_whatever_their_case_accents_and_punctuation() -> None:
    assert suggest_mapping(["  e_mail ", "PRENOM", "téléphone"]).targets == (
        "email",
        "first_name",
        "phone",
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Email", ("email", 1)),
        ("Mobile Phone", ("phone", 2)),
        ("Contact Created Date", (CREATED_AT, 2)),  # a vendor prefix costs one rank
        ("Private E-Mail of the CEO", ("email", 5)),  # a word inside: the last resort
        ("Record ID", None),  # known to carry nothing a lead should take
        ("Favourite colour", None),
        ("", None),
    ],
)
def test_header_candidate_ranks_listed_prefixed_and_keyword_headers(
    header: str, expected: tuple[str, int] | None
) -> None:
    assert header_candidate(header) == expected
