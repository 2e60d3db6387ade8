"""No row is lost to an optional value: what a field cannot read goes to the notes."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.core.csv_import.imported_values import merged_notes, split_section, with_section
from leaddesk.core.csv_import.mapping import KEEP_IN_NOTES, ColumnMapping, suggest_mapping
from leaddesk.core.csv_import.row_parser import CellAction, RowParser
from leaddesk.core.csv_import.values import PLACEHOLDERS
from leaddesk.core.csv_import.verdict import RowOutcome, rejection_reason, row_outcome
from leaddesk.core.fields import Temperature
from leaddesk.core.import_merge import DuplicatePolicy, merged_changes


def test_unreadable_optional_values_keep_the_row_and_their_text() -> None:
    parser = RowParser(
        suggest_mapping(["First Name", "Temperature", "Close Date", "Deal Value", "Notes"])
    )
    parsed = parser.parse(["Ana", "A-Lead", "soon", "lots", "Met at the fair"])
    assert parsed.values == {
        "first_name": "Ana",
        "notes": (
            "Met at the fair\n\nImported values:\nTemperature: A-Lead\n"
            "Close Date: soon\nDeal Value: lots"
        ),
    }
    assert [p.action for p in parsed.problems] == [CellAction.NOTED] * 3
    assert rejection_reason(parsed) is None
    assert row_outcome(parsed) is RowOutcome.NOTE


def test_a_value_kept_as_typed_is_a_warning_and_a_note_outweighs_it() -> None:
    parser = RowParser(suggest_mapping(["Email", "Temperature"]))
    warned = parser.parse(["anna at example", "Hot"])
    assert warned.values["email"] == "anna at example"
    assert row_outcome(warned) is RowOutcome.WARNING
    both = parser.parse(["anna at example", "Tier 1"])
    assert row_outcome(both) is RowOutcome.NOTE


def test_only_a_row_naming_no_one_is_rejected() -> None:
    parser = RowParser(suggest_mapping(["First Name", "Email", "Company", "Temperature"]))
    assert rejection_reason(parser.parse(["", "", "Acme", "Hot"])) == (
        "The row has no name, email or phone."
    )


def test_columns_kept_in_the_notes_go_there_in_file_order() -> None:
    mapping = ColumnMapping(
        ("Labels", "Email", "Group", "Rating"),
        (KEEP_IN_NOTES, "email", KEEP_IN_NOTES, "temperature"),
    )
    parser = RowParser(mapping)
    rows = [
        ["* myContacts ::: Friends", "a@example.com", "", "Tier 1"],
        ["", "b@example.com", "", "Hot"],
        ["VIP", "c@example.com", "Board\nmembers", "Warm"],
    ]
    parsed = [parser.parse(row) for row in rows]
    assert [p.values.get("notes") for p in parsed] == [
        "Imported values:\nLabels: * myContacts ::: Friends\nRating: Tier 1",
        None,
        "Imported values:\nLabels: VIP\nGroup: Board members",
    ]
    # A column kept by choice is not a problem of the row.
    assert [row_outcome(p) for p in parsed] == [
        RowOutcome.NOTE,
        RowOutcome.CLEAN,
        RowOutcome.CLEAN,
    ]
    assert [p.values for p in parser.parse_chunk(rows)] == [p.values for p in parsed]


def test_nul_characters_are_removed_from_every_cell_and_noted() -> None:
    mapping = ColumnMapping(
        ("First Name", "Email", "Rating", "Labels"),
        ("first_name", "email", "temperature", KEEP_IN_NOTES),
    )
    parser = RowParser(mapping)
    rows = [["Ve\x00ra", "vera@exa\x00mple.com", "Hot\x00", "V\x00IP"], ["Xena", "x@e.com", "", ""]]
    parsed = parser.parse(rows[0])
    assert parsed.values == {
        "first_name": "Vera",
        "email": "vera@example.com",
        "temperature": Temperature.HOT,
        "notes": "Imported values:\nLabels: VIP",
    }
    assert {p.header for p in parsed.problems} == {"First Name", "Email", "Rating", "Labels"}
    assert {p.action for p in parsed.problems} == {CellAction.CLEANED}
    assert row_outcome(parsed) is RowOutcome.NOTE
    chunk = parser.parse_chunk(rows)
    assert [p.values for p in chunk] == [parsed.values, parser.parse(rows[1]).values]
    assert chunk[0].problems == parsed.problems


# --- the property: garbage in optional columns never costs a row ----------------------

OPTIONAL_HEADERS = [
    "Temperature",
    "Lifecycle Stage",
    "Marketing contact status",
    "Create Date",
    "Close Date",
    "Deal Value",
    "Number of Employees",
    "Decision Maker",
    "HasOptedOutOfEmail",
    "Lead Source",
    "Preferred Channel",
    "Consent Date",
    "Won Value",
    "Won Date",
    "Labels",
]
IDENTITY_HEADERS = ["First Name", "Last Name", "Email", "Phone"]
_garbage = st.one_of(
    st.text(max_size=15),
    st.text(alphabet=string.printable + "\x00äß€", max_size=15),
    st.sampled_from(["n/a", "-", "soon", "lots", "Tier 1", "31/02/2026", "=1+1", "'@x", "\x00"]),
)
_identity = st.one_of(
    st.just(""),
    st.text(min_size=1, max_size=10),
    st.sampled_from(["n/a", "?", " ", "\x00", " n/a", "n/\x00a"]),
)


def _names_someone(identity: list[str]) -> bool:
    """A name, or an email or phone that is not a placeholder such as 'n/a'."""
    first, last, email, phone = (cell.replace("\x00", "") for cell in identity)
    return bool(first.strip() or last.strip()) or any(
        value.strip() and value not in PLACEHOLDERS for value in (email, phone)
    )


@settings(max_examples=300, deadline=None)
@given(
    optional=st.lists(st.sampled_from(OPTIONAL_HEADERS), min_size=1, max_size=8, unique=True),
    rows=st.lists(
        st.tuples(st.lists(_identity, min_size=4, max_size=4), st.lists(_garbage, max_size=8)),
        min_size=1,
        max_size=8,
    ),
)
def test_any_garbage_in_optional_columns_never_rejects_a_named_row(
    optional: list[str], rows: list[tuple[list[str], list[str]]]
) -> None:
    headers = [*IDENTITY_HEADERS, *optional]
    parser = RowParser(suggest_mapping(headers), default_region="US")
    cells = [[*identity, *garbage[: len(optional)]] for identity, garbage in rows]
    for row, parsed in zip(cells, parser.parse_chunk(cells), strict=True):
        assert (rejection_reason(parsed) is None) == _names_someone(row[:4]), row
        assert parsed == parser.parse(row)
        for value in parsed.values.values():
            assert "\x00" not in str(value)


# --- the notes of a lead updated by an import ----------------------------------------


def test_an_imported_values_section_is_split_from_the_notes() -> None:
    notes = with_section("Call back", ["Rating: Tier 1"])
    assert split_section(notes) == ("Call back", "Imported values:\nRating: Tier 1")
    assert split_section("Imported values:\nX: y") == ("", "Imported values:\nX: y")
    assert split_section("plain") == ("plain", "")


def test_an_update_keeps_the_imported_values_whatever_the_policy() -> None:
    incoming = "Imported values:\nRating: Tier 1"
    assert merged_notes("Call back", incoming, overwrite=False) == f"Call back\n\n{incoming}"
    assert merged_notes(f"Call back\n\n{incoming}", incoming, overwrite=False) == (
        f"Call back\n\n{incoming}"
    )
    assert merged_notes(None, incoming, overwrite=False) == incoming
    assert merged_notes("Old", f"New\n\n{incoming}", overwrite=True) == f"New\n\n{incoming}"
    assert merged_notes("Old", "New", overwrite=False) == "Old"
    existing = {"notes": "Call back", "temperature": "hot"}
    row = {"notes": incoming}
    assert merged_changes(existing, row, DuplicatePolicy.FILL) == {
        "notes": f"Call back\n\n{incoming}"
    }
    assert merged_changes(existing, row, DuplicatePolicy.SKIP) == {}
    assert merged_changes({"notes": "Old"}, {"notes": "New"}, DuplicatePolicy.FILL) == {}
    assert merged_changes({"notes": "Old"}, {"notes": "New"}, DuplicatePolicy.OVERWRITE) == {
        "notes": "New"
    }
