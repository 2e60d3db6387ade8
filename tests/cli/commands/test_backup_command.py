"""`leaddesk backup [FILE]`: a verified copy, into the backup folder or a named file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from leaddesk.operations.settings import update_settings
from tests.cli.helpers import add_demo, assert_one_line_error, run


def _count(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM leads").fetchone()[0])
    finally:
        connection.close()


def test_backup_goes_into_the_data_folders_backups(capsys, tmp_path):
    data = tmp_path / "data"
    add_demo(capsys, data, 5)

    result = run(capsys, "--data-dir", data, "backup", "--json")

    assert (result.code, result.err) == (0, "")
    made = Path(json.loads(result.out)["file"])
    assert made.parent == data / "backups"
    assert made.name.endswith("-manual.sqlite3")
    assert _count(made) == 5


def test_backup_to_a_named_file_and_to_the_folder_from_the_settings(capsys, ctx, data_dir):
    named = data_dir.parent / "mine.sqlite3"
    result = run(capsys, "--data-dir", data_dir, "backup", named)
    assert result.code == 0, result.err
    assert result.out.startswith(f"Backed up to {named} (")
    assert _count(named) == 0

    elsewhere = data_dir.parent / "usb stick"
    update_settings(ctx, {"backup_folder": str(elsewhere)})
    moved = run(capsys, "--data-dir", data_dir, "backup", "--json")
    assert Path(json.loads(moved.out)["file"]).parent == elsewhere


def test_backup_into_a_folder_that_is_not_there_is_one_sentence(capsys, ctx, data_dir, tmp_path):
    result = run(capsys, "--data-dir", data_dir, "backup", tmp_path / "nowhere" / "copy.sqlite3")
    line = assert_one_line_error(result, 2)
    assert line == f"leaddesk: The folder {tmp_path / 'nowhere'} does not exist."


def test_team_mode_says_backups_are_the_servers_job(capsys, tmp_path):
    url = "postgresql://sales@db.example/leads"
    for command in (["backup"], ["backups"], ["restore", "latest"]):
        result = run(capsys, "--database-url", url, *command)
        line = assert_one_line_error(result, 2)
        assert "team mode" in line
        assert "server's job" in line
