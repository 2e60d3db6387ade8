"""Hostile shapes of a CSV file: giant cells, endless headers, torn and open last records."""

from __future__ import annotations

import csv
import io
import tracemalloc
from pathlib import Path

import pytest

from leaddesk.core.csv_import.bounded_lines import MAX_CELL_CHARS, CellTooLargeError
from leaddesk.core.csv_import.file_errors import UnusableFileError
from leaddesk.core.csv_import.mapping import suggest_mapping
from leaddesk.core.csv_import.reader import CsvFormat, iter_records, sniff

HEADER = "Name,Email,Notes\r\n"


def _records(path: Path) -> list[tuple[int, list[str]]]:
    return list(iter_records(path, sniff(path)))


@pytest.mark.parametrize("quote", ["", '"'], ids=["plain", "quoted"])
def test_a_giant_cell_is_refused_by_name_without_being_held(tmp_path: Path, quote: str) -> None:
    path = tmp_path / "giant.csv"
    with path.open("w", newline="") as stream:
        stream.write(HEADER + "Ann,ann@example.com," + quote)
        for _ in range(50):
            stream.write("y" * (1024 * 1024))
        stream.write(quote + "\r\nBob,bob@example.com,hi\r\n")

    tracemalloc.start()
    try:
        with pytest.raises(CellTooLargeError) as refused:
            _records(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert str(refused.value) == ("Line 2, column Notes is 50 MB; LeadDesk takes cells up to 1 MB.")
    assert peak < 3 * MAX_CELL_CHARS, f"peak {peak / 2**20:.1f} MB"


def test_a_giant_cell_over_many_lines_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    with path.open("w", newline="") as stream:
        stream.write(HEADER + 'Ann,ann@example.com,"')
        stream.writelines("a line of a very long note\r\n" for _ in range(100_000))
        stream.write('"\r\n')

    with pytest.raises(CellTooLargeError, match=r"^Line 2, column Notes is 2\.\d MB;"):
        _records(path)


def test_a_giant_cell_far_down_a_file_names_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    rows = "".join(f"P{i},p{i}@example.com,\r\n" for i in range(5000))
    path.write_text(HEADER + rows + "Zed," + "z" * (3 * MAX_CELL_CHARS) + ",x\r\n", newline="")

    with pytest.raises(CellTooLargeError, match=r"^Line 5002, column Email is 3 MB;"):
        _records(path)


def test_a_cell_of_exactly_the_limit_is_read_and_one_more_character_is_not(
    tmp_path: Path,
) -> None:
    path = tmp_path / "edge.csv"
    path.write_text(HEADER + "Ann,a@example.com," + "n" * MAX_CELL_CHARS + "\r\n", newline="")
    assert [len(cell) for _line, cells in _records(path) for cell in cells] == [
        3,
        13,
        MAX_CELL_CHARS,
    ]
    path.write_text(HEADER + "Ann,a@example.com," + "n" * (MAX_CELL_CHARS + 1) + "\r\n")
    with pytest.raises(CellTooLargeError, match=r"column Notes is 1\.0 MB"):
        _records(path)


def test_a_long_line_of_cells_under_the_limit_is_read_whole(tmp_path: Path) -> None:
    # Longer than the pieces lines are read in, after a record whose quoted cell
    # spans lines (so the cells are measured from the middle of a record).
    rows = [
        ["Name", "Email", "Notes", "A", "B", "C"],
        ["Ann", "ann@example.com", 'two\r\n"lines"', "a" * 900_000, "b, " * 300_000, "c"],
        ["Bob", "bob@example.com", "x" * 1000, "y" * 1000, "", "z"],
    ]
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "long.csv"
    path.write_text(buffer.getvalue(), newline="")

    assert [cells for _line, cells in _records(path)] == rows[1:]


def test_a_header_longer_than_the_sample_is_read_whole(tmp_path: Path) -> None:
    headers = [f"Custom field {index}" for index in range(5000)] + ["Email", "Name"]
    row = [""] * 5000 + ["ann@example.com", "Ann"]
    path = tmp_path / "wide.csv"
    path.write_text(",".join(headers) + "\r\n" + ",".join(row) + "\r\n", newline="")

    fmt = sniff(path)

    assert len(",".join(headers)) > 64 * 1024
    assert fmt.headers == tuple(headers)
    assert {"email", "full_name"} <= suggest_mapping(fmt.headers).mapped_targets
    assert [cells[-2:] for _line, cells in iter_records(path, fmt)] == [["ann@example.com", "Ann"]]


def test_a_last_line_without_its_line_end_goes_to_on_torn(tmp_path: Path) -> None:
    path = tmp_path / "torn.csv"
    path.write_text(HEADER + "Ann,ann@example.com,\r\nBob,append35782@exa", newline="")
    fmt = sniff(path)
    torn: list[tuple[int, list[str]]] = []

    kept = list(iter_records(path, fmt, lambda line, cells: torn.append((line, cells))))

    assert kept == [(2, ["Ann", "ann@example.com", ""])]
    assert torn == [(3, ["Bob", "append35782@exa"])]
    # Without on_torn (a preview, say) the record is read as before.
    assert [line for line, _cells in iter_records(path, fmt)] == [2, 3]


def test_a_file_ending_with_its_line_end_has_nothing_torn(tmp_path: Path) -> None:
    path = tmp_path / "whole.csv"
    path.write_text(HEADER + "Ann,ann@example.com,\r\n\r\n", newline="")
    torn: list[object] = []
    assert len(list(iter_records(path, sniff(path), lambda *row: torn.append(row)))) == 1
    assert torn == []


def test_a_quote_open_at_the_end_of_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "open.csv"
    path.write_text(
        HEADER + 'Ann,ann@example.com,""\r\nBob,bob@example.com,"never closed\r\nCy,c@x.com,\r\n',
        newline="",
    )
    fmt = CsvFormat("utf-8", ",", 1, ("Name", "Email", "Notes"))
    with pytest.raises(UnusableFileError, match=r"line 3 could not be read.*never closed"):
        list(iter_records(path, fmt))


def test_an_encoding_the_file_is_not_in_is_refused_in_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "ascii.csv"
    path.write_bytes(b"Name,Email\r\nAnn,ann@example.com\r\n")
    with pytest.raises(UnusableFileError, match="not written in the 'utf-16' text encoding"):
        sniff(path, encoding="utf-16")
    fmt = CsvFormat("utf-16", ",", 1, ("Name", "Email"))
    with pytest.raises(UnusableFileError, match="not written in the 'utf-16' text encoding"):
        list(iter_records(path, fmt))
