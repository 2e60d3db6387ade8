"""Running ``leaddesk.cli.main`` in-process, as the command-line tests do.

Every command-line test runs isolated (tests/cli/conftest.py applies
``isolated_cli`` to each). A few tests run the command as a real process
(``run_process``) where the process boundary is the point.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sqlalchemy import select

from leaddesk import cli
from leaddesk.core.clock import FixedClock, SystemClock
from leaddesk.operations.context import OperationContext
from leaddesk.storage.schema import leads

TEST_NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)  # as in conftest


class Run(NamedTuple):
    code: int
    out: str
    err: str


def isolated_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads the developer's settings or writes to their data folder.

    main() adds a log file handler to the root logger for each run (right for a
    process that runs once); remove them so runs do not log into each other.
    """
    monkeypatch.delenv("LEADDESK_DATA_DIR", raising=False)
    monkeypatch.delenv("LEADDESK_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def run(capsys: pytest.CaptureFixture[str], *argv: str | os.PathLike[str]) -> Run:
    code = cli.main([os.fspath(arg) for arg in argv])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def assert_one_line_error(result: Run, code: int) -> str:
    """The one ``leaddesk: ...`` line on stderr of a run that exited with ``code``."""
    assert result.code == code, result
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {result.err!r}"
    assert lines[0].startswith("leaddesk: ")
    return lines[0]


def run_in(
    capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str | os.PathLike[str]
) -> Run:
    """``leaddesk --data-dir DATA_DIR ARGV...``."""
    return run(capsys, "--data-dir", data_dir, *argv)


def refusal(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> str:
    """The one-line error (exit 2) of ``leaddesk --data-dir DATA_DIR ARGV...``, which
    must leave every lead as it was."""
    before = listing(capsys, data_dir)
    line = assert_one_line_error(run_in(capsys, data_dir, *argv), 2)
    assert listing(capsys, data_dir) == before
    return line


def lead_row(ctx: OperationContext, lead_id: int) -> Any:
    """The lead's row as stored, deleted or not."""
    with ctx.db.reading() as connection:
        return connection.execute(select(leads).where(leads.c.id == lead_id)).one()


def info(capsys: pytest.CaptureFixture[str], *options: str | os.PathLike[str]) -> dict[str, Any]:
    result = run(capsys, *options, "info", "--json")
    assert (result.code, result.err) == (0, "")
    data: dict[str, Any] = json.loads(result.out)
    return data


def listing(capsys: pytest.CaptureFixture[str], data_dir: Path, *filters: str) -> list[Any]:
    result = run(capsys, "--data-dir", data_dir, "list", "--json", *filters)
    assert result.code == 0, result.err
    records = json.loads(result.out)
    assert isinstance(records, list)
    return records


def add_demo(capsys: pytest.CaptureFixture[str], data_dir: Path, count: int, seed: int = 7) -> None:
    result = run(capsys, "--data-dir", data_dir, "demo", "--count", str(count), "--seed", str(seed))
    assert result.code == 0, result.err


def agenda(capsys: pytest.CaptureFixture[str], data_dir: Path, *options: str) -> Any:
    result = run(capsys, "--data-dir", data_dir, "agenda", "--json", *options)
    assert (result.code, result.err) == (0, ""), result.err
    return json.loads(result.out)


def freeze_system_clock(monkeypatch: pytest.MonkeyPatch, clock: FixedClock) -> None:
    """The command line reads the same standing clock as the operations' context."""
    assert clock.now() == TEST_NOW
    monkeypatch.setattr(SystemClock, "now", lambda self: clock.now())


def subprocess_env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_process(
    *argv: str | os.PathLike[str], **env: str | None
) -> subprocess.CompletedProcess[str]:
    """``python -m leaddesk ARGV...`` in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "leaddesk", *map(os.fspath, argv)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=subprocess_env(**env),
        timeout=60,
        check=False,
    )
