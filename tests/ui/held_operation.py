"""An operation held on a ``threading.Event`` while a test looks at the window.

Background work (a bulk action of the table, a move of many board cards) runs
its operation on a worker thread; a test holds it there, looks at what the
window shows meanwhile (progress, refused second moves, Cancel), then lets go.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select

from leaddesk.operations.context import OperationContext
from leaddesk.storage.schema import leads, stage_history

Held = tuple[threading.Event, threading.Event]
"""(started: the operation is running, release: set it to let the operation go on)."""


@contextmanager
def held_operation(
    monkeypatch: pytest.MonkeyPatch, module: object, name: str, operation: Callable[..., Any]
) -> Iterator[Held]:
    """``module.name`` replaced by ``operation`` held until ``release`` is set."""
    started, release = threading.Event(), threading.Event()

    def held(*args: Any, **kwargs: Any) -> Any:
        started.set()
        if not release.wait(20):
            raise AssertionError("the test never released the operation")
        return operation(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    try:
        yield started, release
    finally:
        release.set()


def lead_state(ctx: OperationContext) -> tuple[list[tuple[Any, ...]], int]:
    """Every lead row and the number of stage changes: what a cancelled step leaves as it was."""
    with ctx.db.reading() as connection:
        rows = [tuple(row) for row in connection.execute(select(leads).order_by(leads.c.id))]
        history = len(connection.execute(select(stage_history.c.id)).all())
    return rows, history
