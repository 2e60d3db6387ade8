"""A change made in the window is recorded as the team member marked "me", not the login."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leaddesk.core.clock import FixedClock
from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.operations.owners import introduce_myself
from leaddesk.storage.database import Database
from leaddesk.storage.schema import activities, stage_history
from tests.ui.board.board_helpers import shown_board
from tests.ui.conftest import CollectingRunner
from tests.ui.drag_and_drop import drop_cards


def test_a_drag_and_a_logged_call_carry_the_name_given_at_first_run(
    qtbot, qapp, db: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "root")
    runner = CollectingRunner(OperationContext.as_me(db, clock))  # as the window starts
    runner.run(introduce_myself, "Lucía Torres")  # the first-run dialog's OK
    lead = create_lead(runner.ctx, {"first_name": "Staged", "stage": "mql"}).value
    board = shown_board(qtbot, runner)
    board.set_grouping(BoardGrouping.STAGE)

    drop_cards(board, [lead], "opportunity")
    qtbot.waitUntil(lambda: lead in board.column_for("opportunity").model.lead_ids)
    runner.run(log_activity, lead, "call", "Rang them")

    with db.reading() as connection:
        changed_by = connection.execute(
            select(stage_history.c.changed_by).order_by(stage_history.c.id.desc())
        ).scalar()
        created_by = connection.execute(select(activities.c.created_by)).scalar()
    assert (changed_by, created_by) == ("Lucía Torres", "Lucía Torres")
    assert runner.errors == []
    runner.deleteLater()
