"""A broken record: a CSV record with more filled cells than the header has."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from leaddesk.core.csv_import.verdict import broken_record_reason, without_broken_records


def test_a_filled_cell_beyond_the_header_names_the_line_and_both_counts() -> None:
    reason = broken_record_reason(12, ["a"] * 12 + ["x", ""], 12)
    assert reason is not None
    assert reason.startswith("Line 12 has 13 cells, the header has 12")


cells = st.lists(st.text(max_size=5), max_size=8)


@given(cells, st.integers(min_value=0, max_value=6), st.sampled_from(["", " ", "\t"]))
def test_trailing_empty_cells_never_break_a_record(row: list[str], extra: int, blank: str) -> None:
    width = len(row)
    assert broken_record_reason(3, [*row, *[blank] * extra], width) is None


@given(cells, st.integers(min_value=0, max_value=4), st.text(min_size=1).filter(str.strip))
def test_any_filled_cell_beyond_the_header_breaks_it(row: list[str], gap: int, text: str) -> None:
    assert broken_record_reason(3, [*row, *[""] * gap, text], len(row)) is not None


def test_a_chunk_keeps_its_whole_records_in_order() -> None:
    records = [(2, ["a", "b"]), (3, ["a", "b", "c"]), (4, ["a", "b", "", ""]), (5, ["a"])]

    kept, broken = without_broken_records(records, 2)

    assert kept == [(2, ["a", "b"]), (4, ["a", "b", "", ""]), (5, ["a"])]
    assert [(line, reason.split(":")[0]) for line, _cells, reason in broken] == [
        (3, "Line 3 has 3 cells, the header has 2")
    ]
