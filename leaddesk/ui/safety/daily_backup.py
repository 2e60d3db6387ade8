"""The daily backup, taken in the background while the window is open.

Checked a little after start and then every half hour: when the newest daily
backup is a day old, one is taken on a worker thread. It waits while an
import, an export or any other background job works, so it never slows one
down, and a failure is logged and tried again at the next check (the user is
told only when it keeps failing for a day).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from leaddesk.operations.backups import back_up, daily_backup_due
from leaddesk.storage.backup import BackupCancelled, BackupKind
from leaddesk.ui.background import BackgroundJob, ProgressCallback, work_running
from leaddesk.ui.runner import OperationRunner

log = logging.getLogger(__name__)

FIRST_CHECK_MS = 90_000
CHECK_EVERY_MS = 30 * 60_000


class DailyBackups(QObject):
    """Takes the daily backup when it is due and nothing else is working."""

    backed_up = Signal(object)  # Path
    failed = Signal(str)

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.job: BackgroundJob | None = None
        self.failures = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)

    def start(self, first_check_ms: int = FIRST_CHECK_MS) -> None:
        self._timer.start(first_check_ms)

    def check(self) -> bool:
        """Start the backup if it is due; True when one was started."""
        self._timer.setInterval(CHECK_EVERY_MS)
        if (self.job is not None and self.job.is_running()) or work_running():
            return False  # an import or an export is working: next time
        location = self.runner.ctx.db.location
        now = self.runner.ctx.clock.now()
        if not daily_backup_due(location, now):
            return False

        def work(_progress: ProgressCallback, should_cancel: Callable[[], bool]) -> object:
            return back_up(location, kind=BackupKind.DAILY, now=now, should_cancel=should_cancel)

        self.job = BackgroundJob(
            work,
            cancelled_errors=(BackupCancelled,),
            what="daily backup",
            retry_busy=True,
            parent=self,
        )
        self.job.succeeded.connect(self._succeeded)
        self.job.failed.connect(self._failed)
        self.job.start()
        return True

    def _succeeded(self, path: object) -> None:
        self.failures = 0
        log.info("daily backup written to %s", path)
        self.backed_up.emit(path)

    def _failed(self, message: str) -> None:
        self.failures += 1
        log.warning("daily backup failed: %s", message)
        # 48 checks of half an hour: a day of failures is worth a word.
        if self.failures == 48:
            self.failed.emit(message)

    def shutdown(self) -> None:
        self._timer.stop()
        if self.job is not None:
            self.job.wait()
