"""Reading a sheet of an Excel workbook as the import reads a CSV file: header, then text rows.

The fixtures are written by tests/fixtures/xlsx/make_fixtures.py (XlsxWriter).
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import zoneinfo
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaddesk.core.csv_import.file_errors import UnusableFileError
from leaddesk.core.csv_import.source import iter_source_records, sniff_source
from leaddesk.core.csv_import.xlsx_reader import (
    DAMAGED_MESSAGE,
    OLD_EXCEL_MESSAGE,
    PASSWORD_MESSAGE,
    SheetFormat,
    cell_text,
    iter_sheet_records,
    sniff_workbook,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "xlsx"
CONTACTS = FIXTURES / "contacts.xlsx"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def records(path: Path, fmt: SheetFormat) -> list[tuple[int, list[str]]]:
    return list(iter_sheet_records(path, fmt, zone=BERLIN))


def test_the_first_sheet_is_read_by_default_below_its_title() -> None:
    fmt = sniff_workbook(CONTACTS, zone=BERLIN)
    assert fmt.sheet == "Contacts"
    assert fmt.sheets == ("Contacts", "Customers", "Empty")
    # Row 1 holds a title, row 2 is blank: the table's header is on row 3.
    assert fmt.header_line_number == 3
    assert fmt.headers[:3] == ("First Name", "Last Name", "E-mail")
    assert fmt.headers[-1] == "Notes"
    assert fmt.row_count == 3


def test_rows_carry_their_excel_row_numbers_and_nothing_of_the_empty_cells_beyond() -> None:
    rows = records(CONTACTS, sniff_workbook(CONTACTS))
    assert [number for number, _cells in rows] == [4, 5, 6]
    # Formatted empty cells far below and to the right are no rows or columns.
    assert {len(cells) for _number, cells in rows} == {11}


def test_typed_cells_become_the_text_the_csv_import_reads_unambiguously() -> None:
    fmt = sniff_workbook(CONTACTS)
    anna, _jose, keiko = (
        dict(zip(fmt.headers, cells, strict=True)) for _n, cells in records(CONTACTS, fmt)
    )
    # Numbers typed for phone numbers and postcodes: no "4930123456.0".
    assert (anna["Phone"], anna["Zip"], anna["Employees"]) == ("301234567", "1234", "12")
    assert keiko["Zip"] == "1000001"
    # A date shown as 03/04/2026 in the sheet is 3 April, whatever a column's order.
    assert anna["Expected close date"] == "2026-04-03"
    # A date-time is the local time it was typed, with that zone's offset.
    assert anna["Created"] == "2026-03-01 09:30:00+01:00"
    assert anna["Deal value"] == "1234.5"


def test_formulas_are_read_as_their_cached_values_and_formula_like_text_as_text() -> None:
    fmt = sniff_workbook(CONTACTS)
    anna, jose, keiko = (
        dict(zip(fmt.headers, cells, strict=True)) for _n, cells in records(CONTACTS, fmt)
    )
    assert anna["Notes"] == "=1+1"  # typed text, never computed
    assert jose["Deal value"] == "2469"  # =G4*2, as Excel cached it
    assert jose["Notes"] == "Met at booth 7"  # =CONCATENATE(...)
    assert keiko["Deal value"] == "100.25"  # a formula whose value is text
    assert keiko["Notes"] == "@home +fast"


def test_another_sheet_can_be_chosen() -> None:
    fmt = sniff_workbook(CONTACTS, sheet="Customers")
    assert (fmt.sheet, fmt.header_line_number, fmt.headers) == (
        "Customers",
        1,
        ("Name", "Email", "Customer since"),
    )
    assert records(CONTACTS, fmt) == [(2, ["Liam Smith", "liam@blue-sky.example", "2024-12-31"])]


def test_a_header_row_chosen_by_the_user_is_taken() -> None:
    fmt = sniff_workbook(CONTACTS, header_line_number=4)
    assert fmt.headers[:2] == ("Anna", "Schäfer")
    assert [number for number, _cells in records(CONTACTS, fmt)] == [5, 6]


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        ("Empty", "The sheet 'Empty' is empty."),
        (
            "Leads",
            "The workbook has no sheet named 'Leads'; its sheets are "
            "'Contacts', 'Customers', 'Empty'.",
        ),
    ],
)
def test_an_empty_or_unknown_sheet_is_refused_in_one_sentence(sheet: str, message: str) -> None:
    with pytest.raises(UnusableFileError) as error:
        sniff_workbook(CONTACTS, sheet=sheet)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("damaged.xlsx", DAMAGED_MESSAGE),
        ("password.xlsx", PASSWORD_MESSAGE),
        ("old_excel.xls", OLD_EXCEL_MESSAGE),
    ],
)
def test_unreadable_workbooks_are_refused_in_one_sentence(name: str, message: str) -> None:
    with pytest.raises(UnusableFileError) as error:
        sniff_source(FIXTURES / name)
    assert str(error.value) == message


def test_a_workbook_is_known_by_its_content_not_its_name(tmp_path: Path) -> None:
    renamed = tmp_path / "contacts.csv"
    shutil.copy(CONTACTS, renamed)
    fmt = sniff_source(renamed)
    assert isinstance(fmt, SheetFormat)
    assert fmt.header_line_number == 3


def test_a_sheet_named_for_a_csv_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("Name,Email\nAna,ana@example.com\n", encoding="utf-8")
    assert list(iter_source_records(path, sniff_source(path))) == [(2, ["Ana", "ana@example.com"])]
    with pytest.raises(UnusableFileError, match="not an Excel workbook"):
        sniff_source(path, sheet="Sheet1")


def test_a_header_only_sheet_has_no_rows() -> None:
    path = FIXTURES / "header_only.xlsx"
    fmt = sniff_workbook(path)
    assert (fmt.headers, fmt.row_count) == (("First Name", "Email"), 0)
    assert records(path, fmt) == []


def test_a_workbook_saved_again_after_detection_is_read_anew(tmp_path: Path) -> None:
    path = tmp_path / "leads.xlsx"
    shutil.copy(CONTACTS, path)
    fmt = sniff_workbook(path)
    shutil.copy(FIXTURES / "header_only.xlsx", path)  # saved again, other content
    with pytest.raises(UnusableFileError):
        # Its only sheet is "Leads" now; the memo of the old sheet is not used.
        records(path, fmt)


# --- one cell ------------------------------------------------------------------------


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_a_whole_number_prints_without_a_decimal_point(number: int) -> None:
    assert cell_text(float(number), dt.UTC) == str(number)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_prints_in_full_and_reads_back_the_same(number: float) -> None:
    text = cell_text(number, dt.UTC)
    assert "e" not in text.lower()
    assert float(text) == number
    if not number.is_integer():
        assert text == text.rstrip("0")  # no trailing zeros: as short as it can be


def test_other_cells() -> None:
    assert cell_text(True, dt.UTC) == "TRUE"
    assert cell_text(False, dt.UTC) == "FALSE"
    assert cell_text(math.nan, dt.UTC) == ""
    assert cell_text(dt.time(9, 30), dt.UTC) == "09:30:00"
    assert cell_text(dt.datetime(2026, 7, 1, 9, 30), BERLIN) == "2026-07-01 09:30:00+02:00"
