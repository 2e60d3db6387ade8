"""Two processes writing at once: the command line waits its turn, or says why it cannot.

Another process holds the write lock (as an import does for its whole length)
while this one runs `log` and `follow-up` commands in-process.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from leaddesk.errors import BUSY_MESSAGE
from leaddesk.storage import database as database_module
from tests.cli.helpers import add_demo, assert_one_line_error, listing, run

HOLDER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE leads SET notes = coalesce(notes, '') || '.'")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


@contextmanager
def writer_in_another_process(database: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the write lock for ``seconds`` (with a change), then committing."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(database), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        yield holder
    assert holder.returncode == 0


def activity_count(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute("SELECT count(*) FROM activities").fetchone()
    connection.close()
    return int(count)


def follow_up_count(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute("SELECT count(*) FROM follow_ups").fetchone()
    connection.close()
    return int(count)


def test_fifty_commands_during_another_processs_write_all_succeed(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    add_demo(capsys, data_dir, 1)
    (lead,) = listing(capsys, data_dir)
    database = data_dir / "leaddesk.sqlite3"
    activities, follow_ups = activity_count(database), follow_up_count(database)

    codes = []
    with writer_in_another_process(database, 2.0) as holder:
        started = time.monotonic()
        for number in range(50):
            if number % 2:
                command = ["follow-up", str(lead["id"]), "tomorrow", f"call {number}"]
            else:
                command = ["log", str(lead["id"]), "note", f"note {number}"]
            result = run(capsys, "--data-dir", data_dir, *command)
            assert result.err == ""
            codes.append(result.code)
            if number == 0:
                # The first one waited for the other process's commit.
                assert holder.poll() is not None or time.monotonic() - started > 1.5
    assert codes == [0] * 50
    assert activity_count(database) == activities + 25
    assert follow_up_count(database) == follow_ups + 25


def test_a_lock_held_past_the_timeout_is_one_sentence_and_nothing_changes(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_demo(capsys, data_dir, 1)
    (lead,) = listing(capsys, data_dir)
    database = data_dir / "leaddesk.sqlite3"
    before = activity_count(database)
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)

    with writer_in_another_process(database, 1.5):
        result = run(capsys, "--data-dir", data_dir, "log", str(lead["id"]), "call", "lost?")
        line = assert_one_line_error(result, 2)
        assert line == f"leaddesk: {BUSY_MESSAGE}"
        # Reading still works meanwhile, at once.
        listed = run(capsys, "--data-dir", data_dir, "list", "--json")
        assert listed.code == 0
        assert len(json.loads(listed.out)) == 1
    assert activity_count(database) == before
