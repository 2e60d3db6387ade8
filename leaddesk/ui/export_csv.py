"""File → Export…: the current filter or the selected leads, in the background.

The save dialog offers an Excel workbook (.xlsx, typed cells for people who work
in spreadsheets) and the CSV flavours (lossless for importing back).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from leaddesk.operations.context import OperationContext
from leaddesk.operations.exporting import (
    ExportCancelled,
    ExportFlavour,
    export_leads,
    export_leads_xlsx,
    is_xlsx_path,
)
from leaddesk.storage.queries import LeadFilter
from leaddesk.ui.background import BackgroundJob, ProgressCallback

XLSX: Literal["xlsx"] = "xlsx"
ExportFormat = ExportFlavour | Literal["xlsx"]
"""What the user chose to export to: an Excel workbook, or a CSV flavour."""
XLSX_FILTER = "Excel workbook (*.xlsx)"


def _run_export(
    ctx: OperationContext,
    path: Path,
    lead_filter: LeadFilter,
    lead_ids: list[int] | None,
    flavour: ExportFormat,
    progress: ProgressCallback,
    should_cancel: Callable[[], bool],
) -> int:
    if flavour == XLSX:
        return export_leads_xlsx(
            ctx,
            path,
            lead_filter=lead_filter,
            lead_ids=lead_ids,
            progress=progress,
            should_cancel=should_cancel,
        )
    return export_leads(
        ctx,
        path,
        lead_filter=lead_filter,
        lead_ids=lead_ids,
        flavour=flavour,
        progress=progress,
        should_cancel=should_cancel,
    )


def export_filters() -> dict[str, ExportFormat]:
    """The save dialog's file types, in the order offered, and what each one exports."""
    filters: dict[str, ExportFormat] = {
        f"{flavour.label} (*.csv)": flavour for flavour in ExportFlavour
    }
    filters[XLSX_FILTER] = XLSX
    return filters


def destination_for(path: Path, chosen: ExportFormat) -> tuple[Path, ExportFormat]:
    """The file to write and its format; a name ending in .xlsx is a workbook whatever
    the file type chosen, and other names get the chosen type's extension."""
    if is_xlsx_path(path):
        return path, XLSX
    suffix = ".xlsx" if chosen == XLSX else ".csv"
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    return path, chosen


def ask_destination(parent: QWidget, suggested: Path) -> tuple[Path, ExportFormat] | None:
    """The file and format the user chose, or None when they cancelled."""
    filters = export_filters()
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export leads", str(suggested), ";;".join(filters)
    )
    if not path:
        return None
    return destination_for(Path(path), filters.get(chosen, ExportFlavour.EXCEL_UTF8))


class ExportController(QObject):
    """Runs one export with a progress dialog; the window stays usable meanwhile."""

    done = Signal(str)  # what happened, one sentence

    def __init__(
        self,
        ctx: OperationContext,
        parent: QWidget,
        destination: Path,
        flavour: ExportFormat,
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
