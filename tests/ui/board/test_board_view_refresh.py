"""The board refreshes a column at a time after a change: never a card in no column."""

from __future__ import annotations

from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.leads import move_leads
from tests.ui.board.board_helpers import shown_board


def test_a_moved_card_shows_in_its_new_column_before_it_leaves_the_old_one(
    qtbot, runner, make_lead
) -> None:  # type: ignore[no-untyped-def]
    ada = make_lead("Ada", "cold")
    make_lead("Bo", "cold")
    board = shown_board(qtbot, runner)
    hot = board.column_for("hot").model
    seen_in_hot = []
    board.column_for("cold").model.modelAboutToBeReset.connect(
        lambda: seen_in_hot.append(hot.holds_all([ada]))
    )
    runner.run(move_leads, [ada], BoardGrouping.TEMPERATURE, "hot")
    qtbot.waitUntil(lambda: not board.column_for("cold").model.holds_all([ada]))
    assert seen_in_hot == [True]


def test_a_change_announced_while_the_board_refreshes_is_shown_too(
    qtbot, runner, make_lead
) -> None:  # type: ignore[no-untyped-def]
    ada = make_lead("Ada", "cold")
    bo = make_lead("Bo", "cold")
    board = shown_board(qtbot, runner)
    hot = board.column_for("hot").model
    moved_meanwhile = []

    def move_bo() -> None:  # halfway through showing the first change
        if not moved_meanwhile:
            moved_meanwhile.append(runner.run(move_leads, [bo], BoardGrouping.TEMPERATURE, "warm"))

    hot.modelReset.connect(move_bo)
    runner.run(move_leads, [ada], BoardGrouping.TEMPERATURE, "hot")
    shown = {"cold": [], "warm": [bo], "hot": [ada]}
    qtbot.waitUntil(lambda: {c.model.value: c.model.lead_ids for c in board.columns} == shown)
    assert moved_meanwhile
