"""Reminders while the app runs: one timer, armed for the next follow-up that comes due.

There is no polling loop. The scheduler keeps a *watermark*, the moment up to
which follow-ups have been announced, and a single-shot timer set for the first
open follow-up due after it. When the timer fires, everything due in
(watermark, now] is announced once through ``due`` and the watermark moves to
now. So a follow-up is announced once; one that is done is no longer open, and
one that is snoozed is due after the watermark again and is announced when its
new time comes.

The watermark is kept in the data folder's window.ini, so at the next start the
follow-ups that came due while LeadDesk was closed are announced at once.

Timers do not run while a machine sleeps, and a wall clock can be changed. A
coarse watchdog (once a minute, doing nothing but compare the wall clock's
progress with the monotonic clock's) and the application becoming active again
re-check and re-arm, so a reminder is late by at most a minute after a resume.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from leaddesk.core.agenda import FollowUpEntry
from leaddesk.core.clock import Clock
from leaddesk.operations.changes import Changes
from leaddesk.storage.agenda_queries import follow_ups_due_between, next_due_after
from leaddesk.ui.runner import OperationRunner

log = logging.getLogger(__name__)

WATCHDOG_MS = 60_000
# A wall clock that moved this much more (or less) than the monotonic clock jumped.
JUMP_TOLERANCE = dt.timedelta(seconds=5)
# QTimer takes an int of milliseconds; wake at least daily and look again.
MAX_TIMER_MS = 24 * 60 * 60 * 1000
SETTINGS_KEY = "reminders/last_notified_at"


class WatermarkStore(Protocol):
    def load(self) -> dt.datetime | None: ...

    def save(self, moment: dt.datetime) -> None: ...


class IniWatermarkStore:
    """The watermark in the data folder's window.ini (per machine, like window state)."""

    def __init__(self, data_dir: Path) -> None:
        self._path = str(data_dir / "window.ini")

    def _settings(self) -> QSettings:
        return QSettings(self._path, QSettings.Format.IniFormat)

    def load(self) -> dt.datetime | None:
        value = self._settings().value(SETTINGS_KEY)
        if not isinstance(value, str) or not value:
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            log.warning("ignoring unreadable %s=%r", SETTINGS_KEY, value)
            return None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)

    def save(self, moment: dt.datetime) -> None:
        settings = self._settings()
        settings.setValue(SETTINGS_KEY, moment.astimezone(dt.UTC).isoformat())
        settings.sync()


class MemoryWatermarkStore:
    """For tests and for windows that must not touch window.ini (screenshots)."""

    def __init__(self, moment: dt.datetime | None = None) -> None:
        self.moment = moment

    def load(self) -> dt.datetime | None:
        return self.moment

    def save(self, moment: dt.datetime) -> None:
        self.moment = moment


def timer_interval_ms(now: dt.datetime, due: dt.datetime) -> int:
    """Milliseconds from ``now`` until ``due`` (rounded up, 0 if past, at most a day)."""
    wait = (due - now).total_seconds() * 1000
    return int(min(max(math.ceil(wait), 0), MAX_TIMER_MS))


class ReminderScheduler(QObject):
    """Announces each open follow-up once, when it comes due (``due(ids)``)."""

    due = Signal(list)  # follow-up ids, soonest first

    def __init__(
        self,
        runner: OperationRunner,
        store: WatermarkStore,
        *,
        clock: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        watchdog_ms: int = WATCHDOG_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db = runner.ctx.db
        self._clock = clock if clock is not None else runner.ctx.clock
        self._store = store
        self._monotonic = monotonic
        self.watermark: dt.datetime | None = None
        self.next_due: dt.datetime | None = None
        self.entries: dict[int, FollowUpEntry] = {}
        self.timer = QTimer(self)
        self.timer.setObjectName("reminderTimer")
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._on_timeout)
        self.watchdog = QTimer(self)
        self.watchdog.setObjectName("reminderWatchdog")
        self.watchdog.setInterval(watchdog_ms)
        self.watchdog.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self.watchdog.timeout.connect(self._on_watchdog)
        self._last_wall = self._clock.now()
        self._last_monotonic = self._monotonic()
        self._started = False

    def start(self) -> None:
        """Announce what came due while LeadDesk was closed, then wait for the next."""
        if self._started:
            return
        self._started = True
        self.watermark = self._store.load()
        if self.watermark is None:
            # First start: what is already overdue is on the agenda, not a surprise.
            self.watermark = self._clock.now()
            self._store.save(self.watermark)
        self._runner.changed.connect(self._on_changed)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_application_state)
        self._last_wall = self._clock.now()
        self._last_monotonic = self._monotonic()
        self.watchdog.start()
        self.check()

    def stop(self) -> None:
        self.timer.stop()
        self.watchdog.stop()
        if self._started:
            self._runner.changed.disconnect(self._on_changed)
            app = QGuiApplication.instance()
            if isinstance(app, QGuiApplication):
                app.applicationStateChanged.disconnect(self._on_application_state)
        self._started = False

    # -- the one timer ---------------------------------------------------------

    def check(self) -> list[int]:
        """Announce the follow-ups due since the watermark, then re-arm; returns their ids."""
        now = self._clock.now()
        with self._db.reading() as connection:
            entries = follow_ups_due_between(connection, self.watermark, now)
        if self.watermark is None or now > self.watermark:
            self.watermark = now
            self._store.save(now)
        ids = [entry.follow_up_id for entry in entries]
        if entries:
            self.entries.update({entry.follow_up_id: entry for entry in entries})
            self.due.emit(ids)
        self.arm()
        return ids

    def arm(self) -> None:
        """Set the timer for the first open follow-up due after the watermark."""
        if not self._started:
            return
        after = self.watermark or self._clock.now()
        with self._db.reading() as connection:
            self.next_due = next_due_after(connection, after)
        if self.next_due is None:
            self.timer.stop()
            return
        self.timer.start(timer_interval_ms(self._clock.now(), self.next_due))

    def _on_timeout(self) -> None:
        if self.next_due is not None and self._clock.now() < self.next_due:
            self.arm()  # woke early (timer rounding): wait the rest
            return
        self.check()

    def _on_changed(self, _changes: Changes) -> None:
        # A follow-up added, done or snoozed may change which one is next.
        self.arm()

    # -- sleep, resume and clock changes -----------------------------------------

    def _on_watchdog(self) -> None:
        wall, monotonic = self._clock.now(), self._monotonic()
        wall_moved = wall - self._last_wall
        really_moved = dt.timedelta(seconds=monotonic - self._last_monotonic)
        self._last_wall, self._last_monotonic = wall, monotonic
        if abs(wall_moved - really_moved) > JUMP_TOLERANCE:
            log.info("clock jumped by %s (slept or changed); re-checking reminders", wall_moved)
            self.check()

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check()
