"""Running ``import_csv`` on a worker thread, reporting back through signals.

The worker never touches a widget: progress, the result and failures travel to
the UI thread as queued signals. Cancelling sets a flag the import reads
between chunks; it then rolls its transaction back and nothing is written.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import ImportCancelled, ImportOptions, import_csv

log = logging.getLogger(__name__)


class ImportWorker(QObject):
    """Lives on the worker thread; ``run`` is started by the thread's ``started``."""

    progressed = Signal(object, object)  # bytes done, bytes total (may exceed 2**31)
    succeeded = Signal(object)  # ImportResult
    cancelled = Signal()
    failed = Signal(str)  # one sentence for the user
    finished = Signal()

    def __init__(self, ctx: OperationContext, path: Path, options: ImportOptions) -> None:
        super().__init__()
        self._ctx = ctx
        self._path = path
        self._options = options
        self.cancel_requested = threading.Event()
        self._last_permille = -1

    def _progress(self, done: int, total: int) -> None:
        # One signal per tenth of a percent at most: a million-row file must not
        # flood the UI thread's event queue.
        permille = done * 1000 // max(1, total)
        if permille != self._last_permille:
            self._last_permille = permille
            self.progressed.emit(done, total)

    @Slot()
    def run(self) -> None:
        try:
            result = import_csv(
                self._ctx,
                self._path,
                self._options,
                progress=self._progress,
                should_cancel=self.cancel_requested.is_set,
            )
        except ImportCancelled:
            self.cancelled.emit()
        except UserError as error:
            self.failed.emit(str(error))
        except Exception as error:
            log.exception("import of %s failed", self._path)
            self.failed.emit(f"Something went wrong and nothing was changed: {error}")
        else:
            self.succeeded.emit(result)
        finally:
            self.finished.emit()


class ImportJob(QObject):
    """Owns the thread and the worker of one import; emits the worker's signals on the UI thread."""

    progressed = Signal(object, object)
    succeeded = Signal(object)
    cancelled = Signal()
    failed = Signal(str)
    finished = Signal()

    def __init__(
        self,
        ctx: OperationContext,
        path: Path,
        options: ImportOptions,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("importThread")
        self._worker = ImportWorker(ctx, path, options)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        # Queued (the worker lives on another thread): these slots run on the UI thread.
        self._worker.progressed.connect(self.progressed)
        self._worker.succeeded.connect(self.succeeded)
        self._worker.cancelled.connect(self.cancelled)
        self._worker.failed.connect(self.failed)
        self._worker.finished.connect(self._on_worker_finished)
        self._running = False

    def start(self) -> None:
        self._running = True
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
        self._running = False
        self.finished.emit()

    def wait(self) -> None:
        """Block until the worker is done (only when the wizard is being destroyed)."""
        if self._thread.isRunning():
            self.cancel()
            self._thread.wait()
