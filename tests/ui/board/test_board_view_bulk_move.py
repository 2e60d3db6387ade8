"""Moving many cards on the board runs off the UI thread: one undo step, Cancel leaves all.

The move is held on a ``threading.Event`` where a test must look at the board
while it runs, then let go.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from leaddesk.errors import DamagedDatabaseError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.leads import delete_leads, move_leads_filling, update_lead
from leaddesk.ui.board import view
from leaddesk.ui.board.view import BoardWidget
from leaddesk.ui.bulk_job import PROGRESS_DELAY_MS
from leaddesk.ui.runner import DAMAGED_SENTENCE
from tests.ui.board.board_helpers import shown_board
from tests.ui.drag_and_drop import drop_cards
from tests.ui.held_operation import Held, held_operation, lead_state

COUNT = 120


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[Held]:
    """The board's move, held until ``release`` is set; ``started`` says it is running."""
    with held_operation(monkeypatch, view, "move_leads_filling", move_leads_filling) as events:
        yield events


@pytest.fixture
def board(qtbot, runner, ctx: OperationContext) -> BoardWidget:  # type: ignore[no-untyped-def]
    add_demo_leads(ctx, 400, seed=3)
    return shown_board(qtbot, runner)


def _cold_ids(board: BoardWidget) -> list[int]:
    ids = board.column_for("cold").model.lead_ids[:COUNT]
    assert len(ids) == COUNT
    return ids


def _shown_in(board: BoardWidget, ids: list[int]) -> set[str]:
    """The columns that show any of these cards, once the board has refreshed."""
    board.flush()
    return {c.model.value for c in board.columns if set(ids) & set(c.model.lead_ids)}


def _wait_for_move(qtbot, board: BoardWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: board.move_step is None, timeout=20_000)
    board.flush()


def test_many_cards_move_off_the_ui_thread_and_show_in_their_new_column(
    qtbot, board: BoardWidget, runner, held
) -> None:  # type: ignore[no-untyped-def]
    started, release = held
    ids = _cold_ids(board)
    board.select_leads(ids)
    board.move_to(ids, "warm")  # what Ctrl+Shift+Right and the menu's Move to do
    assert started.wait(5)  # returned while the move is still held on its thread
    step = board.move_step
    assert step is not None
    qtbot.waitUntil(step.progress.isVisible, timeout=PROGRESS_DELAY_MS * 10)
    assert f"Moving {COUNT} leads to Warm" in step.progress.labelText()
    # One move at a time: a second one is not taken while this one runs.
    other = board.column_for("hot").model.lead_ids[:2]
    board.move_to(other, "cold")
    assert not board.column_for("cold").view.acceptDrops()
    assert not board.card_menu(other, "hot").move_menu.isEnabled()
    assert _shown_in(board, ids) == {"cold"}  # nothing moves before the move has run

    release.set()
    _wait_for_move(qtbot, board)
    warm = board.column_for("warm")
    assert _shown_in(board, ids) == {"warm"}
    assert warm.model.lead_ids[:COUNT] == ids  # on top, in the order they had
    assert warm.view.selected_lead_ids() == ids  # still selected, in their new column
    assert _shown_in(board, other) == {"hot"}
    assert board.column_for("cold").view.acceptDrops()
    assert runner.undo_stack.count() == 1
    assert runner.undo_stack.undoText() == f"Move {COUNT} leads to Warm"
    assert not runner.errors


def test_one_undo_puts_every_moved_card_back(
    qtbot, board: BoardWidget, runner, ctx: OperationContext
) -> None:  # type: ignore[no-untyped-def]
    ids = _cold_ids(board)
    before = lead_state(ctx)
    cold_order = board.column_for("cold").model.lead_ids
    drop_cards(board, ids, "hot")  # a drag of the whole selection
    _wait_for_move(qtbot, board)
    assert _shown_in(board, ids) == {"hot"}
    assert runner.undo_stack.count() == 1

    runner.undo_stack.undo()  # Edit → Undo
    assert lead_state(ctx) == before
    assert _shown_in(board, ids) == {"cold"}
    assert board.column_for("cold").model.lead_ids == cold_order
    assert not runner.errors


def test_cancel_leaves_every_card_where_it_was(
    qtbot, board: BoardWidget, runner, ctx: OperationContext, held
) -> None:  # type: ignore[no-untyped-def]
    started, release = held
    ids = _cold_ids(board)
    before = lead_state(ctx)
    board.move_to(ids, "hot")
    assert started.wait(5)
    assert board.move_step is not None
    board.move_step.cancel()  # the progress dialog's Cancel
    release.set()  # the move commits, then is taken back in one transaction
    _wait_for_move(qtbot, board)
    assert lead_state(ctx) == before
    assert _shown_in(board, ids) == {"cold"}
    assert runner.undo_stack.count() == 0
    assert not runner.errors


def test_a_card_deleted_meanwhile_is_said_in_one_sentence_and_nothing_moves(
    qtbot, board: BoardWidget, runner, ctx: OperationContext, held
) -> None:  # type: ignore[no-untyped-def]
    started, release = held
    ids = _cold_ids(board)
    board.move_to(ids, "hot")
    assert started.wait(5)
    delete_leads(ctx, ids[:1])  # another window deletes one of the cards meanwhile
    before = lead_state(ctx)
    release.set()
    _wait_for_move(qtbot, board)
    assert lead_state(ctx) == before
    assert _shown_in(board, ids[1:]) == {"cold"}
    assert len(runner.errors) == 1
    assert runner.errors[0].endswith(".")
    assert "Traceback" not in runner.errors[0]
    assert runner.undo_stack.count() == 0


def test_undo_after_a_moved_lead_was_edited_elsewhere_is_refused_in_one_sentence(
    qtbot, board: BoardWidget, runner, ctx: OperationContext
) -> None:  # type: ignore[no-untyped-def]
    ids = _cold_ids(board)
    board.move_to(ids, "warm")
    _wait_for_move(qtbot, board)
    update_lead(ctx, ids[5], {"temperature": "hot"})  # changed after the move
    after_edit = lead_state(ctx)
    runner.undo_stack.undo()
    assert lead_state(ctx) == after_edit  # nothing written back, nothing half-undone
    assert runner.errors == [
        f"“Move {COUNT} leads to Warm” can no longer be undone or redone: "
        "the lead was changed after it."
    ]


def test_a_damaged_database_refuses_the_move_in_the_windows_sentence(
    qtbot, board: BoardWidget, runner, ctx: OperationContext, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    def damaged(*_args: Any, **_kwargs: Any) -> Any:
        raise DamagedDatabaseError("The database is damaged.")

    monkeypatch.setattr(view, "move_leads_filling", damaged)
    ids = _cold_ids(board)
    before = lead_state(ctx)
    board.move_to(ids, "hot")
    _wait_for_move(qtbot, board)
    assert lead_state(ctx) == before
    assert runner.errors == [DAMAGED_SENTENCE]
    assert runner.undo_stack.count() == 0


def test_one_card_still_moves_at_once(qtbot, board: BoardWidget, runner) -> None:  # type: ignore[no-untyped-def]
    lead = _cold_ids(board)[0]
    drop_cards(board, [lead], "hot")
    assert board.move_step is None  # no worker: one card moves in a few milliseconds
    assert _shown_in(board, [lead]) == {"hot"}
    assert runner.undo_stack.count() == 1
