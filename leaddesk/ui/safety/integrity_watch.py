"""The daily full ``integrity_check`` of the database, in the background while the window runs.

The start-up check is quick (``quick_check`` within a time budget); damage in
a part it did not reach, or that came later (a failing disk), is found by a
full check once a day (and shortly after the window opens when the full check
after an unclean shutdown ran out of its start-up budget). It reads through its
own read-only connection on a worker thread, gives way to any other background
work (an import, an export, a backup: it stops and is tried at the next turn),
and when it finds damage the database is marked damaged at once, so nothing
more is written to it, and ``damaged`` tells the window (which shows its banner).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from leaddesk.errors import DamagedDatabaseError
from leaddesk.storage.database import sqlite_file
from leaddesk.storage.health import (
    check_integrity,
    connect_read_only,
    damaged_error,
    full_check_after_crash,
    full_check_due,
    note_full_check,
    remember_damage,
)
from leaddesk.ui.background import BackgroundJob, ProgressCallback, work_running
from leaddesk.ui.runner import OperationRunner

log = logging.getLogger(__name__)

# The first look a while after start (start-up is busy enough), then every hour:
# the check itself runs only when the last one that passed is a day old.
FIRST_CHECK_MS = 5 * 60_000
# After an unclean shutdown whose full check ran out of time at start: soon, in the background.
AFTER_CRASH_CHECK_MS = 10_000
CHECK_EVERY_MS = 60 * 60_000


class CheckStopped(Exception):
    """The check gave way to other work (or the window closed): try again later."""


def full_check(path: Path, should_stop: Callable[[], bool]) -> str | None:
    """``integrity_check`` of the file at ``path``: None when whole, else what is wrong."""
    connection = connect_read_only(path)
    try:
        result = check_integrity(connection, full=True, budget=None, should_stop=should_stop)
    finally:
        connection.close()
    if not result.finished:
        raise CheckStopped
    return result.problem


class IntegrityWatch(QObject):
    """Runs the daily full check when it is due and nothing else is working."""

    damaged = Signal(object)  # the DamagedDatabaseError now refusing every write
    checked = Signal(object)  # None when the check passed, else the problem found

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.job: BackgroundJob | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)

    def start(self, first_check_ms: int = FIRST_CHECK_MS) -> None:
        db = self.runner.ctx.db
        path = sqlite_file(str(db.engine.url))
        if path is not None and full_check_after_crash(db.location.data_dir, path):
            first_check_ms = min(first_check_ms, AFTER_CRASH_CHECK_MS)
        self._timer.start(first_check_ms)

    def check(self) -> bool:
        """Start the full check if it is due; True when one was started."""
        self._timer.setInterval(CHECK_EVERY_MS)
        db = self.runner.ctx.db
        path = sqlite_file(str(db.engine.url))
        if path is None or isinstance(db.refusal, DamagedDatabaseError):
            return False  # team mode, or the damage is known already
        if (self.job is not None and self.job.is_running()) or work_running():
            return False  # never during an import, an export or a backup: next time
        now = self.runner.ctx.clock.now().timestamp()
        if not full_check_due(db.location.data_dir, path, now):
            return False

        def work(_progress: ProgressCallback, should_cancel: Callable[[], bool]) -> object:
            started = time.monotonic()
            # An import started meanwhile stops the check: it must not slow one down.
            problem = full_check(path, lambda: should_cancel() or work_running())
            log.info(
                "integrity_check of %s: %s in %.1f s",
                path,
                problem or "ok",
                time.monotonic() - started,
            )
            return problem

        job = BackgroundJob(
            work,
            cancelled_errors=(CheckStopped,),
            what="integrity check",
            retry_busy=True,
            # Unseen by work_running(): it gives way to others, not they to it.
            counted=False,
            parent=self,
        )
        job.succeeded.connect(lambda problem: self._checked(path, now, problem))
        job.failed.connect(lambda message: log.warning("integrity check failed: %s", message))
        self.job = job
        job.start()
        return True

    def _checked(self, path: Path, now: float, problem: object) -> None:
        db = self.runner.ctx.db
        if problem is None:
            note_full_check(db.location.data_dir, path, now)
            self.checked.emit(None)
            return
        remember_damage(db.location.data_dir, path, str(problem))
        refusal = damaged_error(path)
        # From now on every write is refused, here and (remembered) in later runs.
        db.mark_damaged(refusal)
        self.checked.emit(str(problem))
        self.damaged.emit(refusal)

    def shutdown(self) -> None:
        self._timer.stop()
        if self.job is not None:
            with contextlib.suppress(RuntimeError):  # already deleted with its parent
                self.job.wait()
