"""The window's single door to the operations layer.

Widgets call ``runner.run(operation, ...)`` for an operation that changes data:
the runner supplies the context, turns a user mistake into a message instead of
a traceback, and announces the ``changes`` the operation reports (see
``leaddesk.operations.changes``) so every view refreshes itself. Anything that
changes no data (a query, an export to a file) goes through ``runner.read``: the
same context and error handling, nothing announced.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from leaddesk.core.fields import BoardGrouping
from leaddesk.errors import DamagedDatabaseError, ReadOnlyDatabaseError, UserError
from leaddesk.operations.changes import Changes, Reports
from leaddesk.operations.context import OperationContext
from leaddesk.ui import undo

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R", bound=Reports)
A = TypeVar("A")


# The window's own sentence for a write to a damaged database: the storage layer's
# names the command-line way out, the window offers its own in the banner.
DAMAGED_SENTENCE = (
    "The database is damaged, so LeadDesk will not change it: use Restore the latest "
    "backup or Export what can be read in the bar at the top of the window."
)


def user_sentence(error: UserError) -> str:
    """What the window says for ``error``: one sentence, the window's way out in it."""
    if isinstance(error, DamagedDatabaseError):
        return DAMAGED_SENTENCE
    return str(error)


def _show_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.warning(parent, "LeadDesk", message)


class OperationRunner(QObject):
    """Runs operations for the UI and emits ``changed`` with what they changed."""

    changed = Signal(object)  # Changes
    # A write was refused because the database is read-only or damaged (the
    # ReadOnlyDatabaseError): the database banner shows why, even when the damage
    # was only found now, by this operation.
    refused = Signal(object)

    def __init__(self, ctx: OperationContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # Replaceable so tests can collect messages instead of opening a box.
        self.report_error: Callable[[QWidget | None, str], None] = _show_error
        # Whether the window's bar can show a damaged database now (set by
        # ui/safety/database_banner.py): a refused write says so there, not in a box.
        self.damage_in_bar: Callable[[], bool] = lambda: False
        # Edit > Undo/Redo; filled by run_undoable and undoable (see ui/undo.py).
        self.undo_stack = undo.make_undo_stack(self)

    def run(
        self,
        operation: Callable[Concatenate[OperationContext, P], R],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R | None:
        """Run an operation that changes data and announce its ``changes``.

        None when it failed: the user has been told why, nothing is announced.
        """
        result = self._attempt(operation, *args, **kwargs)
        if result is not None:
            self.announce(result.changes)
        return result

    def read(
        self,
        query: Callable[Concatenate[OperationContext, P], A],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> A | None:
        """Run something that changes no data (a query, an export); announce nothing.

        None when it failed (the user has been told why).
        """
        return self._attempt(query, *args, **kwargs)

    def _attempt(
        self,
        call: Callable[Concatenate[OperationContext, P], A],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> A | None:
        """``call`` with the context; a failure becomes one message and None."""
        try:
            return call(self.ctx, *args, **kwargs)
        except ReadOnlyDatabaseError as error:
            # A busy database (DatabaseBusyError) is a plain UserError: one sentence,
            # and the edit stays where it was typed, as every failed operation's does.
            if not (isinstance(error, DamagedDatabaseError) and self.damage_in_bar()):
                self.report_error(None, user_sentence(error))
            self.refused.emit(error)
        except UserError as error:
            self.report_error(None, str(error))
        except Exception as error:
            log.exception("operation %s failed", getattr(call, "__name__", call))
            self.report_error(None, f"Something went wrong and nothing was changed: {error}")
        return None

    def run_undoable(
        self,
        text: str,
        lead_ids: Iterable[int],
        operation: Callable[Concatenate[OperationContext, P], R],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R | None:
        """``run``, recorded as one undo step named ``text`` ("Delete {leads}").

        ``lead_ids`` are the leads the operation may change; the leads it creates
        are taken from the ``changes`` it reports.
        """
        with self.undoable(text, lead_ids) as scope:
            result = self.run(operation, *args, **kwargs)
            if result is not None:
                scope.add_created(result.changes.created)
        return result

    @contextmanager
    def undoable(
        self,
        text: str,
        lead_ids: Iterable[int],
        *,
        column: tuple[BoardGrouping, str] | None = None,
    ) -> Iterator[undo.UndoScope]:
        """Everything run in the block, as one undo step (a gated move and its fields)."""
        with undo.record(self, text, lead_ids, column=column) as scope:
            yield scope

    def announce(self, changes: Changes) -> None:
        """Tell every view what changed (nothing is said when nothing did)."""
        if changes:
            self.changed.emit(changes)
