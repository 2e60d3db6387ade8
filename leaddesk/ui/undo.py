"""Undo and redo for the window: a QUndoStack of commands that call operations.

A command is built from what an operation already did (the rows before and
after, see ``leaddesk.operations.undo_support``), so pushing it does not run the
change a second time. Undo and redo go through the runner like every other
change: one transaction each, announced so the views refresh; a step whose
fields were changed elsewhere since is refused in one sentence, never clobbered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.changes import Reports
from leaddesk.operations.context import OperationContext
from leaddesk.operations.undo_journal import JournalEntry, apply_entry, step_text
from leaddesk.operations.undo_support import (
    UndoDelta,
    apply_undo_delta,
    diff_snapshots,
    read_snapshot,
)

P = ParamSpec("P")
R = TypeVar("R", bound=Reports)

# Enough to walk back a working session; each step holds only the rows it changed.
UNDO_LIMIT = 200


class Runner(Protocol):
    """What undo needs from the window's ``OperationRunner`` (ui/runner.py).

    Named here, not imported: the runner owns the undo stack, so importing it
    back would close a circle.
    """

    @property
    def ctx(self) -> OperationContext: ...

    @property
    def undo_stack(self) -> LeadUndoStack: ...

    def run(
        self,
        operation: Callable[Concatenate[OperationContext, P], R],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R | None: ...

    def report_error(self, parent: QWidget | None, message: str) -> None: ...


class ChangeCommand(QUndoCommand):
    """One recorded change: undo writes the before side back, redo the after side."""

    def __init__(self, runner: Runner, delta: UndoDelta) -> None:
        super().__init__(delta.description)
        self._runner = runner
        self.delta = delta
        # The operation already ran when the command is pushed; the first redo is it.
        self._done = True
        self._skip_undo = False

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        if not self._refused_while_a_step_runs(undo=False):
            self._apply(undo=False)

    def undo(self) -> None:
        if self._skip_undo:
            self._skip_undo = False
            return
        if not self._refused_while_a_step_runs(undo=True):
            self._apply(undo=True)

    def _refused_while_a_step_runs(self, *, undo: bool) -> bool:
        """Refuse while a step runs off the UI thread; the stack is put back as it was.

        The stack has already counted the step undone (or redone) when it calls
        this; the opposite move, made once the stack is done, writes nothing.
        """
        stack = self._runner.undo_stack
        if not stack.steps_running:
            return False
        if undo:
            self._done = True  # the redo below only flips it back
            QTimer.singleShot(0, stack.redo)
        else:
            self._skip_undo = True
            QTimer.singleShot(0, stack.undo)
        verb = "undone" if undo else "redone"
        self._runner.report_error(
            None, f"“{self.text()}” can be {verb} once the change still running has finished."
        )
        return True

    def _apply(self, *, undo: bool) -> None:
        stack = self._runner.undo_stack
        # While a step is written back (a refusal may open a message box, whose
        # event loop runs timers), nothing else may be pushed onto the stack.
        stack.applying += 1
        try:
            if not self._write(undo=undo):
                # Refused (the lead changed since) or failed: the user has been told;
                # drop the step so the next Ctrl+Z moves on instead of repeating it.
                self.setObsolete(True)
        finally:
            stack.applying -= 1

    def _write(self, *, undo: bool) -> bool:
        return self._runner.run(apply_undo_delta, self.delta, undo=undo) is not None


class JournalCommand(ChangeCommand):
    """A change made outside the window (the command line), read from the undo journal.

    Undo and redo go through ``apply_entry``, which also marks the entry undone, so
    the journal says what the window did with it.
    """

    def __init__(self, runner: Runner, entry: JournalEntry) -> None:
        super().__init__(runner, entry.delta)
        self.entry_id = entry.id

    def _write(self, *, undo: bool) -> bool:
        return self._runner.run(apply_entry, self.entry_id, self.delta, undo=undo) is not None


def push_journal_entries(runner: Runner, entries: Iterable[JournalEntry]) -> None:
    """Add changes made outside the window to its history, oldest first.

    An entry already undone (by ``leaddesk undo-merge`` or another window) is left
    out: there is nothing left to undo.
    """
    for entry in entries:
        if not entry.undone and entry.delta:
            runner.undo_stack.push(JournalCommand(runner, entry))


class UndoScope:
    """Handed to the body of ``record``: name leads the body created, so they are covered."""

    def __init__(self) -> None:
        self.created: set[int] = set()

    def add_created(self, lead_ids: Iterable[int]) -> None:
        self.created.update(lead_ids)


class LeadUndoStack(QUndoStack):
    """The window's undo history; knows whether a step is being recorded."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setUndoLimit(UNDO_LIMIT)
        # A step recorded inside another (a form saved during a gated move)
        # belongs to the outer one.
        self.recording_depth = 0
        # A step is being undone or redone now (see ChangeCommand._apply).
        self.applying = 0
        # Steps running off the UI thread (ui/bulk_job.BulkStep): until they end,
        # undo and redo would write beside them and record the wrong "before".
        self.steps_running = 0

    @property
    def busy(self) -> bool:
        """A step is being recorded or written back: pushing another must wait."""
        return bool(self.recording_depth or self.applying)


def make_undo_stack(parent: QObject) -> LeadUndoStack:
    return LeadUndoStack(parent)


@contextmanager
def record(
    runner: Runner,
    text: str,
    lead_ids: Iterable[int],
    *,
    column: tuple[BoardGrouping, str] | None = None,
) -> Iterator[UndoScope]:
    """Record whatever the body changes to ``lead_ids`` as one undoable step.

    ``text`` names the step in the Edit menu ("Move {leads} to Hot"); ``{leads}``
    becomes the lead's name, or "3 leads". ``column`` is the board column a move
    may renumber. Nothing is pushed when the body changed nothing or raised.
    """
    ids = list(dict.fromkeys(lead_ids))
    scope = UndoScope()
    stack = runner.undo_stack
    if stack.recording_depth:
        yield scope
        return
    before = read_snapshot(runner.ctx.db, ids, column)
    stack.recording_depth += 1
    try:
        yield scope
    finally:
        stack.recording_depth -= 1
    new_ids = [lead_id for lead_id in scope.created if lead_id not in before.lead_ids]
    after = read_snapshot(runner.ctx.db, [*ids, *new_ids], column)
    delta = diff_snapshots(before, after, step_text(text, before, after, ids or new_ids))
    if delta:
        stack.push(ChangeCommand(runner, delta))
