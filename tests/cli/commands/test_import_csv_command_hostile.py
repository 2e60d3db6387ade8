"""`leaddesk import` of hostile files: one sentence on stderr, or the row rejected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaddesk.core.csv_import.bounded_lines import MAX_CELL_CHARS
from tests.cli.helpers import Run, run, run_in


def _import(capsys: pytest.CaptureFixture[str], home: Path, *argv: str | Path) -> Run:
    return run_in(capsys, home, "import", *argv)


def _listed_emails(capsys: pytest.CaptureFixture[str], home: Path) -> list[str]:
    result = run(capsys, "--data-dir", home, "list", "--json")
    return sorted(lead["email"] for lead in json.loads(result.out))


def test_a_giant_cell_is_named_in_one_line_and_nothing_is_imported(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "giant.csv"
    path.write_text(
        "Name,Email,Notes\r\nAnn,ann@example.com," + "n" * (3 * MAX_CELL_CHARS) + "\r\n",
        newline="",
    )
    result = _import(capsys, home, path)
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "leaddesk: Line 2, column Notes is 3 MB; LeadDesk takes cells up to 1 MB.\n"
    )
    assert _listed_emails(capsys, home) == []


def test_a_torn_last_row_is_counted_as_rejected(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "torn.csv"
    path.write_text("Name,Email\r\nAnn,ann@example.com\r\nBob,append35782@exa", newline="")
    errors = tmp_path / "errors.csv"

    result = _import(capsys, home, path, "--json", "--errors", errors)

    assert result.code == 0, result.err
    assert (json.loads(result.out)["created"], json.loads(result.out)["rejected"]) == (1, 1)
    assert "the file may be incomplete" in errors.read_text(encoding="utf-8-sig")
    assert _listed_emails(capsys, home) == ["ann@example.com"]


@pytest.mark.parametrize("with_mapping", [False, True], ids=["suggested", "mapping"])
def test_columns_after_64_kb_of_header_are_found(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path, with_mapping: bool
) -> None:
    headers = [f"Custom field {index}" for index in range(5000)] + ["Email", "Name"]
    path = tmp_path / "wide.csv"
    path.write_text(",".join(headers) + "\r\n" + "," * 5000 + "ann@example.com,Ann\r\n", newline="")
    mapping = ["--mapping", '{"Email": "email", "Name": "full_name"}'] if with_mapping else []

    result = _import(capsys, home, path, "--json", *mapping)

    assert result.code == 0, result.err
    assert json.loads(result.out)["created"] == 1
    assert _listed_emails(capsys, home) == ["ann@example.com"]
