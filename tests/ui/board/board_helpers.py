"""The board as the board tests show it: a real BoardWidget, shown and exposed."""

from __future__ import annotations

from leaddesk.ui.board.view import BoardWidget
from leaddesk.ui.runner import OperationRunner


def shown_board(qtbot, runner: OperationRunner) -> BoardWidget:
    """A board 1000 x 700 on screen, closed with its test."""
    board = BoardWidget(runner)
    qtbot.addWidget(board)
    board.resize(1000, 700)
    board.show()
    qtbot.waitExposed(board)
    return board
