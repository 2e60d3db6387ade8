"""`leaddesk export FILE.xlsx`: the file name picks an Excel workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from tests.cli.helpers import add_demo, assert_one_line_error, listing, run


def test_a_name_ending_in_xlsx_exports_a_workbook(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    add_demo(capsys, data_dir, 3)
    output = tmp_path / "Leads.XLSX"
    result = run(capsys, "--data-dir", data_dir, "export", output, "--temperature", "hot")
    assert result.code == 0, result.err
    assert result.out.startswith("Exported ")
    rows = list(CalamineWorkbook.from_path(str(output)).get_sheet_by_index(0).iter_rows())
    hot = len(listing(capsys, data_dir, "--temperature", "hot"))
    assert len(rows) == 1 + hot
    assert {row[rows[0].index("Temperature")] for row in rows[1:]} <= {"Hot"}


def test_a_csv_format_for_a_workbook_is_refused(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "leads.xlsx"
    result = run(capsys, "--data-dir", data_dir, "export", output, "--format", "utf8")
    assert "an .xlsx workbook has no such choice" in assert_one_line_error(result, 2)
    assert not output.exists()
