"""A card's next follow-up changes on the board as the day's work changes it, and on undo.

The card reads the lead's stored next follow-up (storage/queries.py); these
tests run each step as the window does (one undo step through the runner) and
look at the card the board then paints.
"""

from __future__ import annotations

import datetime as dt

from leaddesk.core.fields import ActivityKind
from leaddesk.operations.activities import log_activity
from leaddesk.operations.follow_ups import add_follow_up, complete_follow_up, snooze_follow_up
from leaddesk.ui.board.model import CARD_ROLE
from tests.conftest import TEST_NOW
from tests.ui.board.board_helpers import shown_board

DAY = dt.timedelta(days=1)


def card_next_follow_up(board, lead_id: int) -> dt.datetime | None:
    model = board.column_for("cold").model
    row = model.row_of(lead_id)
    assert row is not None
    return model.index(row).data(CARD_ROLE).next_follow_up


def test_the_card_shows_the_next_follow_up_after_each_step_and_undo(
    qtbot, runner, ctx, make_lead
) -> None:
    ada = make_lead("Ada")
    add_follow_up(ctx, ada, TEST_NOW + 3 * DAY, "Send the offer")
    call = add_follow_up(ctx, ada, TEST_NOW + DAY, "Call back").value
    board = shown_board(qtbot, runner)
    assert card_next_follow_up(board, ada) == TEST_NOW + DAY

    def shows(expected: dt.datetime | None) -> None:
        qtbot.waitUntil(lambda: card_next_follow_up(board, ada) == expected)

    runner.run_undoable("Complete follow-up", [ada], complete_follow_up, call)
    shows(TEST_NOW + 3 * DAY)
    runner.undo_stack.undo()
    shows(TEST_NOW + DAY)

    runner.run_undoable("Snooze follow-up", [ada], snooze_follow_up, call, TEST_NOW + 5 * DAY)
    shows(TEST_NOW + 3 * DAY)
    runner.undo_stack.undo()
    shows(TEST_NOW + DAY)

    runner.run_undoable("Log call", [ada], log_activity, ada, ActivityKind.CALL, "No answer")
    runner.run_undoable("Plan", [ada], add_follow_up, ada, TEST_NOW - DAY, "Overdue already")
    shows(TEST_NOW - DAY)
    runner.undo_stack.undo()
    shows(TEST_NOW + DAY)
