"""Long work (imports, exports) on a worker thread, reporting back through signals.

The worker never touches a widget: progress, the result and failures travel to
the UI thread as queued signals. Cancelling sets a flag that the work reads
between chunks; it then rolls back and raises its own "cancelled" exception.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from leaddesk.errors import DatabaseBusyError, UserError

log = logging.getLogger(__name__)

# How many jobs are working right now, on any thread: the daily backup waits for
# an import or an export to end rather than slow it down.
_running_lock = threading.Lock()
_running = 0


def work_running() -> bool:
    """Whether any background job (an import, an export, a backup...) is working now."""
    with _running_lock:
        return _running > 0


def _count_running(step: int) -> None:
    global _running
    with _running_lock:
        _running += step


# Seconds to wait before each new try of work that found the database busy (another
# LeadDesk writing longer than the busy timeout): background work is retried
# quietly instead of showing the user an error they did not cause.
BUSY_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)

ProgressCallback = Callable[[int, int], None]
# The work: called with a progress callback and a should-cancel predicate.
Work = Callable[[ProgressCallback, Callable[[], bool]], object]


class _Worker(QObject):
    """Lives on the worker thread; ``run`` is started by the thread's ``started``."""

    progressed = Signal(object, object)  # done, total (may exceed 2**31)
    succeeded = Signal(object)
    cancelled = Signal()
    failed = Signal(str)  # one sentence for the user
    finished = Signal()

    def __init__(
        self,
        work: Work,
        cancelled_errors: tuple[type[BaseException], ...],
        what: str,
        retry_delays: Sequence[float] = (),
        counted: bool = True,
    ) -> None:
        super().__init__()
        self._work = work
        self._cancelled_errors = cancelled_errors
        self._what = what
        self._retry_delays = tuple(retry_delays)
        self._counted = counted
        self.cancel_requested = threading.Event()
        self._last_permille = -1

    def _progress(self, done: int, total: int) -> None:
        # One signal per tenth of a percent at most: a million-row file must not
        # flood the UI thread's event queue.
        permille = done * 1000 // max(1, total)
        if permille != self._last_permille:
            self._last_permille = permille
            self.progressed.emit(done, total)

    def _work_retrying(self) -> object:
        """The work; tried again after a pause while it finds the database busy."""
        for delay in self._retry_delays:
            try:
                return self._work(self._progress, self.cancel_requested.is_set)
            except DatabaseBusyError:
                log.info("%s found the database busy; trying again in %s s", self._what, delay)
                # Wakes at once when cancelled: the last try below then ends quickly.
                if self.cancel_requested.wait(delay):
                    break
        return self._work(self._progress, self.cancel_requested.is_set)

    @Slot()
    def run(self) -> None:
        step = 1 if self._counted else 0
        _count_running(+step)
        try:
            result = self._work_retrying()
        except self._cancelled_errors:
            self.cancelled.emit()
        except UserError as error:
            self.failed.emit(str(error))
        except Exception as error:
            log.exception("%s failed", self._what)
            self.failed.emit(f"Something went wrong and nothing was changed: {error}")
        else:
            self.succeeded.emit(result)
        finally:
            _count_running(-step)
            self.finished.emit()


# Every started thread stays referenced here until its job has waited for it: a job
# deleted with its dialog while the work is returning would otherwise drop the last
# reference to a QThread that is still ending, and Qt aborts the process for that.
_started_threads: set[QThread] = set()


class BackgroundJob(QObject):
    """Owns the thread and the worker of one piece of work; signals arrive on the UI thread."""

    progressed = Signal(object, object)
    succeeded = Signal(object)
    cancelled = Signal()
    failed = Signal(str)
    finished = Signal()

    def __init__(
        self,
        work: Work,
        *,
        cancelled_errors: tuple[type[BaseException], ...] = (),
        what: str = "background work",
        retry_busy: bool = False,
        counted: bool = True,
        parent: QObject | None = None,
    ) -> None:
        """``retry_busy``: the work only reads (or may simply run again), so a busy
        database is waited out (BUSY_RETRY_DELAYS) instead of reported.
        ``counted``: seen by ``work_running`` (False for a check that itself gives
        way to any other work)."""
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName(what)
        delays = BUSY_RETRY_DELAYS if retry_busy else ()
        self._worker = _Worker(work, cancelled_errors, what, delays, counted)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        # Queued (the worker lives on another thread): these run on the UI thread.
        self._worker.progressed.connect(self.progressed)
        self._worker.succeeded.connect(self.succeeded)
        self._worker.cancelled.connect(self.cancelled)
        self._worker.failed.connect(self.failed)
        # The thread ends itself as soon as the work returns (quit() is thread-safe),
        # even when this job's owner was deleted before the queued ``finished``
        # reached it: a QThread destroyed while still running aborts the process.
        self._worker.finished.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._worker.finished.connect(self._on_worker_finished)
        self._running = False

    def start(self) -> None:
        self._running = True
        _started_threads.add(self._thread)
        self._thread.start()

    def cancel(self) -> None:
        self._worker.cancel_requested.set()

    @property
    def cancel_requested(self) -> bool:
        return self._worker.cancel_requested.is_set()

    def is_running(self) -> bool:
        return self._running

    def _on_worker_finished(self) -> None:
        self._thread.quit()
        self._thread.wait()
        _started_threads.discard(self._thread)
        self._running = False
        self.finished.emit()

    def wait(self) -> None:
        """Cancel and block until the worker is done (when its window is destroyed)."""
        if self._thread.isRunning():
            self.cancel()
            self._thread.wait()
        _started_threads.discard(self._thread)
