"""Addresses with an unusual domain are judged by the domain alone, as before.

``domain_problem`` lets the email column of ``parse_chunk`` (and the import's
score memo) settle an address such as anna@müller.de without the per-address
route; it must say exactly what ``email_problem`` says, and the chunk must
still give what ``parse`` gives row by row.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.core.csv_import.mapping import suggest_mapping
from leaddesk.core.csv_import.row_parser import RowParser
from leaddesk.core.csv_import.value_contacts import domain_problem, domain_problems
from leaddesk.core.validation import email_problem

LOCALS = st.one_of(
    st.sampled_from(["anna", "Anna.Berg", "a+tag", "x" * 64, "x" * 65, "a b", 'a"b', "", "a..b"]),
    st.text(st.sampled_from("aZ09.+-_@ \"'<>é"), max_size=8),
)
DOMAINS = st.one_of(
    st.sampled_from(
        [
            "müller.de",
            "café-12.example",
            "øresund-5.example",
            "MÜLLER.DE",
            "пример.рф",
            "müller..de",
            "-müller.de",
            "müller",
            "example.com",
            "b@müller.de",
            "x" * 300 + ".de",
        ]
    ),
    st.text(st.sampled_from("aé.-ü1 @"), max_size=10),
)
ADDRESSES = st.builds(lambda local, domain: f"{local}@{domain}", LOCALS, DOMAINS)


@settings(max_examples=400)
@given(email=st.one_of(ADDRESSES, st.text(max_size=12)))
def test_the_domain_route_says_what_email_problem_says(email: str) -> None:
    problem = domain_problem(email)
    if problem is not False:
        assert problem == email_problem(email)


@settings(max_examples=200)
@given(
    cells=st.lists(
        st.one_of(
            ADDRESSES,
            st.builds(lambda a: f" <{a.upper()}> ", ADDRESSES),
            st.builds(lambda a: "'" + a, ADDRESSES),
            st.sampled_from(["", "n/a", "mailto:anna@müller.de", "anna@müller.de"]),
        ),
        max_size=15,
    )
)
def test_email_columns_with_unusual_domains_parse_in_chunks_as_rows_do(cells: list[str]) -> None:
    mapping = suggest_mapping(("Email",))
    rows = [[cell] for cell in cells]
    chunk_parser, row_parser = RowParser(mapping), RowParser(mapping)
    for _ in range(2):  # the second pass answers from the memo
        assert [(p.values, p.problems) for p in chunk_parser.parse_chunk(rows)] == [
            (e.values, e.problems) for e in map(row_parser.parse, rows)
        ]


def test_an_international_address_is_kept_lower_cased_and_a_bad_domain_is_reported() -> None:
    parser = RowParser(suggest_mapping(("Email",)))
    good, bad = parser.parse_chunk([["Anna@Café-12.Example"], ["anna@müller..de"]])
    assert good.values == {"email": "anna@café-12.example"}
    assert good.problems == []
    assert bad.values == {"email": "anna@müller..de"}
    assert [problem.kept for problem in bad.problems] == [True]


@settings(max_examples=200)
@given(emails=st.lists(st.one_of(ADDRESSES, st.text(max_size=12)), max_size=12))
def test_a_column_of_addresses_is_judged_as_each_address_alone(emails: list[str]) -> None:
    # domain_problems judges a whole column (one library call per domain).
    assert domain_problems(emails) == [domain_problem(email) for email in emails]
