"""`leaddesk import FILE.xlsx [--sheet NAME]`: an Excel sheet imported like a CSV file.

A workbook or sheet the import cannot use is one sentence on stderr and exit
status 2, with nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import assert_one_line_error, listing, run

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "xlsx"
CONTACTS = FIXTURES / "contacts.xlsx"


def test_a_workbooks_first_sheet_or_a_chosen_one_is_imported(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    first = run(capsys, "--data-dir", data_dir, "import", CONTACTS)
    assert first.code == 0, first.err
    assert first.out.startswith("Imported contacts.xlsx: 3 created")
    chosen = run(capsys, "--data-dir", data_dir, "import", CONTACTS, "--sheet", "Customers")
    assert chosen.out.startswith("Imported contacts.xlsx: 1 created")
    names = {lead["last_name"] for lead in listing(capsys, data_dir)}
    assert names == {"Schäfer", "Gómez", "Nakamura", "Smith"}


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        ((CONTACTS, "--sheet", "Leads"), "no sheet named 'Leads'"),
        ((CONTACTS, "--sheet", "Empty"), "The sheet 'Empty' is empty."),
        ((FIXTURES / "password.xlsx",), "protected with a password"),
        ((FIXTURES / "old_excel.xls",), "old Excel workbook (.xls)"),
        ((FIXTURES / "damaged.xlsx",), "damaged"),
    ],
)
def test_an_unusable_workbook_or_sheet_is_one_sentence(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    arguments: tuple[str | Path, ...],
    words: str,
) -> None:
    result = run(capsys, "--data-dir", data_dir, "import", *arguments)
    assert words in assert_one_line_error(result, 2)
    assert listing(capsys, data_dir) == []


def test_a_sheet_for_a_csv_file_is_refused(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("Name,Email\nAna Lima,ana@example.com\n", encoding="utf-8")
    result = run(capsys, "--data-dir", data_dir, "import", path, "--sheet", "Sheet1")
    assert "not an Excel workbook" in assert_one_line_error(result, 2)
