"""Running ``leaddesk.cli.main`` in-process, as the command-line tests do.

Each test module keeps its own autouse fixture (``yield from isolated_cli(...)``)
so that it is plain which of them run isolated.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from leaddesk import cli


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
