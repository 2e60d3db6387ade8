"""When and where the agenda is re-read: at once, or on a worker thread after a change.

The reader re-reads when an operation announces a change, and by itself when the
clock moves an entry from one section to the next (a due time passes, or midnight).

Those re-reads run on a worker thread (on a large database one takes long enough
to freeze a drag on the board): the thread reads through its own connection
from ``db.reading()`` (the SQLite engine's QueuePool hands each thread its own,
and WAL lets it read while the UI thread writes) and only puts the snapshot into
a ``_SnapshotRead``; the UI thread picks it up and hands it on with ``snapshot_read``.
One read at a time; a result that a newer change made stale is dropped and read
again. ``read_now()`` (and ``flush()``) still read at once, on the calling thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from leaddesk.errors import DatabaseBusyError
from leaddesk.operations.changes import Changes
from leaddesk.storage.database import Database
from leaddesk.ui.agenda.model import AgendaSnapshot, load_snapshot
from leaddesk.ui.runner import OperationRunner

log = logging.getLogger(__name__)

# QTimer takes an int of milliseconds; a day is far enough to look ahead.
MAX_TIMER_MS = 24 * 60 * 60 * 1000
# How often the UI thread looks whether a background read has finished.
READ_POLL_MS = 5
# A background read that found the database busy is tried again after this pause.
BUSY_RETRY_MS = 1000


class _SnapshotRead:
    """One agenda read on a worker thread; the UI thread takes ``result`` once ``done``.

    Plain Python on purpose: no Qt object crosses threads, so the panel can be
    destroyed while a read runs (the thread just finishes into this object).
    """

    def __init__(self, generation: int, db: Database, now: dt.datetime, zone: dt.tzinfo) -> None:
        self.generation = generation
        self.result: AgendaSnapshot | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()
        self._args = (db, now, zone)
        self._thread = threading.Thread(target=self._run, name="agenda read", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            self.result = load_snapshot(*self._args)
        except BaseException as error:  # handed to the UI thread, which logs it
            self.error = error
        finally:
            self.done.set()


class AgendaSnapshotReader(QObject):
    """Reads the agenda for one panel and emits each snapshot to show (UI thread only)."""

    snapshot_read = Signal(object)  # AgendaSnapshot

    def __init__(self, runner: OperationRunner, zone: dt.tzinfo, parent: QObject) -> None:
        super().__init__(parent)
        self._runner = runner
        self._zone = zone
        # Bumped by every reload asked for; a read started for an older one is stale.
        self._generation = 0
        self._read: _SnapshotRead | None = None
        self._read_again = False
        self._read_poll = QTimer(self)
        self._read_poll.setInterval(READ_POLL_MS)
        self._read_poll.timeout.connect(self._take_read)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(self.read_in_background)
        self._boundary = QTimer(self)
        self._boundary.setSingleShot(True)
        self._boundary.setTimerType(Qt.TimerType.PreciseTimer)
        self._boundary.timeout.connect(self.read_in_background)
        runner.changed.connect(self._on_changed)

    def read_now(self) -> None:
        """Read the agenda on this thread and emit it; a read still running is dropped."""
        self._refresh.stop()
        self._generation += 1
        # A read still running is older than this one: its result is dropped.
        self._read_again = False
        ctx = self._runner.ctx
        self._emit(load_snapshot(ctx.db, ctx.clock.now(), self._zone))

    def read_in_background(self) -> None:
        """Read the agenda on a worker thread; ``snapshot_read`` comes once it is read."""
        self._refresh.stop()
        self._generation += 1
        if self._read is not None:
            # Never two reads at once: the running one is stale, read again after it.
            self._read_again = True
            return
        self._start_read()

    @property
    def reading(self) -> bool:
        """True while a background read runs (its result not emitted yet)."""
        return self._read is not None

    def flush(self) -> None:
        """Read announced changes now, on this thread (after a command, and tests)."""
        if self._refresh.isActive() or self._read is not None:
            self.read_now()

    def wait(self, timeout: float | None = None) -> None:
        """Block until a background read in progress is done and emitted (tests, shutdown)."""
        while self._read is not None:
            if not self._read.done.wait(timeout):
                return
            self._take_read()

    def _start_read(self) -> None:
        self._read_again = False
        ctx = self._runner.ctx
        read = _SnapshotRead(self._generation, ctx.db, ctx.clock.now(), self._zone)
        self._read = read
        read.start()
        self._read_poll.start()

    def _take_read(self) -> None:
        read = self._read
        if read is None:
            self._read_poll.stop()
            return
        if not read.done.is_set():
            return
        self._read = None
        self._read_poll.stop()
        if self._read_again:
            self._start_read()
            return
        if read.generation != self._generation:
            return  # a read_now() since has shown newer data
        if isinstance(read.error, DatabaseBusyError):
            # Another LeadDesk holds the database for longer than the busy timeout:
            # read again shortly rather than trouble the user with it.
            QTimer.singleShot(BUSY_RETRY_MS, self, self.read_in_background)
        elif read.error is not None:
            log.error("Reading the agenda failed", exc_info=read.error)
        elif read.result is not None:
            self._emit(read.result)

    def _emit(self, snapshot: AgendaSnapshot) -> None:
        # Read again when the clock moves the first entry to another section.
        wait = (snapshot.next_change - self._runner.ctx.clock.now()).total_seconds() * 1000
        self._boundary.start(int(min(max(wait, 0) + 50, MAX_TIMER_MS)))
        self.snapshot_read.emit(snapshot)

    def _on_changed(self, _changes: Changes) -> None:
        # Coalesced: a burst of announcements re-reads the agenda once.
        self._refresh.start()
