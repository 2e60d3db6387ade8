"""`leaddesk backups`: the backups of this database, newest first."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import isolated_cli, run


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    yield from isolated_cli(monkeypatch, tmp_path)


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
