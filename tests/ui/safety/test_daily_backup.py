"""The daily backup: taken when a day has passed, never while other background work runs."""

from __future__ import annotations

import datetime as dt

import pytest

from leaddesk.storage.backup import BackupKind, list_backups
from leaddesk.ui.safety import daily_backup
from leaddesk.ui.safety.daily_backup import DailyBackups


def _dailies(ctx) -> list:
    folder = ctx.db.location.data_dir / "backups"
    return [backup for backup in list_backups(folder) if backup.kind is BackupKind.DAILY]


def test_a_daily_backup_is_taken_once_a_day(qtbot, runner, ctx, clock):
    scheduler = DailyBackups(runner)
    with qtbot.waitSignal(scheduler.backed_up, timeout=10_000):
        assert scheduler.check() is True
    qtbot.waitUntil(lambda: not scheduler.job.is_running(), timeout=5_000)
    assert len(_dailies(ctx)) == 1

    clock.advance(dt.timedelta(hours=23))
    assert scheduler.check() is False  # not due yet
    clock.advance(dt.timedelta(hours=1))
    assert scheduler.check() is True
    qtbot.waitUntil(lambda: not scheduler.job.is_running(), timeout=10_000)
    assert len(_dailies(ctx)) == 2
    scheduler.shutdown()


def test_the_daily_backup_waits_for_an_import_or_export(
    qtbot, runner, ctx, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(daily_backup, "work_running", lambda: True)
    scheduler = DailyBackups(runner)
    assert scheduler.check() is False
    assert _dailies(ctx) == []
    monkeypatch.setattr(daily_backup, "work_running", lambda: False)
    assert scheduler.check() is True
    qtbot.waitUntil(lambda: not scheduler.job.is_running(), timeout=10_000)
    assert len(_dailies(ctx)) == 1
