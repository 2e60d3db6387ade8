"""A fixture CSV's headers and the first values of each column, as the mapping samples them."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from leaddesk.core.csv_import.column_values import sample_columns
from leaddesk.core.csv_import.reader import iter_records, sniff

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"


def sampled_file(name: str) -> tuple[tuple[str, ...], list[list[str]]]:
    """``tests/fixtures/csv/<name>``'s headers and its columns' first 200 values."""
    path = FIXTURES / name
    fmt = sniff(path)
    rows = [cells for _line, cells in islice(iter_records(path, fmt), 200)]
    return fmt.headers, sample_columns(rows, len(fmt.headers))
