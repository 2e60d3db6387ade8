"""Running ``import_csv`` in the background (see leaddesk.ui.background)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject

from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import (
    ImportCancelled,
    ImportOptions,
    ImportResult,
    import_csv,
)
from leaddesk.ui.background import BackgroundJob, ProgressCallback


def _run_import(
    ctx: OperationContext,
    path: Path,
    options: ImportOptions,
    progress: ProgressCallback,
    should_cancel: Callable[[], bool],
) -> ImportResult:
    return import_csv(ctx, path, options, progress=progress, should_cancel=should_cancel)


class ImportJob(BackgroundJob):
    """One import on its own thread; emits ``succeeded(ImportResult)`` on the UI thread."""

    def __init__(
        self,
        ctx: OperationContext,
        path: Path,
        options: ImportOptions,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(
            partial(_run_import, ctx, path, options),
            cancelled_errors=(ImportCancelled,),
            what=f"import of {path.name}",
            parent=parent,
        )
