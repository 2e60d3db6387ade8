"""The import's column-at-a-time parser gives exactly what the row parser gives.

``RowParser.parse_chunk`` is the import's hot path (memos, whole-column fast
checks for text, emails and phones); ``RowParser.parse`` is the reference the
preview also uses. Any difference between them would be a lead stored
differently from what the wizard showed.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.core.csv_import.mapping import ColumnMapping, suggest_mapping
from leaddesk.core.csv_import.reader import iter_rows, sniff
from leaddesk.core.csv_import.row_parser import RowParser
from leaddesk.core.csv_import.value_contacts import parse_phone_as_typed
from leaddesk.core.normalize import company_key

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"

HEADERS = (
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Company Name",
    "Lifecycle Stage",
    "Create Date",
    "Full Name",
    "Unsubscribed",
    "Company size",
)

# Cells in the shapes files have, plus the awkward ones: escapes, placeholders,
# blanks, malformed addresses and numbers, disqualifying stages.
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "  ",
            "n/a",
            "-",
            "'=1+1",
            "''-x",
            "'+49 30 1234567",
            "Anna",
            " Émile ",
            "anna@example.com",
            "Anna.Berg@Example.COM",
            "<anna@example.com>",
            "mailto:anna@example.com",
            "anna@müller.de",
            "not an email",
            "+49 30 1234567",
            "+44 20 7946 0958",
            "+1 (555) 201-0005",
            "0049 30 1234567",
            "030 1234567",
            "+0 123",
            "+999 1234567",
            "12345",
            "Acme, Inc.",
            "lead",
            "customer",
            "Unqualified",
            "Disqualified - no budget",
            "2026-03-01 09:30",
            "03/04/2026",
            "yes",
            "no",
            "42",
            "1,5",
        ]
    ),
    st.text(max_size=12),
)


def _parser(headers: tuple[str, ...], **options: object) -> RowParser:
    return RowParser(suggest_mapping(headers), **options)  # type: ignore[arg-type]


@settings(max_examples=300)
@given(
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=len(HEADERS) + 1), max_size=12),
    region=st.sampled_from([None, "DE", "US"]),
    as_typed=st.booleans(),
)
def test_chunks_parse_as_rows_do(rows: list[list[str]], region: str | None, as_typed: bool) -> None:
    chunk_parser = _parser(HEADERS, default_region=region, phones_as_typed=as_typed)
    row_parser = _parser(HEADERS, default_region=region, phones_as_typed=as_typed)
    # Twice: the second pass answers from the memos.
    for _ in range(2):
        parsed = chunk_parser.parse_chunk(rows)
        expected = [row_parser.parse(row) for row in rows]
        assert [(p.values, p.problems) for p in parsed] == [
            (e.values, e.problems) for e in expected
        ]


@settings(max_examples=100)
@given(rows=st.lists(st.lists(CELLS, min_size=5, max_size=5), min_size=1, max_size=20))
def test_equal_width_rows_take_the_transposing_path_with_the_same_result(
    rows: list[list[str]],
) -> None:
    headers = ("Email", "Phone", "Company", "Notes", "Create Date")
    parser = _parser(headers)
    assert [p.values for p in parser.parse_chunk(rows)] == [
        parser.parse(row).values for row in rows
    ]


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.csv")), ids=lambda p: p.name)
def test_every_fixture_file_parses_the_same_in_chunks(path: Path) -> None:
    fmt = sniff(path)
    mapping: ColumnMapping = suggest_mapping(fmt.headers)
    rows = [row.values for row in iter_rows(path, fmt)]
    parser = RowParser.from_sample(mapping, rows)
    assert [(p.values, p.problems) for p in parser.parse_chunk(rows)] == [
        (e.values, e.problems) for e in map(parser.parse, rows)
    ]


def test_a_phone_kept_as_typed_is_still_checked() -> None:
    assert parse_phone_as_typed(" +44 20 7946 0958 ") == "+44 20 7946 0958"
    parser = _parser(("Phone",), phones_as_typed=True)
    (parsed,) = parser.parse_chunk([["12345"]])
    assert parsed.values == {"phone": "12345"}
    assert [problem.kept for problem in parsed.problems] == [True]


@given(st.text(st.characters(max_codepoint=127), max_size=30))
def test_ascii_company_keys_take_the_short_route_to_the_same_key(company: str) -> None:
    folded = unicodedata.normalize("NFKD", company.casefold())
    general = folded.encode("ascii", "ignore").decode("ascii")
    assert company_key(company) == company_key.__wrapped__(general)  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["²", "1²", "²²"])
def test_digits_that_are_no_numbers_are_explained_not_raised(text: str) -> None:
    from leaddesk.core.csv_import.value_numbers import parse_integer, parse_money_cents
    from leaddesk.core.csv_import.values import CellValueError

    for parse in (parse_integer, parse_money_cents):
        with pytest.raises(CellValueError):
            parse(text)


# Numbers in international form from many countries, some with the country's
# national prefix after the code (which only the whole number can settle), some
# too short or too long for their country.
_INTERNATIONAL = st.builds(
    lambda code, middle, digits, spaced: (
        f"+{code} {middle} {digits}" if spaced else f"+{code}{middle}{digits}"
    ),
    st.sampled_from(["1", "7", "33", "36", "44", "49", "61", "81", "353", "358", "998", "1684"]),
    st.sampled_from(["", "0", "1", "06", "8", "30", "20", "555"]),
    st.text("0123456789", min_size=1, max_size=13),
    st.booleans(),
)


@settings(max_examples=300)
@given(
    numbers=st.lists(_INTERNATIONAL, min_size=1, max_size=30),
    as_typed=st.booleans(),
)
def test_a_column_of_international_numbers_parses_as_rows_do(
    numbers: list[str], as_typed: bool
) -> None:
    # The column-wise route for a column of '+' numbers only (row_parser._is_own_e164).
    parser = _parser(("Phone",), phones_as_typed=as_typed)
    reference = _parser(("Phone",), phones_as_typed=as_typed)
    rows = [[number] for number in numbers]
    assert [(p.values, p.problems) for p in parser.parse_chunk(rows)] == [
        (e.values, e.problems) for e in map(reference.parse, rows)
    ]
