"""Splitting a whole name into first and last name as people write it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaddesk.core.csv_import.full_names import split_full_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ana María Castaño", ("Ana María", "Castaño")),
        ("Castaño, Ana", ("Ana", "Castaño")),
        ("Ludwig van der Berg", ("Ludwig", "van der Berg")),
        ("  Cher  ", ("Cher", "")),
        ("Dr. Hans   Meier", ("Hans", "Meier")),
        ("Oğuz Quiñones", ("Oğuz", "Quiñones")),
        ("", ("", "")),
    ],
)
def test_split_full_name(text: str, expected: tuple[str, str]) -> None:
    assert split_full_name(text) == expected


@given(st.lists(st.text(st.characters(categories=("L",)), min_size=1, max_size=8), max_size=5))
def test_split_full_name_keeps_every_word_but_a_leading_salutation(words: list[str]) -> None:
    first, last = split_full_name(" ".join(words))
    kept = (first + " " + last).split()
    assert kept == words[len(words) - len(kept) :]
    assert bool(kept) == bool(words)
