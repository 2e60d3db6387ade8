"""Broken records are rejected with a reason naming their line; the others import."""

from __future__ import annotations

import csv

from leaddesk.operations.context import OperationContext
from tests.operations.importing.import_helpers import FIXTURES, lead_rows, run_import

BROKEN = FIXTURES / "broken" / "broken_records.csv"


def test_a_record_with_more_cells_than_the_header_is_rejected_and_reported(
    ctx: OperationContext, tmp_path
) -> None:
    result = run_import(ctx, BROKEN)

    assert (result.created, result.rejected) == (3, 1)
    assert sorted(row["first_name"] for row in lead_rows(ctx)) == ["Anna", "Cleo", "Dana"]
    [rejected] = result.rejected_sample
    assert rejected.line_number == 3
    assert rejected.reason.startswith("Line 3 has 6 cells, the header has 4: a broken record")
    report = tmp_path / "errors.csv"
    result.write_error_report(report)
    with report.open(encoding="utf-8-sig", newline="") as stream:
        text = stream.read()
    assert "Line 3 has 6 cells" in text
    # Every cell as read, then the line and the reason: nothing of the row is lost.
    assert list(csv.reader(text.splitlines()))[1][:6] == [
        "Bo",
        "Lind",
        "bo@acme.example",
        "Acme",
        " Inc.",
        "call back",
    ]
