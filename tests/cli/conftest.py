"""Fixtures shared by the command-line tests.

Every test here runs isolated (``isolated_cli``, autouse): no developer settings,
no data folder of theirs, no log handlers left from another run. Modules that
need the standing test clock or no ``$TZ`` say so with
``pytestmark = pytest.mark.usefixtures("no_tz", "frozen_system_clock")``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk import cli
from leaddesk.core.clock import FixedClock
from tests.cli.helpers import freeze_system_clock, isolated_cli


@pytest.fixture(autouse=True)
def _isolated_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    yield from isolated_cli(monkeypatch, tmp_path)


@pytest.fixture
def no_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``$TZ``: a developer's zone must not decide which day a follow-up falls on."""
    monkeypatch.delenv("TZ", raising=False)


@pytest.fixture
def frozen_system_clock(monkeypatch: pytest.MonkeyPatch, clock: FixedClock) -> None:
    """The command line reads the same standing clock as the operations' context."""
    freeze_system_clock(monkeypatch, clock)


@pytest.fixture
def fresh_dir(tmp_path: Path) -> Path:
    """A data folder that does not exist yet."""
    return tmp_path / "fresh data"


@pytest.fixture
def home(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A data folder whose database exists (created by `leaddesk info`)."""
    directory = tmp_path / "data"
    assert cli.main(["--data-dir", str(directory), "info"]) == 0
    capsys.readouterr()
    return directory
