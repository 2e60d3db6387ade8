"""After an import of another system's history the board does not turn red."""

from __future__ import annotations

import datetime as dt

from leaddesk.core.agenda import sla_status
from leaddesk.core.clock import FixedClock
from leaddesk.operations.importing import ImportOptions, import_csv
from leaddesk.ui.board.card_badges import sla_badge_text
from leaddesk.ui.board.model import AWAITING_CONTACT_ROLE


def _badges(board, clock: FixedClock) -> dict[str, str | None]:
    """Each card's speed-to-lead badge, as the delegate paints it."""
    badges: dict[str, str | None] = {}
    for temperature in ("hot", "warm", "cold"):
        model = board.column_for(temperature).model
        for row in range(model.rowCount()):
            index = model.index(row)
            awaiting = index.data(AWAITING_CONTACT_ROLE)
            status = (
                None
                if awaiting is None
                else sla_status(
                    awaiting, temperature, None, clock.now(), board.delegate.sla_minutes
                )
            )
            badges[index.data()] = None if status is None else sla_badge_text(status)
    return badges


def test_leads_created_200_days_ago_have_no_overdue_badge(qtbot, runner, ctx, tmp_path):
    from leaddesk.ui.board.view import BoardWidget

    history = tmp_path / "history.csv"
    history.write_text(
        "First Name,Last Name,Email,Rating,Create Date\r\n"
        + "".join(
            f"Old{i},Lead,old{i}@example.com,{temperature},2026-05-01 09:00\r\n"
            for i, temperature in enumerate(("hot", "warm", "cold"))
        )
        + "Fresh,Enquiry,fresh@example.com,hot,\r\n",
        encoding="utf-8",
    )
    result = runner.run(import_csv, history, ImportOptions())
    assert result is not None
    assert result.countdowns == 1
    clock: FixedClock = ctx.clock
    clock.advance(dt.timedelta(minutes=1))
    board = BoardWidget(runner)
    qtbot.addWidget(board)

    badges = _badges(board, clock)

    assert badges == {
        "Old0 Lead": None,
        "Old1 Lead": None,
        "Old2 Lead": None,
        "Fresh Enquiry": "Reply in 4 min",
    }
    clock.advance(dt.timedelta(minutes=10))
    board.flush()
    assert _badges(board, clock)["Fresh Enquiry"] == "SLA overdue 6 min"
