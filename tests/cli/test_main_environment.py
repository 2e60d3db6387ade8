"""What the machine does to a command: a damaged, foreign or read-only database, a full disk.

Each ends in one sentence on stderr (exit 2) and never a traceback; reading
goes on where it can.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from leaddesk.operations import activities
from leaddesk.operations.context import OperationContext
from leaddesk.storage import health
from tests.cli.helpers import add_demo, assert_one_line_error, run
from tests.fixtures.damaged_database import damage_a_page, leaddesk_database


def digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def test_a_damaged_database_reads_with_a_warning_and_refuses_writes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = leaddesk_database(tmp_path / "data")
    damage_a_page(database)
    before = digest(database)

    info = run(capsys, "--data-dir", database.parent, "info")
    assert info.code == 0
    assert "Leads: " in info.out
    assert "warning: The database" in assert_one_line_error(info._replace(code=2), 2)

    for command in (["log", "1", "call"], ["demo", "--count", "1"], ["follow-up", "1", "1h"]):
        line = assert_one_line_error(run(capsys, "--data-dir", database.parent, *command), 2)
        assert "is damaged" in line
        assert "leaddesk restore latest" in line
    assert digest(database) == before


def test_someone_elses_sqlite_file_is_refused_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE leads (id INTEGER PRIMARY KEY, who TEXT)")
    connection.close()
    before = digest(other)
    result = run(capsys, "--database-url", f"sqlite:///{other}", "--data-dir", tmp_path, "info")
    assert "not a LeadDesk database" in assert_one_line_error(result, 2)
    assert digest(other) == before


# --- a full disk ------------------------------------------------------------------------


def failing_log_activity(error: BaseException) -> Any:
    def log_activity(ctx: OperationContext, *args: Any, **kwargs: Any) -> Any:
        with ctx.db.transaction():
            raise error

    return log_activity


class FullDiskStream:
    """A log file on a full disk: every write fails."""

    def write(self, _text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture
def log_disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging.FileHandler, "_open", lambda self: FullDiskStream())


@pytest.mark.parametrize(
    "error",
    [
        sqlite3.OperationalError("database or disk is full"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
)
@pytest.mark.usefixtures("log_disk_full")
def test_a_full_disk_is_one_sentence_even_when_the_log_cannot_be_written(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
) -> None:
    add_demo(capsys, data_dir, 1)
    monkeypatch.setattr(activities, "log_activity", failing_log_activity(error))
    result = run(capsys, "--data-dir", data_dir, "log", "1", "call")
    assert assert_one_line_error(result, 2).startswith("leaddesk: The disk is full;")


@pytest.mark.usefixtures("log_disk_full")
def test_a_bug_with_an_unwritable_log_is_still_no_traceback(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_demo(capsys, data_dir, 1)
    monkeypatch.setattr(activities, "log_activity", failing_log_activity(RuntimeError("boom")))
    result = run(capsys, "--data-dir", data_dir, "log", "1", "call")
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.splitlines()[-1] == "leaddesk: unexpected error: boom"
    assert "details are in" not in result.err  # the log was never written
    # At most the log record, as one line, before the message.
    assert result.err.splitlines()[:-1] in ([], ["leaddesk: error: unexpected error in log"])


# --- a read-only database -------------------------------------------------------------------


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_database_lists_and_exports_but_refuses_writes(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    read_only: str,
) -> None:
    """Permissions are simulated: the suite may run as root, who may write anything."""
    data_dir = tmp_path / "data"
    add_demo(capsys, data_dir, 3)
    database = data_dir / "leaddesk.sqlite3"
    before = digest(database)
    target = database if read_only == "file" else data_dir
    monkeypatch.setattr(health, "is_writable", lambda candidate: candidate != target)

    for command in (["info"], ["list"], ["agenda"], ["export", tmp_path / "out.csv"]):
        result = run(capsys, "--data-dir", data_dir, *command)
        assert result.code == 0, command
        assert "leaddesk:" not in result.err
    assert len((tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()) == 4

    line = assert_one_line_error(run(capsys, "--data-dir", data_dir, "log", "1", "call"), 2)
    assert "cannot change" in line
    assert "read-only" in line
    assert digest(database) == before
