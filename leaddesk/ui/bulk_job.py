"""A change to many leads on a worker thread: progress, cancel, and still one undo step.

Used by the lead table's bulk actions and the board's moves of several cards.
On the UI thread a change to thousands of leads would freeze the window
for as long as it takes to read the undo snapshots and write the rows. Here the
whole undoable step (snapshot, operation, snapshot, difference) runs on a
``BackgroundJob``; the window keeps painting behind a window-modal progress
dialog that appears only when the step takes noticeably long. Back on the UI
thread the step is announced and pushed on the undo stack exactly as
``OperationRunner.run_undoable`` does it.

The operation itself is one transaction and cannot stop half-way. *Cancel*
therefore stops before it starts, or, once it has run, writes the before side
of its own difference back (the same exact restore as Undo), so a cancelled
action leaves nothing behind and nothing on the undo stack.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from leaddesk.core.fields import BoardGrouping
from leaddesk.errors import DamagedDatabaseError, ReadOnlyDatabaseError, UserError
from leaddesk.operations.changes import Reports
from leaddesk.operations.undo_journal import step_text
from leaddesk.operations.undo_support import (
    UndoDelta,
    apply_undo_delta,
    diff_snapshots,
    read_snapshot,
)
from leaddesk.ui.background import BackgroundJob, ProgressCallback
from leaddesk.ui.runner import OperationRunner, user_sentence
from leaddesk.ui.undo import ChangeCommand

# Quick steps finish before the progress dialog would show: no flash.
PROGRESS_DELAY_MS = 400
# The step's phases, as progress: before snapshot, operation, after snapshot.
_PHASES = 3


class BulkCancelled(Exception):
    """The user cancelled the step; nothing it did is left."""


@dataclass(frozen=True, slots=True)
class _Done:
    """What the worker hands back to the UI thread."""

    outcome: Reports | None
    delta: UndoDelta | None
    refused: ReadOnlyDatabaseError | None = None
    kept_after_cancel: bool = False
    """Cancelled after the change was written, and it could not be taken back."""


class BulkStep(QObject):
    """One undoable operation over ``lead_ids``, run off the UI thread."""

    # The step is over (done, failed or cancelled); True when it changed data.
    finished = Signal(bool)

    def __init__(
        self,
        runner: OperationRunner,
        text: str,
        lead_ids: Sequence[int],
        operation: Callable[..., Reports],
        args: tuple[Any, ...],
        *,
        label: str,
        parent: QWidget,
        column: tuple[BoardGrouping, str] | None = None,
    ) -> None:
        """``column``: the board column whose ranks the step may renumber (see
        ``undo_support.renumber_scope``); its ranks are recorded for undo too."""
        super().__init__(parent)
        self._runner = runner
        self._text = text
        self._ids = list(dict.fromkeys(lead_ids))
        self._operation = operation
        self._args = args
        self._column = column
        self._changed = False
        self._running = False
        self.job = BackgroundJob(
            self._work, cancelled_errors=(BulkCancelled,), what=text, parent=self
        )
        self.progress = QProgressDialog(label, "Cancel", 0, _PHASES, parent.window())
        self.progress.setWindowTitle("LeadDesk")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(PROGRESS_DELAY_MS)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.job.cancel)
        self.job.progressed.connect(lambda done, _total: self.progress.setValue(int(done)))
        self.job.succeeded.connect(self._succeeded)
        self.job.failed.connect(lambda message: self._runner.report_error(None, message))
        self.job.finished.connect(self._finished)
        # Quitting meanwhile must not destroy the thread while it works: the step
        # is cancelled (taken back) and waited for.
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.job.wait)

    def start(self) -> None:
        self.progress.setValue(0)
        # Undo and redo wait for the step (see ChangeCommand): the progress
        # dialog, which blocks them too, shows only after PROGRESS_DELAY_MS.
        self._runner.undo_stack.steps_running += 1
        self._running = True
        self.job.start()

    def cancel(self) -> None:
        """What the dialog's Cancel button (or Escape) does."""
        self.progress.canceled.emit()

    # -- on the worker thread ------------------------------------------------

    def _work(self, progress: ProgressCallback, should_cancel: Callable[[], bool]) -> _Done:
        ctx = self._runner.ctx
        before = read_snapshot(ctx.db, self._ids, self._column)
        progress(1, _PHASES)
        if should_cancel():
            raise BulkCancelled
        try:
            outcome = self._operation(ctx, *self._args)
        except ReadOnlyDatabaseError as error:
            return _Done(None, None, refused=error)
        progress(2, _PHASES)
        created = [i for i in outcome.changes.created if i not in before.lead_ids]
        after = read_snapshot(ctx.db, [*self._ids, *created], self._column)
        delta = diff_snapshots(before, after, step_text(self._text, before, after, self._ids))
        if should_cancel() and delta:
            try:
                apply_undo_delta(ctx, delta, undo=True)
            except UserError:
                # Changed meanwhile: the step stays, stays undoable, and the user is told.
                return _Done(outcome, delta, kept_after_cancel=True)
            raise BulkCancelled
        progress(3, _PHASES)
        return _Done(outcome, delta)

    # -- back on the UI thread -----------------------------------------------

    def _succeeded(self, done: _Done) -> None:
        if done.refused is not None:
            # As the runner does it: a damaged database the bar already shows is said there.
            damaged = isinstance(done.refused, DamagedDatabaseError)
            if not (damaged and self._runner.damage_in_bar()):
                self._runner.report_error(None, user_sentence(done.refused))
            self._runner.refused.emit(done.refused)
            return
        if done.outcome is not None:
            self._runner.announce(done.outcome.changes)
        if done.delta:
            self._runner.undo_stack.push(ChangeCommand(self._runner, done.delta))
            self._changed = True
        if done.kept_after_cancel and done.delta:
            self._runner.report_error(
                None,
                f"“{done.delta.description}” had already been done and could not be taken "
                "back, because a lead was changed meanwhile; Edit → Undo can still undo it.",
            )

    def _finished(self) -> None:
        if self._running:
            self._running = False
            self._runner.undo_stack.steps_running -= 1
        self.progress.reset()
        self.progress.hide()
        self.progress.deleteLater()
        self.finished.emit(self._changed)
        self.deleteLater()
