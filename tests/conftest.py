"""Fixtures shared by the whole suite: a fresh migrated database per test."""

from __future__ import annotations

import datetime as dt
import os
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
