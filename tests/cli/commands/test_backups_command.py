"""`leaddesk backups`: the backups of this database, newest first."""

from __future__ import annotations

import json

from tests.cli.helpers import run


def test_backups_lists_newest_first_and_ignores_other_files(capsys, ctx, data_dir):
    first = json.loads(run(capsys, "--data-dir", data_dir, "backup", "--json").out)["file"]
    second = json.loads(run(capsys, "--data-dir", data_dir, "backup", "--json").out)["file"]
    (data_dir / "backups" / "holiday photos.sqlite3").write_bytes(b"not ours")

    listed = json.loads(run(capsys, "--data-dir", data_dir, "backups", "--json").out)

    assert listed["folder"] == str(data_dir / "backups")
    assert [backup["file"] for backup in listed["backups"]] == [second, first]
    assert {backup["kind"] for backup in listed["backups"]} == {"manual"}
    text = run(capsys, "--data-dir", data_dir, "backups")
    assert text.code == 0
    assert text.out.count("Manual") == 2
    assert "holiday" not in text.out


def test_no_backups_yet_is_said_plainly(capsys, ctx, data_dir):
    result = run(capsys, "--data-dir", data_dir, "backups")
    assert (result.code, result.out) == (0, f"No backups in {data_dir / 'backups'} yet.\n")
