"""`leaddesk export`: what a script sees, and the file's flavour by --format."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import add_demo, assert_one_line_error, run


def test_export_says_how_many_leads_went_where(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    add_demo(capsys, data_dir, 3)
    output = tmp_path / "leads.csv"

    result = run(capsys, "--data-dir", data_dir, "export", output)

    assert (result.code, result.out, result.err) == (0, f"Exported 3 leads to {output}.\n", "")
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # excel-utf8: a byte-order mark
    assert len(data.decode("utf-8-sig").splitlines()) == 4


def test_export_format_chooses_the_flavour(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    add_demo(capsys, data_dir, 1)
    plain, europe = tmp_path / "plain.csv", tmp_path / "europe.csv"

    assert run(capsys, "--data-dir", data_dir, "export", plain, "--format", "utf8").code == 0
    assert run(
        capsys, "--data-dir", data_dir, "export", europe, "--format", "excel-europe"
    ).out == (f"Exported 1 lead to {europe}.\n")

    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    header = europe.read_text(encoding="utf-8-sig").splitlines()[0]
    assert ";" in header
    assert "," not in header


def test_an_unknown_format_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "leads.csv"
    result = run(capsys, "--data-dir", data_dir, "export", output, "--format", "xlsx")
    line = assert_one_line_error(result, 2)
    assert "invalid choice: 'xlsx' (choose from 'excel-utf8', 'utf8', 'excel-europe')" in line
    assert not output.exists()
