"""`leaddesk import` keeps every lead of vendor files (issue #11): notes in --json,
reasons per column in a dry run, a header-only file refused in one sentence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from leaddesk.storage.database import open_database, resolve_location
from leaddesk.storage.schema import import_batches, leads
from tests.cli.helpers import Run, run_in

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"


def as_json(result: Run) -> dict[str, Any]:
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def counts(home: Path) -> tuple[int, int]:
    """(leads, import batches) in the database of ``home``."""
    db = open_database(resolve_location(home))
    try:
        with db.reading() as connection:
            return (
                connection.execute(select(func.count()).select_from(leads)).scalar_one(),
                connection.execute(select(func.count()).select_from(import_batches)).scalar_one(),
            )
    finally:
        db.close()


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("salesforce_rating_tiers.csv", 5),
        ("google_contacts_labels.csv", 4),
        ("pipedrive_labels.csv", 4),
        ("outlook_title_job_title.csv", 5),
        ("honorific_title_only.csv", 4),
        ("nul_cells.csv", 33),
    ],
)
def test_every_row_of_a_vendor_file_with_its_own_columns_is_imported(
    capsys: pytest.CaptureFixture[str], home: Path, name: str, rows: int
) -> None:
    summary = as_json(run_in(capsys, home, "import", FIXTURES / name, "--json"))
    assert (summary["created"], summary["rejected"]) == (rows, 0)
    assert counts(home) == (rows, 1)


def test_json_lists_each_value_kept_in_the_notes(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    summary = as_json(
        run_in(capsys, home, "import", FIXTURES / "salesforce_rating_tiers.csv", "--json")
    )
    # Rating ('Tier 1', ...) is kept in the notes as a column: no note per row. Cy's
    # 'Recycled' status, Bo's close date 'Q3', Di's created date 'soon' are.
    assert (summary["noted"], summary["warnings"]) == (3, 0)
    assert summary["notes"] == [
        {
            "line": 3,
            "column": "CloseDate",
            "field": "expected_close_date",
            "value": "Q3",
            "reason": "'Q3' is not a date this app can read. It was kept in the notes.",
        },
        {
            "line": 4,
            "column": "Status",
            "field": "stage",
            "value": "Recycled",
            "reason": (
                "'Recycled' is not a known stage (Lead, MQL, SQL, Opportunity, Customer, "
                "Disqualified). It was kept in the notes."
            ),
        },
        {
            "line": 5,
            "column": "CreatedDate",
            "field": "created_at",
            "value": "soon",
            "reason": "'soon' is not a date this app can read. It was kept in the notes.",
        },
    ]


def test_a_dry_run_says_why_each_column_fills_what_it_fills(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    path = FIXTURES / "pipedrive_labels.csv"
    summary = as_json(run_in(capsys, home, "import", path, "--dry-run", "--json"))
    columns = {column["column"]: column for column in summary["columns"]}
    assert columns["Person - Label(s)"]["field"] == "keep_in_notes"
    assert columns["Person - Label(s)"]["reason"].startswith(
        "The header suggests Temperature, but most of its values do not read as temperatures"
    )
    text = run_in(capsys, home, "import", path, "--dry-run")
    assert text.code == 0, text.err
    assert "  Person - Label(s) → Keep in notes: The header suggests Temperature" in text.err
    assert "  Person - Email - Work → Email: Matched by its header" in text.err
    assert counts(home) == (0, 0)


def test_the_text_summary_says_how_many_rows_got_a_note(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    result = run_in(capsys, home, "import", FIXTURES / "pipedrive_labels.csv")
    assert result.code == 0, result.err
    assert result.out.startswith("Imported pipedrive_labels.csv: 4 created, 0 updated")
    assert "  2 imported with a note: values their field could not read" in result.err


@pytest.mark.parametrize("extra", [[], ["--json"], ["--dry-run"]])
def test_a_header_only_file_exits_2_in_one_sentence_and_records_no_batch(
    capsys: pytest.CaptureFixture[str], home: Path, extra: list[str]
) -> None:
    result = run_in(capsys, home, "import", FIXTURES / "header_only.csv", *extra)
    assert result.code == 2
    assert result.out == ""
    assert result.err == ("leaddesk: The file has column names but no rows of leads below them.\n")
    assert counts(home) == (0, 0)
