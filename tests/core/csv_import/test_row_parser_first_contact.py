"""A first contact column read row by row: dates taken, future ones refused into the notes."""

from __future__ import annotations

import datetime as dt

from leaddesk.core.csv_import.cell_problems import CellAction
from leaddesk.core.csv_import.export_headers import LEADDESK_EXPORT_HEADERS
from leaddesk.core.csv_import.mapping import (
    CREATED_AT,
    FIRST_CONTACTED,
    ColumnMapping,
    suggest_mapping,
)
from leaddesk.core.csv_import.mapping_explanation import explain_mapping
from leaddesk.core.csv_import.row_parser import RowParser
from leaddesk.core.csv_import.value_dates import DateOrder
from tests.core.csv_import.csv_samples import sampled_file

NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)
HEADERS = ("Email", "Create Date", "First contacted")
MAPPING = ColumnMapping(HEADERS, ("email", CREATED_AT, FIRST_CONTACTED))


def parser(rows: list[list[str]], now: dt.datetime | None = NOW) -> RowParser:
    return RowParser.from_sample(MAPPING, rows, now=now)


def test_a_first_contact_is_read_as_a_moment_in_the_columns_date_order() -> None:
    rows = [["a@b.example", "01/11/2026", "25/10/2026 14:05"]]
    parsed = parser(rows).parse(rows[0])
    assert parsed.problems == []
    assert parsed.values[FIRST_CONTACTED] == dt.datetime(2026, 10, 25, 14, 5, tzinfo=dt.UTC)


def test_a_first_contact_before_the_created_date_is_kept_as_it_is() -> None:
    row = ["a@b.example", "2026-11-10 09:00", "2026-11-01 08:00"]
    values = parser([row]).parse(row).values
    assert values[CREATED_AT] == dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
    assert values[FIRST_CONTACTED] == dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def test_a_future_first_contact_is_refused_and_kept_in_the_notes() -> None:
    row = ["a@b.example", "2026-11-17 10:28", "2026-12-01 09:00"]
    parsed = parser([row]).parse(row)
    assert FIRST_CONTACTED not in parsed.values
    assert parsed.values[CREATED_AT] == dt.datetime(2026, 11, 17, 10, 28, tzinfo=dt.UTC)
    [problem] = parsed.problems
    assert problem.action is CellAction.NOTED
    assert problem.reason == (
        "'2026-12-01 09:00' is in the future, so it is no first contact. It was kept in the notes."
    )
    assert "First contacted: 2026-12-01 09:00" in str(parsed.values["notes"])


def test_a_first_contact_at_the_moment_of_the_import_is_no_future() -> None:
    row = ["a@b.example", "", "2026-11-17 10:30"]
    assert parser([row]).parse(row).values[FIRST_CONTACTED] == NOW


def test_without_a_time_to_compare_with_no_date_is_refused() -> None:
    row = ["a@b.example", "", "2031-01-01"]
    assert FIRST_CONTACTED in parser([row], now=None).parse(row).values


def test_an_unreadable_first_contact_keeps_the_row_and_notes_the_text() -> None:
    row = ["a@b.example", "", "last spring"]
    parsed = parser([row]).parse(row)
    assert parsed.values["email"] == "a@b.example"
    assert FIRST_CONTACTED not in parsed.values
    assert "First contacted: last spring" in str(parsed.values["notes"])


def test_a_leaddesk_export_is_restored_whatever_its_dates() -> None:
    headers = LEADDESK_EXPORT_HEADERS
    column = headers.index("First contacted")
    row = [""] * len(headers)
    row[headers.index("Email")] = "a@b.example"
    row[column] = "2027-01-01T09:00:00+00:00"
    parsed = RowParser.from_sample(suggest_mapping(headers), [row], now=NOW).parse(row)
    assert parsed.values[FIRST_CONTACTED] == dt.datetime(2027, 1, 1, 9, 0, tzinfo=dt.UTC)


def test_the_chunk_parser_gives_what_the_row_parser_gives() -> None:
    headers, samples = sampled_file("first_contact/hubspot_engagement.csv")
    mapping = suggest_mapping(headers, samples)
    rows = [list(cells) for cells in zip(*samples, strict=True)]
    row_parser = RowParser.from_sample(mapping, rows, now=NOW)
    assert row_parser.parse_chunk(rows) == [row_parser.parse(row) for row in rows]
    assert sum(FIRST_CONTACTED in parsed.values for parsed in row_parser.parse_chunk(rows)) == 2


def test_a_column_of_non_dates_is_not_mapped_and_the_page_says_why() -> None:
    headers, samples = sampled_file("first_contact/contacted_yes_no.csv")
    mapping = suggest_mapping(headers, samples)
    assert mapping.targets[2] == "keep_in_notes"
    reason = explain_mapping(mapping, samples)[2]
    assert reason.values_disagree
    assert reason.hint == "Values are not dates"
    assert reason.text == (
        "The header suggests First contacted, but its values do not read as dates "
        "(3 of 3 sampled), e.g. 'yes', 'no'. Its text is kept in each lead's notes."
    )


def test_a_last_contact_column_says_what_its_dates_do() -> None:
    headers, samples = sampled_file("first_contact/hubspot_engagement.csv")
    mapping = suggest_mapping(headers, samples)
    reason = explain_mapping(mapping, samples)[headers.index("Last Contacted")]
    assert reason.text == (
        "A last contact is no first contact, but a date here means the lead was already "
        "worked: it gets no speed-to-lead countdown. Its text is kept in each lead's notes."
    )


def test_the_date_order_of_a_first_contact_column_is_learned_from_its_sample() -> None:
    rows = [["a@b.example", "", "03/04/2026"], ["c@d.example", "", "12/25/2026"]]
    row_parser = RowParser.from_sample(MAPPING, rows)
    assert row_parser.date_orders[2] is DateOrder.MONTH_FIRST
    assert row_parser.parse(rows[0]).values[FIRST_CONTACTED] == dt.datetime(
        2026, 3, 4, tzinfo=dt.UTC
    )
