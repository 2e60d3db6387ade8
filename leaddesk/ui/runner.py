"""The window's single door to the operations layer.

Widgets call ``runner.run(operation, ...)``; the runner supplies the context,
turns a user mistake into a message instead of a traceback, and announces what
changed so every view refreshes itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes
from leaddesk.operations.context import OperationContext

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

    def announce(self, result: Any) -> None:
        changes = result[1] if isinstance(result, tuple) else result
        if isinstance(changes, Changes) and changes:
            self.changed.emit(changes)
