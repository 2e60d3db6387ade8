"""File → Export CSV…: the current filter or the selected leads, in the background."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from leaddesk.operations.context import OperationContext
from leaddesk.operations.exporting import ExportCancelled, ExportFlavour, export_leads
from leaddesk.storage.queries import LeadFilter
from leaddesk.ui.background import BackgroundJob, ProgressCallback


def _run_export(
    ctx: OperationContext,
    path: Path,
    lead_filter: LeadFilter,
    lead_ids: list[int] | None,
    flavour: ExportFlavour,
    progress: ProgressCallback,
    should_cancel: Callable[[], bool],
) -> int:
    return export_leads(
        ctx,
        path,
        lead_filter=lead_filter,
        lead_ids=lead_ids,
        flavour=flavour,
        progress=progress,
        should_cancel=should_cancel,
    )


def ask_destination(parent: QWidget, suggested: Path) -> tuple[Path, ExportFlavour] | None:
    """The file and format the user chose, or None when they cancelled."""
    filters = {f"{flavour.label} (*.csv)": flavour for flavour in ExportFlavour}
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export leads", str(suggested), ";;".join(filters)
    )
    if not path:
        return None
    destination = Path(path)
    if destination.suffix.lower() != ".csv":
        destination = destination.with_name(destination.name + ".csv")
    return destination, filters.get(chosen, ExportFlavour.EXCEL_UTF8)


class ExportController(QObject):
    """Runs one export with a progress dialog; the window stays usable meanwhile."""

    done = Signal(str)  # what happened, one sentence

    def __init__(
        self,
        ctx: OperationContext,
        parent: QWidget,
        destination: Path,
        flavour: ExportFlavour,
        lead_filter: LeadFilter,
        lead_ids: list[int] | None = None,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._destination = destination
        self.job = BackgroundJob(
            partial(_run_export, ctx, destination, lead_filter, lead_ids, flavour),
            cancelled_errors=(ExportCancelled,),
            what=f"export to {destination.name}",
            retry_busy=True,  # it only reads: a busy database is waited out
            parent=self,
        )
        self.progress = QProgressDialog(
            f"Exporting to {destination.name}…", "Cancel", 0, 1000, parent
        )
        self.progress.setWindowTitle("Export")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(400)
        self.progress.canceled.connect(self.job.cancel)
        self.job.progressed.connect(self._on_progress)
        self.job.succeeded.connect(self._on_succeeded)
        self.job.cancelled.connect(lambda: self._finish("Export cancelled; no file was written."))
        self.job.failed.connect(self._on_failed)

    def start(self) -> None:
        self.job.start()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(done * 1000 / max(1, total)))

    def _on_succeeded(self, count: object) -> None:
        noun = "lead" if count == 1 else "leads"
        self._finish(f"Exported {count} {noun} to {self._destination}.")

    def _on_failed(self, message: str) -> None:
        self.progress.reset()
        QMessageBox.warning(self._parent, "Export", message)
        self._finish(message)

    def _finish(self, message: str) -> None:
        self.progress.reset()
        self.done.emit(message)
