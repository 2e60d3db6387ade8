"""Which database a command opens: --data-dir, --database-url, the environment.

The location options are accepted before and after the command; a folder that
is a file, or a file that is not a database, is a user mistake that changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import leaddesk
from leaddesk.storage.migrate import HEAD_REVISION
from tests.cli.helpers import assert_one_line_error, info, run

INFO_KEYS = {"version", "database", "schema_revision", "leads"}


@pytest.mark.parametrize("where", ["before the command", "after the command", "environment"])
def test_info_on_a_fresh_data_dir(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fresh_dir: Path,
    tmp_path: Path,
    where: str,
) -> None:
    if where == "before the command":
        argv = ["--data-dir", str(fresh_dir), "info", "--json"]
    elif where == "after the command":
        argv = ["info", "--json", "--data-dir", str(fresh_dir)]
    else:
        monkeypatch.setenv("LEADDESK_DATA_DIR", str(fresh_dir))
        argv = ["info", "--json"]

    result = run(capsys, *argv)

    assert (result.code, result.err) == (0, "")
    assert result.out.count("\n") == 1, "one JSON document on one line"
    data = json.loads(result.out)
    assert set(data) == INFO_KEYS
    assert data["version"] == leaddesk.__version__
    assert data["leads"] == 0
    assert data["schema_revision"] == HEAD_REVISION
    database = Path(data["database"])
    assert database.parent == fresh_dir.resolve()
    assert database.is_file()
    assert not (tmp_path / "xdg-data").exists(), "the default data folder was touched"


def test_info_with_database_url(
    capsys: pytest.CaptureFixture[str], fresh_dir: Path, tmp_path: Path
) -> None:
    database = tmp_path / "elsewhere" / "crm.db"

    data = info(capsys, "--data-dir", fresh_dir, "--database-url", f"sqlite:///{database}")

    assert set(data) == INFO_KEYS
    assert Path(data["database"]) == database
    assert database.is_file()
    assert (data["leads"], data["schema_revision"]) == (0, HEAD_REVISION)
    assert not (fresh_dir / "leaddesk.sqlite3").exists()


def test_location_precedence(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_dir, option_dir = tmp_path / "from env", tmp_path / "from option"
    env_url_db, option_url_db = tmp_path / "env-url.db", tmp_path / "option-url.db"
    monkeypatch.setenv("LEADDESK_DATA_DIR", str(env_dir))
    assert Path(info(capsys)["database"]).parent == env_dir.resolve()
    assert Path(info(capsys, "--data-dir", option_dir)["database"]).parent == option_dir.resolve()

    monkeypatch.setenv("LEADDESK_DATABASE_URL", f"sqlite:///{env_url_db}")
    assert Path(info(capsys)["database"]) == env_url_db
    # --data-dir means "the database in that folder", even over a URL from the environment.
    assert Path(info(capsys, "--data-dir", option_dir)["database"]).parent == option_dir.resolve()
    url_option = ["--database-url", f"sqlite:///{option_url_db}"]
    assert Path(info(capsys, *url_option)["database"]) == option_url_db


def test_data_dir_that_is_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("hello", encoding="utf-8")
    line = assert_one_line_error(run(capsys, "--data-dir", not_a_folder, "info"), 2)
    assert str(not_a_folder) in line
    assert not_a_folder.read_text(encoding="utf-8") == "hello"


def test_a_file_that_is_not_a_database_is_left_alone(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    database = data_dir / "leaddesk.sqlite3"
    database.write_bytes(b"my shopping list, not a database\n" * 50)

    for argv in (["info", "--json"], ["demo", "--count", "5"], ["list", "--json"]):
        result = run(capsys, "--data-dir", data_dir, *argv)
        assert "database" in assert_one_line_error(result, 2)
        assert result.out == ""

    assert database.read_bytes() == b"my shopping list, not a database\n" * 50
