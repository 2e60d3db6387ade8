"""Many candidates are screened in C before the rule runs: the verdict must not change."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.core import dedupe
from leaddesk.core.dedupe import PersonKeys, choose, person_name

# Typos, swaps, accents, digits and near-misses around a few names.
NAMES = [
    ("Anna", "Berg"),
    ("Ana", "Berg"),
    ("Berg", "Anna"),
    ("Anna", "Bergh"),
    ("Hana", "Berg"),
    ("Jörg", "Müller"),
    ("Joerg", "Mueller"),
    ("Jorg", "Muller"),
    ("Given12", "Family12"),
    ("Given13", "Family12"),
    ("Christopher", "Johnson"),
    ("Christofer", "Jonson"),
    ("Bo", ""),
    ("", "Lind"),
    ("", ""),
]
person = st.builds(
    lambda email, phone, company, name: PersonKeys(
        email, phone, company, person_name(name[0], name[1])
    ),
    st.sampled_from(["a@x.example", "b@x.example", None, None]),
    st.sampled_from(["+4930111", "+4930222", None, None]),
    st.sampled_from(["acme", "beta", None]),
    st.sampled_from(NAMES),
)


@settings(max_examples=300)
@given(row=person, candidates=st.lists(person, min_size=17, max_size=60))
def test_screening_many_candidates_gives_the_verdict_of_comparing_each(
    row: PersonKeys, candidates: list[PersonKeys]
) -> None:
    refs = list(enumerate(candidates))
    screened = choose(row, refs)
    original = dedupe._SCREEN_FROM
    dedupe._SCREEN_FROM = 10**9  # the reference: every candidate compared in Python
    try:
        compared = choose(row, refs)
    finally:
        dedupe._SCREEN_FROM = original
    assert screened == compared


@pytest.mark.parametrize(
    ("row_name", "lead_name"),
    [(("Joerg", "Mueller"), ("Jörg", "Müller")), (("Mueller", "Joerg"), ("Jörg", "Müller"))],
)
def test_a_close_name_among_many_colleagues_is_still_found(row_name, lead_name) -> None:
    colleagues = [
        (
            index,
            PersonKeys(f"p{index}@acme.example", None, "acme", person_name(f"Given{index}", "X")),
        )
        for index in range(100)
    ]
    lead = PersonKeys(None, None, "acme", person_name(*lead_name))
    row = PersonKeys(None, None, "acme", person_name(*row_name))
    decision = choose(row, [*colleagues, (100, lead)])
    assert decision.same == 100
