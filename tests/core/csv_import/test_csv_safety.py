"""Exported cells cannot run as formulas, and import restores them exactly."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaddesk.core.csv_import.safety import neutralise, neutralise_row, unneutralise


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\tStart", "'\tStart"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),  # already looks escaped: escaped once more
        ("O'Brien", "O'Brien"),
        ("'quoted'", "'quoted'"),
        ("Plain", "Plain"),
        ("", ""),
    ],
)
def test_formula_triggers_get_an_apostrophe(value: str, exported: str) -> None:
    assert neutralise(value) == exported
    assert unneutralise(exported) == value


@given(st.text())
def test_export_import_round_trip_is_exact(value: str) -> None:
    assert unneutralise(neutralise(value)) == value


@given(st.text())
def test_exported_cell_never_starts_with_a_trigger(value: str) -> None:
    assert neutralise(value)[:1] not in {"=", "+", "-", "@", "\t", "\r"}


@given(st.text(), st.text())
def test_different_values_export_differently(first: str, second: str) -> None:
    if first != second:
        assert neutralise(first) != neutralise(second)


@given(st.lists(st.text(st.characters(exclude_categories=("Cs",))), min_size=1, max_size=5))
def test_round_trip_through_a_csv_file_with_quotes_and_newlines(row: list[str]) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow(neutralise_row(row))
    (read,) = csv.reader(io.StringIO(buffer.getvalue(), newline=""))
    assert [unneutralise(cell) for cell in read] == row
