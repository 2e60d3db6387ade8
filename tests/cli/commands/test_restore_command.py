"""`leaddesk restore FILE|latest`: the backup replaces the database, which is kept first."""

from __future__ import annotations

import json
import sqlite3

from leaddesk.operations.leads import create_lead
from tests.cli.helpers import assert_one_line_error, listing, run


def test_restore_latest_takes_back_what_was_added_since(capsys, ctx, db, data_dir):
    create_lead(ctx, {"first_name": "Anna"})
    assert run(capsys, "--data-dir", data_dir, "backup").code == 0
    create_lead(ctx, {"first_name": "Bruno"})
    db.close()  # the test's own connection: the window would close its engine too

    result = run(capsys, "--data-dir", data_dir, "restore", "latest")

    assert (result.code, result.err) == (0, ""), result.err
    assert [lead["first_name"] for lead in listing(capsys, data_dir)] == ["Anna"]
    backups = json.loads(run(capsys, "--data-dir", data_dir, "backups", "--json").out)
    pre_restore = [b["file"] for b in backups["backups"] if b["kind"] == "pre-restore"]
    assert len(pre_restore) == 1
    assert f"The database it replaced is kept in {pre_restore[0]}." in result.out
    with sqlite3.connect(pre_restore[0]) as copy:
        kept = sorted(row[0] for row in copy.execute("SELECT first_name FROM leads"))
    copy.close()
    assert kept == ["Anna", "Bruno"]


def test_restoring_a_file_that_is_no_backup_changes_nothing(capsys, ctx, db, data_dir, tmp_path):
    create_lead(ctx, {"first_name": "Anna"})
    db.close()
    database = data_dir / "leaddesk.sqlite3"
    before = database.read_bytes()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 300)

    result = run(capsys, "--data-dir", data_dir, "restore", notes)

    line = assert_one_line_error(result, 2)
    assert line == "leaddesk: notes.txt is not a LeadDesk database, or it is damaged."
    assert database.read_bytes() == before
    missing = run(capsys, "--data-dir", data_dir, "restore", tmp_path / "gone.sqlite3")
    assert "There is no backup file at" in assert_one_line_error(missing, 2)
    latest = run(capsys, "--data-dir", data_dir, "restore", "latest")
    assert "There is no backup in" in assert_one_line_error(latest, 2)
