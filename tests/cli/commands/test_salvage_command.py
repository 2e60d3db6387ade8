"""`leaddesk salvage OUT.csv`: every lead that can still be read, from a damaged database."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from leaddesk.core.fields import LEAD_FIELDS
from tests.cli.helpers import assert_one_line_error, run
from tests.fixtures.damaged_database import add_history, damage_a_page, leaddesk_database

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
    assert result.out.startswith(f"Saved {len(rows):,} leads to {output}, and all that ")
    assert result.out.count("\n") == 1
    assert "could not be read and were skipped" in result.err
    assert list(rows[0]) == [field.label for field in LEAD_FIELDS]
    names = [row["First name"] for row in rows]
    assert names[0] == "Lead1"
    assert names[-1] == f"Lead{LEADS}"
    assert len(set(names)) == len(names)
    assert hashlib.sha256(database.read_bytes()).digest() == before
    assert [path.name for path in tmp_path.iterdir() if ".part" in path.name] == []


def _count(connection: sqlite3.Connection, sql: str) -> int:
    return int(connection.execute(sql).fetchone()[0])


def test_salvage_saves_every_table_to_a_database_that_restore_accepts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = leaddesk_database(tmp_path / "data", leads=LEADS)
    before = add_history(database)
    damage_a_page(database)
    output = tmp_path / "saved.csv"

    result = run(capsys, "--data-dir", database.parent, "salvage", output)

    assert result.code == 0, result.err
    salvaged = tmp_path / "saved.sqlite3"
    with sqlite3.connect(salvaged) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
        leads = _count(copy, "SELECT count(*) FROM leads")
        trashed = _count(copy, "SELECT count(*) FROM leads WHERE deleted_at IS NOT NULL")
        activities = _count(copy, "SELECT count(*) FROM activities")
        follow_ups = _count(copy, "SELECT count(*) FROM follow_ups")
        stages = _count(copy, "SELECT count(*) FROM stage_history")
        owners = _count(copy, "SELECT count(*) FROM owners")
        # What a user would miss besides the leads: each lead's history came along.
        assert _count(copy, "SELECT count(*) FROM activities WHERE lead_id = 7") == 2
        assert copy.execute("SELECT note FROM follow_ups WHERE lead_id = 7").fetchall() == [
            ("Call lead 7 back",)
        ]
    copy.close()
    # One page of leads lost (their history with them), every other row kept.
    assert before["leads"] - 60 < leads < before["leads"]
    assert (activities, follow_ups, stages) == (2 * leads, leads, leads)
    assert owners == before["owners"]
    assert 20 <= trashed <= 24  # every 50th lead, in the trash as before
    csv_rows = read_rows(output)
    assert len(csv_rows) == leads - trashed  # the CSV: leads outside the trash
    # The counts per table, in the one line.
    assert f"({leads:,} leads, {trashed} of them in the trash; {activities:,} activities; " in (
        result.out
    )
    assert f"{follow_ups:,} follow-ups; {stages:,} stage changes" in result.out
    assert f"'leaddesk restore {salvaged}'" in result.out
    # The rows lost with the damaged page: its leads, and their history.
    assert result.err.startswith("leaddesk: ")
    assert result.err.count("\n") == 1
    assert "leads could not be read and were skipped" in result.err
    assert f"{4 * (before['leads'] - leads):,} rows belonging to those leads" in result.err

    restored = run(capsys, "--data-dir", database.parent, "restore", salvaged)
    assert restored.code == 0, restored.err
    listing = run(capsys, "--data-dir", database.parent, "list", "--json")
    assert listing.code == 0, listing.err
    assert len(json.loads(listing.out)) == leads - trashed
    # The search index was made again from the copied leads.
    found = run(capsys, "--data-dir", database.parent, "list", "--json", "--search", "Lead1199")
    assert [lead["email"] for lead in json.loads(found.out)] == ["lead1199@example.com"]


def test_salvage_refuses_a_database_name_for_the_csv_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = leaddesk_database(tmp_path / "data", leads=3)
    result = run(capsys, "--data-dir", database.parent, "salvage", tmp_path / "out.sqlite3")
    assert "Name the CSV file to write" in assert_one_line_error(result, 2)
    assert list(tmp_path.glob("out*")) == []


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
