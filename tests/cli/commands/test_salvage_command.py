"""`leaddesk salvage OUT.csv`: every lead that can still be read, from a damaged database."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from leaddesk.core.fields import LEAD_FIELDS
from tests.cli.helpers import assert_one_line_error, run
from tests.fixtures.damaged_database import damage_a_page, leaddesk_database

LEADS = 1200


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_salvage_saves_all_but_the_damaged_pages_leads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = leaddesk_database(tmp_path / "data", leads=LEADS)
    damage_a_page(database)
    before = hashlib.sha256(database.read_bytes()).digest()
    output = tmp_path / "saved.csv"

    # The ordinary commands cannot read all of it.
    listing = run(capsys, "--data-dir", database.parent, "list")
    assert "is damaged" in assert_one_line_error(listing, 2)

    result = run(capsys, "--data-dir", database.parent, "salvage", output)
    assert result.code == 0, result.err
    rows = read_rows(output)
    # One page of leads lost, no more: a leaf holds a few dozen of these leads.
    assert LEADS - 60 < len(rows) < LEADS
    assert result.out == f"Saved {len(rows)} leads to {output}.\n"
    assert "could not be read and were skipped" in result.err
    assert list(rows[0]) == [field.label for field in LEAD_FIELDS]
    names = [row["First name"] for row in rows]
    assert names[0] == "Lead1"
    assert names[-1] == f"Lead{LEADS}"
    assert len(set(names)) == len(names)
    assert hashlib.sha256(database.read_bytes()).digest() == before
    assert [path.name for path in tmp_path.iterdir() if path.suffix == ".part"] == []


def test_salvage_of_a_whole_database_saves_every_lead(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = leaddesk_database(tmp_path / "data", leads=30)
    output = tmp_path / "saved.csv"
    result = run(capsys, "--data-dir", database.parent, "salvage", output)
    assert (result.code, result.err) == (0, "")
    assert len(read_rows(output)) == 30


def test_salvage_without_a_database_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    result = run(capsys, "--data-dir", tmp_path / "none", "salvage", tmp_path / "out.csv")
    assert "There is no database" in assert_one_line_error(result, 2)
    assert not (tmp_path / "out.csv").exists()
