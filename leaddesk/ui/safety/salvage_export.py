"""*Export what can be read*: the salvage of a damaged database, in the background.

The same salvage as ``leaddesk salvage OUT.csv`` (leaddesk/operations/salvage.py):
the leads to the CSV file the user names and every table to a database beside it,
which File → Restore…, From file… accepts. On a worker thread, with progress and
Cancel; the window keeps working. A cancelled salvage leaves no file behind.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from leaddesk.operations.salvage import (
    WINDOW_RESTORE,
    SalvageCancelled,
    salvage_summary,
    salvage_to_csv,
)
from leaddesk.storage.database import Location
from leaddesk.storage.salvage import SalvageReport
from leaddesk.ui.background import BackgroundJob, ProgressCallback
from leaddesk.ui.runner import OperationRunner

CSV_FILTER = "CSV files (*.csv);;All files (*)"


def ask_salvage_file(parent: QWidget) -> Path | None:
    """Where to save what can be read (a CSV file the user names)."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, "Export what can be read", str(Path.home() / "leads-saved.csv"), CSV_FILTER
    )
    return Path(name) if name else None


def _salvage_work(location: Location, output: Path) -> Callable[..., object]:
    def work(progress: ProgressCallback, should_cancel: Callable[[], bool]) -> SalvageReport:
        return salvage_to_csv(location, output, progress=progress, should_cancel=should_cancel)

    return work


class SalvageExport(QObject):
    """One salvage to ``output``; ``done(message)`` says how it went (saved, skipped, failed)."""

    done = Signal(str)

    def __init__(self, runner: OperationRunner, parent: QWidget, output: Path) -> None:
        super().__init__(parent)
        self._runner = runner
        self._parent = parent
        self.output = output
        self.job = BackgroundJob(
            _salvage_work(runner.ctx.db.location, output),
            cancelled_errors=(SalvageCancelled,),
            what=f"salvage to {output.name}",
            retry_busy=True,  # it only reads
            parent=self,
        )
        self.progress = QProgressDialog(
            f"Saving what can be read to {output.name}…", "Cancel", 0, 1000, parent
        )
        self.progress.setWindowTitle("Export what can be read")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(400)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.job.cancel)
        self.job.progressed.connect(self._on_progress)
        self.job.succeeded.connect(self._on_succeeded)
        self.job.cancelled.connect(partial(self._finish, "Export cancelled; no file was written."))
        self.job.failed.connect(self._on_failed)
        # Deleted once its thread has ended, not when the result arrives.
        self.job.finished.connect(self.deleteLater)

    def start(self) -> None:
        self.job.start()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(min(999, int(done * 1000 / max(1, total))))

    def _on_succeeded(self, report: object) -> None:
        assert isinstance(report, SalvageReport)
        saved, skipped = salvage_summary(report, self.output, WINDOW_RESTORE)
        self._finish(saved if skipped is None else f"{saved} {skipped}")

    def _on_failed(self, message: str) -> None:
        self.progress.reset()
        self._runner.report_error(self._parent, message)
        self._finish(message)

    def _finish(self, message: str) -> None:
        self.progress.reset()
        self.done.emit(message)
