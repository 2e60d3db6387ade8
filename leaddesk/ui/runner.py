"""The window's single door to the operations layer.

Widgets call ``runner.run(operation, ...)``; the runner supplies the context,
turns a user mistake into a message instead of a traceback, and announces what
changed so every view refreshes itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from leaddesk.core.fields import BoardGrouping
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes
from leaddesk.operations.context import OperationContext
from leaddesk.ui import undo

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


def _show_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.warning(parent, "LeadDesk", message)


class OperationRunner(QObject):
    """Runs operations for the UI and emits ``changed`` with what they changed."""

    changed = Signal(object)  # Changes

    def __init__(self, ctx: OperationContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # Replaceable so tests can collect messages instead of opening a box.
        self.report_error: Callable[[QWidget | None, str], None] = _show_error
        # Edit > Undo/Redo; filled by run_undoable and undoable (see ui/undo.py).
        self.undo_stack = undo.make_undo_stack(self)

    def run(
        self,
        operation: Callable[Concatenate[OperationContext, P], R],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R | None:
        """Run ``operation``; None when it failed (the user has been told why)."""
        try:
            result = operation(self.ctx, *args, **kwargs)
        except UserError as error:
            self.report_error(None, str(error))
            return None
        except Exception as error:
            log.exception("operation %s failed", getattr(operation, "__name__", operation))
            self.report_error(None, f"Something went wrong and nothing was changed: {error}")
            return None
        self.announce(result)
        return result

    def run_undoable(
        self,
        text: str,
        lead_ids: Iterable[int],
        operation: Callable[Concatenate[OperationContext, P], R],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R | None:
        """``run``, recorded as one undo step named ``text`` ("Delete {leads}").

        ``lead_ids`` are the leads the operation may change; a lead it creates is
        taken from the ``Changes`` it returns.
        """
        with self.undoable(text, lead_ids) as scope:
            result = self.run(operation, *args, **kwargs)
            changes = result[1] if isinstance(result, tuple) else result
            if isinstance(changes, Changes):
                scope.add_created(changes.created)
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

    def announce(self, result: Any) -> None:
        changes = result[1] if isinstance(result, tuple) else result
        if isinstance(changes, Changes) and changes:
            self.changed.emit(changes)
