"""The daily full integrity_check while the window runs: off the UI thread, never mid-import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from leaddesk.errors import DamagedDatabaseError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.storage.database import Location, open_database
from leaddesk.storage.health import (
    full_check_after_crash,
    full_check_due,
    note_full_check,
    remembered_damage,
)
from leaddesk.ui.safety import integrity_watch
from leaddesk.ui.safety.integrity_watch import CheckStopped, IntegrityWatch, full_check
from tests.fixtures.damaged_database import damage_a_page, leaddesk_database, sqlite_url
from tests.ui.conftest import CollectingRunner


def test_a_whole_database_passes_and_is_not_checked_again_that_day(qtbot, runner, clock):
    watch = IntegrityWatch(runner)
    with qtbot.waitSignal(watch.checked, timeout=10000) as checked:
        assert watch.check() is True
    assert checked.args == [None]
    qtbot.waitUntil(lambda: not watch.job.is_running())
    assert watch.check() is False  # done for today
    path = Path(runner.ctx.db.engine.url.database or "")
    later = clock.now() + dt.timedelta(hours=25)
    assert full_check_due(runner.ctx.db.location.data_dir, path, later.timestamp())


def test_damage_found_by_the_daily_check_stops_every_write(qtbot, tmp_path, clock):
    folder = tmp_path / "data"
    path = leaddesk_database(folder, leads=600)
    db = open_database(Location(folder, sqlite_url(path)))
    try:
        assert db.refusal is None
        damage_a_page(path)  # a failing disk, after the start-up check passed
        runner = CollectingRunner(OperationContext(db=db, clock=clock))
        watch = IntegrityWatch(runner)
        with qtbot.waitSignal(watch.damaged, timeout=10000) as damaged:
            assert watch.check() is True
        assert isinstance(damaged.args[0], DamagedDatabaseError)
        assert isinstance(db.refusal, DamagedDatabaseError)
        assert remembered_damage(folder, path) is not None  # the next start knows too
        assert runner.run(create_lead, {"first_name": "Lost?"}) is None
        assert len(runner.errors) == 1
        assert watch.check() is False  # the damage is known: nothing more to look for
        qtbot.waitUntil(lambda: not watch.job.is_running())
    finally:
        db.close()


def test_the_check_waits_while_an_import_or_export_works(runner, monkeypatch):
    monkeypatch.setattr(integrity_watch, "work_running", lambda: True)
    watch = IntegrityWatch(runner)
    assert watch.check() is False
    assert watch.job is None


def test_the_check_gives_way_when_other_work_starts(tmp_path):
    # Big enough for SQLite to ask (every 20,000 steps) whether to go on.
    path = leaddesk_database(tmp_path / "data", leads=1200)
    with pytest.raises(CheckStopped):
        full_check(path, lambda: True)
    assert full_check(path, lambda: False) is None


def test_a_full_check_left_over_from_a_crash_runs_soon_after_start(qtbot, runner):
    db = runner.ctx.db
    path = Path(db.engine.url.database or "")
    note_full_check(db.location.data_dir, path, None)  # the start-up check ran out of time
    watch = IntegrityWatch(runner)
    watch.start()
    assert watch._timer.interval() == integrity_watch.AFTER_CRASH_CHECK_MS
    with qtbot.waitSignal(watch.checked, timeout=10000) as checked:
        assert watch.check() is True
    assert checked.args == [None]
    qtbot.waitUntil(lambda: not watch.job.is_running())
    assert not full_check_after_crash(db.location.data_dir, path)
    watch.shutdown()


def test_without_a_crash_the_first_check_waits_minutes(runner):
    watch = IntegrityWatch(runner)
    watch.start()
    assert watch._timer.interval() == integrity_watch.FIRST_CHECK_MS
    watch.shutdown()
