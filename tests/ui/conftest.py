"""Fixtures for widget tests: a runner whose errors are collected, not shown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.ui.background import work_running
from leaddesk.ui.lead_form import dialog as lead_dialog
from leaddesk.ui.runner import OperationRunner


class CollectingRunner(OperationRunner):
    def __init__(self, ctx: OperationContext) -> None:
        super().__init__(ctx)
        self.errors: list[str] = []
        self.report_error = lambda _parent, message: self.errors.append(message)


@pytest.fixture(autouse=True)
def _background_work_ended_at_teardown(qtbot) -> Iterator[None]:
    """A test ends when the background work it started has ended: a job still running
    (a workbook read, a daily backup) would make the next test's restore or import
    wait for it, and fail for a reason that is not its own."""
    yield
    if work_running():
        qtbot.waitUntil(lambda: not work_running(), timeout=30_000)


@pytest.fixture(autouse=True)
def _discard_when_closed_at_teardown(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lead dialog left with unsaved edits is closed when its test ends: answer
    Discard instead of opening a message box nobody is there to answer. Tests of the
    question itself set the dialog's ``confirm_discard``."""
    monkeypatch.setattr(lead_dialog, "ask_to_discard", lambda _parent: True)


@pytest.fixture
def runner(qapp, ctx: OperationContext) -> Iterator[CollectingRunner]:
    collecting = CollectingRunner(ctx)
    yield collecting
    collecting.deleteLater()


@pytest.fixture
def make_lead(ctx: OperationContext):
    def make(first_name: str, temperature: str = "cold", **values: object) -> int:
        return create_lead(
            ctx, {"first_name": first_name, "temperature": temperature, **values}
        ).value

    return make
