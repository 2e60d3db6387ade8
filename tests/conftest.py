"""Fixtures shared by the whole suite: a fresh migrated database per test."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Headless everywhere: set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from leaddesk.core.clock import FixedClock
from leaddesk.operations.context import OperationContext
from leaddesk.storage.database import Database, Location, open_database

# No per-example deadline: the first example of a test may load a library's data
# (phonenumbers, email-validator) and a busy CI machine is slower; either made
# correct properties fail as "flaky". Example counts stay as each test sets them.
settings.register_profile("leaddesk", deadline=None)
settings.load_profile("leaddesk")

# A Tuesday in November, mid-morning UTC: far from any DST change or midnight.
TEST_NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _platform_colours_after() -> Iterator[None]:
    """The application is shared by the suite: a test (or an in-process screenshot)
    that chose the dark or light theme must not paint later tests' widgets with it.
    Looked up lazily, so tests of core never import Qt."""
    yield
    theme = sys.modules.get("leaddesk.ui.theme")
    if theme is not None and theme.current_theme() != "system":
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, "system")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    return directory


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    """A migrated SQLite database file in a temporary data directory."""
    location = Location(data_dir=data_dir, url=f"sqlite:///{data_dir / 'leaddesk.sqlite3'}")
    database = open_database(location)
    yield database
    database.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TEST_NOW)


@pytest.fixture
def ctx(db: Database, clock: FixedClock) -> OperationContext:
    return OperationContext(db=db, clock=clock, actor="Test User")
