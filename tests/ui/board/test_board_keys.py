"""The board without a mouse: arrows between columns, Ctrl+Shift+arrows move cards."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from leaddesk.storage.schema import leads
from leaddesk.ui.board.view import BoardWidget
from tests.ui.board.board_helpers import shown_board

MOVE = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _temperatures(ctx, *ids: int) -> list[str]:
    with ctx.db.reading() as connection:
        rows = dict(connection.execute(select(leads.c.id, leads.c.temperature)).all())
    return [rows[i] for i in ids]


def _selected(board: BoardWidget) -> dict[str, list[int]]:
    return {
        column.model.value: ids
        for column in board.columns
        if (ids := column.view.selected_lead_ids())
    }


def test_arrows_walk_within_and_across_columns_skipping_empty_ones(qtbot, runner, make_lead):
    low = make_lead("Low", "cold")
    top = make_lead("Top", "cold")
    warm = make_lead("Warm", "warm")
    board = shown_board(qtbot, runner)
    board.select_lead(top)
    cold = board.column_for("cold").view

    qtbot.keyClick(cold, Qt.Key.Key_Down)
    assert _selected(board) == {"cold": [low]}
    qtbot.keyClick(cold, Qt.Key.Key_Right)  # the nearest row: Warm has one card
    assert _selected(board) == {"warm": [warm]}
    assert board.focusWidget() is board.column_for("warm").view
    qtbot.keyClick(board.column_for("warm").view, Qt.Key.Key_Right)  # Hot is empty: stays
    assert _selected(board) == {"warm": [warm]}
    qtbot.keyClick(board.column_for("warm").view, Qt.Key.Key_Left)
    assert _selected(board) == {"cold": [top]}  # level with Warm's first card


def test_ctrl_shift_right_moves_the_selected_cards_as_one_undo_step(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada", "cold")
    bo = make_lead("Bo", "cold")
    stays = make_lead("Stays", "cold")
    make_lead("Already warm", "warm")
    board = shown_board(qtbot, runner)
    cold = board.column_for("cold").view
    board.select_leads([ada, bo])
    steps = runner.undo_stack.count()

    qtbot.keyClick(cold, Qt.Key.Key_Right, MOVE)  # two cards: off the UI thread

    qtbot.waitUntil(lambda: board.move_step is None)
    assert _temperatures(ctx, ada, bo, stays) == ["warm", "warm", "cold"]
    # New cards go on top, so Bo is above Ada; they land on top of Warm in that order.
    qtbot.waitUntil(lambda: _selected(board) == {"warm": [bo, ada]})
    assert board.column_for("warm").model.lead_ids[:2] == [bo, ada]
    assert runner.undo_stack.count() == steps + 1
    # Again: the cards followed the move, so the next press moves them on to Hot.
    qtbot.keyClick(board.column_for("warm").view, Qt.Key.Key_Right, MOVE)
    qtbot.waitUntil(lambda: board.move_step is None)
    assert _temperatures(ctx, ada, bo) == ["hot", "hot"]
    qtbot.waitUntil(lambda: _selected(board) == {"hot": [bo, ada]})
    qtbot.keyClick(board.column_for("hot").view, Qt.Key.Key_Right, MOVE)  # no column further
    assert board.move_step is None
    assert _temperatures(ctx, ada, bo) == ["hot", "hot"]

    runner.undo_stack.undo()
    assert _temperatures(ctx, ada, bo) == ["warm", "warm"]
    assert runner.errors == []


class _Gate:
    """A move gate that always asks, answering with ``answer``."""

    def __init__(self, answer) -> None:
        self.answer = answer
        self.asked: list[tuple[list[int], str]] = []

    def gates(self, lead_ids, grouping, value):
        return {lead_id: ({}, None) for lead_id in lead_ids}

    def ask(self, lead_ids, grouping, value):
        self.asked.append((list(lead_ids), value))
        return self.answer


def test_a_keyboard_move_is_gated_as_a_drop_and_cancel_moves_nothing(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada", "warm")
    board = shown_board(qtbot, runner)
    board.move_gate = _Gate(None)
    board.select_lead(ada)

    qtbot.keyClick(board.column_for("warm").view, Qt.Key.Key_Right, MOVE)

    qtbot.waitUntil(lambda: board.move_gate.asked == [([ada], "hot")])
    assert _temperatures(ctx, ada) == ["warm"]
    board.move_gate = _Gate({ada: {"budget_range": "10k"}})
    qtbot.keyClick(board.column_for("warm").view, Qt.Key.Key_Right, MOVE)
    qtbot.waitUntil(lambda: _temperatures(ctx, ada) == ["hot"])
    qtbot.waitUntil(lambda: _selected(board) == {"hot": [ada]})


def test_enter_opens_the_selected_card(qtbot, runner, make_lead):
    ada = make_lead("Ada", "cold")
    board = shown_board(qtbot, runner)
    board.select_lead(ada)

    with qtbot.waitSignal(board.lead_activated) as opened:
        qtbot.keyClick(board.column_for("cold").view, Qt.Key.Key_Return)
    assert opened.args == [ada]


def test_switching_grouping_keeps_the_selected_card_selected(qtbot, runner, make_lead):
    from leaddesk.core.fields import BoardGrouping

    ada = make_lead("Ada", "warm", stage="mql")
    board = shown_board(qtbot, runner)
    board.select_lead(ada)

    board.set_grouping(BoardGrouping.STAGE)
    assert _selected(board) == {"mql": [ada]}
    assert board.focusWidget() is board.column_for("mql").view
    board.set_grouping(BoardGrouping.TEMPERATURE)
    assert _selected(board) == {"warm": [ada]}
