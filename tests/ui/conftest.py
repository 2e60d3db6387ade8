"""Fixtures for widget tests: a runner whose errors are collected, not shown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.ui.runner import OperationRunner


class CollectingRunner(OperationRunner):
    def __init__(self, ctx: OperationContext) -> None:
        super().__init__(ctx)
        self.errors: list[str] = []
        self.report_error = lambda _parent, message: self.errors.append(message)


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
