"""A bulk action runs off the UI thread: the window keeps going, Cancel leaves nothing.

The operation is held on a ``threading.Event`` so the tests can look at the
window while it is running, then let it go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from leaddesk.core.fields import BoardGrouping
from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.leads import move_leads_filling, update_lead
from leaddesk.storage.schema import leads
from leaddesk.ui import bulk_job
from leaddesk.ui.bulk_job import PROGRESS_DELAY_MS
from leaddesk.ui.table import bulk_actions
from leaddesk.ui.table.view import LeadTableWidget
from leaddesk.ui.undo import record
from tests.ui.held_operation import Held, held_operation, lead_state


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[Held]:
    """The bulk move, held until ``release`` is set; ``started`` says it is running."""
    with held_operation(
        monkeypatch, bulk_actions, "move_leads_filling", move_leads_filling
    ) as events:
        yield events


@pytest.fixture
def table(qtbot, runner, ctx: OperationContext) -> LeadTableWidget:  # type: ignore[no-untyped-def]
    add_demo_leads(ctx, 200, seed=3)
    widget = LeadTableWidget(runner)
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    ids = [widget.model.lead_id_at(row) for row in range(150)]
    widget.select_leads(ids)
    widget.actions_.gate.ask = lambda *_args: {}  # type: ignore[method-assign]
    return widget


def _move(table: LeadTableWidget) -> Callable[[], None]:
    return lambda: table.actions_.move(BoardGrouping.STAGE, "opportunity")


def test_the_window_keeps_working_and_shows_progress_while_a_bulk_move_runs(
    qtbot, table: LeadTableWidget, runner, ctx: OperationContext, held
) -> None:  # type: ignore[no-untyped-def]
    started, release = held
    _move(table)()  # returns while the move is still held on its worker thread
    assert started.wait(5)
    assert not release.is_set()
    step = table.actions_.step
    assert step is not None
    assert not table.actions_.log_action.isEnabled()  # one bulk step at a time
    qtbot.waitUntil(step.progress.isVisible, timeout=PROGRESS_DELAY_MS * 10)
    assert "Moving 150 leads to Opportunity" in step.progress.labelText()
    table.view.scrollToBottom()  # the window still answers
    assert table.grab().width() == table.width()
    with qtbot.waitSignal(table.actions_.step_finished, timeout=20_000) as finished:
        release.set()
    assert finished.args == [True]
    assert table.actions_.step is None
    assert table.actions_.log_action.isEnabled()
    with ctx.db.reading() as connection:
        ids = table.selected_lead_ids()
        stages = set(connection.execute(select(leads.c.stage).where(leads.c.id.in_(ids))).scalars())
    assert stages == {"opportunity"}
    assert runner.undo_stack.count() == 1
    assert runner.undo_stack.undoText() == "Move 150 leads to Opportunity"
    assert not runner.errors


def test_cancel_while_the_move_runs_leaves_nothing_and_no_undo_step(
    qtbot, table: LeadTableWidget, runner, ctx: OperationContext, held
) -> None:  # type: ignore[no-untyped-def]
    started, release = held
    before = lead_state(ctx)
    _move(table)()
    assert started.wait(5)
    assert table.actions_.step is not None
    table.actions_.step.cancel()
    with qtbot.waitSignal(table.actions_.step_finished, timeout=20_000) as finished:
        release.set()  # the move commits, then is taken back
    assert finished.args == [False]
    assert lead_state(ctx) == before
    assert runner.undo_stack.count() == 0
    assert not runner.errors


def test_a_refused_bulk_move_says_why_in_one_sentence(
    qtbot, table: LeadTableWidget, runner, ctx: OperationContext
) -> None:  # type: ignore[no-untyped-def]
    from leaddesk.operations.leads import delete_leads

    chosen = table.selected_lead_ids()
    delete_leads(ctx, chosen[:1])  # deleted elsewhere after it was selected
    before = lead_state(ctx)
    with qtbot.waitSignal(table.actions_.step_finished, timeout=20_000) as finished:
        _move(table)()
    assert finished.args == [False]
    assert lead_state(ctx) == before
    assert len(runner.errors) == 1
    assert runner.errors[0].endswith(".")
    assert runner.undo_stack.count() == 0


def test_a_thousand_of_ten_thousand_leads_move_and_undo_as_one_step(
    qtbot, runner, ctx: OperationContext
) -> None:  # type: ignore[no-untyped-def]
    add_demo_leads(ctx, 10_000, seed=5)
    widget = LeadTableWidget(runner)
    qtbot.addWidget(widget)
    ids = widget.model.lead_ids[:1000]  # the top 1,000 by score
    widget.select_leads(ids)
    widget.actions_.gate.ask = lambda *_args: {}  # type: ignore[method-assign]
    before = lead_state(ctx)
    with qtbot.waitSignal(widget.actions_.step_finished, timeout=60_000):
        widget.actions_.move(BoardGrouping.STAGE, "opportunity")
    with ctx.db.reading() as connection:
        moved = connection.execute(
            select(leads.c.id).where(leads.c.stage == "opportunity", leads.c.id.in_(ids))
        ).all()
    assert len(moved) == 1000
    assert runner.undo_stack.count() == 1
    assert runner.undo_stack.undoText() == "Move 1000 leads to Opportunity"
    runner.undo_stack.undo()
    assert lead_state(ctx) == before
    assert not runner.errors


def _job_title(ctx: OperationContext, lead_id: int) -> Any:
    with ctx.db.reading() as connection:
        return connection.execute(select(leads.c.job_title).where(leads.c.id == lead_id)).scalar()


def test_undo_waits_until_a_bulk_move_has_finished(
    qtbot, table: LeadTableWidget, runner, ctx: OperationContext, held
) -> None:  # type: ignore[no-untyped-def]
    started, release = held
    first = table.selected_lead_ids()[0]
    with record(runner, "Give {leads} a title", [first]):
        update_lead(ctx, first, {"job_title": "Buyer"})
    stack = runner.undo_stack
    _move(table)()
    assert started.wait(5)

    stack.undo()  # Ctrl+Z before the progress dialog (and its modality) shows
    qtbot.waitUntil(lambda: stack.index() == 1 and stack.canUndo())
    assert _job_title(ctx, first) == "Buyer"  # nothing written beside the move
    assert len(runner.errors) == 1
    assert "once the change still running has finished" in runner.errors[0]

    with qtbot.waitSignal(table.actions_.step_finished, timeout=20_000):
        release.set()
    runner.errors.clear()
    assert stack.count() == 2
    stack.undo()  # the move
    stack.undo()  # then the title, as ever
    assert _job_title(ctx, first) != "Buyer"
    assert not runner.errors


def test_a_cancel_that_cannot_take_the_move_back_says_so_and_keeps_it_undoable(
    qtbot, table: LeadTableWidget, runner, ctx: OperationContext, held, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    started, release = held

    def changed_meanwhile(*_args: Any, **_kwargs: Any) -> None:
        raise UserError("A lead was changed after it.")

    monkeypatch.setattr(bulk_job, "apply_undo_delta", changed_meanwhile)
    _move(table)()
    assert started.wait(5)
    assert table.actions_.step is not None
    table.actions_.step.cancel()
    with qtbot.waitSignal(table.actions_.step_finished, timeout=20_000) as finished:
        release.set()  # the move commits; taking it back is refused

    assert finished.args == [True]
    assert runner.undo_stack.undoText() == "Move 150 leads to Opportunity"
    assert len(runner.errors) == 1
    assert "could not be taken back" in runner.errors[0]
    assert "Edit → Undo can still undo it" in runner.errors[0]
