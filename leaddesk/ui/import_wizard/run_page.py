"""Step 5: the import runs in the background with progress and a cancel button."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from leaddesk.core.csv_import.xlsx_reader import SheetFormat
from leaddesk.operations.importing import ImportOptions, ImportResult
from leaddesk.ui.import_wizard.widgets import MessageLine
from leaddesk.ui.import_wizard.worker import ImportJob
from leaddesk.ui.runner import OperationRunner

CANCELLED_MESSAGE = "Import cancelled; nothing was changed."


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:,.1f} MB"


def _rows(count: int) -> str:
    # An Excel sheet's import counts its rows, not bytes (import_file._start_reading).
    return f"{count:,} row{'s' if count != 1 else ''}"


class RunPage(QWizardPage):
    """Starts the import when shown; moves on to the result when it succeeds."""

    succeeded = Signal(object)  # ImportResult, on the UI thread
    stopped = Signal()  # the job ended: success, cancel or failure

    def __init__(
        self,
        runner: OperationRunner,
        options: Callable[[], tuple[Path, ImportOptions]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._options = options
        self.job: ImportJob | None = None
        self.result: ImportResult | None = None
        self._amount = _megabytes
        self.setTitle("Importing")
        self.setSubTitle("You can keep this window open or cancel; nothing is saved until the end.")

        self.status = QLabel("Starting…")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        self.cancel_button = QPushButton("&Cancel import")
        self.cancel_button.setObjectName("cancelImport")
        self.cancel_button.clicked.connect(self.cancel)
        self.message = MessageLine()

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def initializePage(self) -> None:
        if self.job is not None or self.result is not None:
            return  # one import per wizard
        path, options = self._options()
        self._amount = _rows if isinstance(options.fmt, SheetFormat) else _megabytes
        self.status.setText(f"Importing {path}…")
        self.progress.setValue(0)
        self.message.clear()
        self.job = ImportJob(self.runner.ctx, path, options, self)
        self.job.progressed.connect(self._on_progress)
        self.job.succeeded.connect(self._on_succeeded)
        self.job.cancelled.connect(self._on_cancelled)
        self.job.failed.connect(self._on_failed)
        self.job.finished.connect(self._on_finished)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setFocus()
        self.job.start()

    def isComplete(self) -> bool:
        return self.result is not None

    def is_running(self) -> bool:
        return self.job is not None and self.job.is_running()

    def cancel(self) -> None:
        if self.job is not None and self.job.is_running():
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    # -- from the worker, on the UI thread --------------------------------------

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(done * 1000 // max(1, total)))
        self.status.setText(f"Read {self._amount(done)} of {self._amount(total)}…")

    def _on_succeeded(self, result: ImportResult) -> None:
        self.result = result
        self.progress.setValue(self.progress.maximum())
        self.status.setText("Import finished.")
        # The board behind the wizard refreshes now; closing the wizard needs no more.
        self.runner.announce(result.changes)
        self.succeeded.emit(result)
        self.completeChanged.emit()

    def _on_cancelled(self) -> None:
        self.status.setText("Cancelled.")
        self.progress.setValue(0)
        self.message.show_info(CANCELLED_MESSAGE)

    def _on_failed(self, message: str) -> None:
        self.status.setText("The import stopped.")
        self.message.show_error(message)

    def _on_finished(self) -> None:
        self.cancel_button.setEnabled(False)
        self.stopped.emit()
        if self.result is not None and self.wizard() is not None:
            # Straight on to the counts; the user has nothing to do here any more.
            QTimer.singleShot(0, self.wizard().next)
