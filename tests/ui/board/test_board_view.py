"""The board as a user drives it: drag and drop through the views, headers."""

from __future__ import annotations

from sqlalchemy import select

from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.leads import update_lead
from leaddesk.storage.schema import leads, stage_history
from leaddesk.ui.board.column import format_money
from tests.ui.board.board_helpers import shown_board
from tests.ui.drag_and_drop import drop_cards


def _temperature(ctx, lead_id: int) -> str:
    with ctx.db.reading() as connection:
        return connection.execute(select(leads.c.temperature).where(leads.c.id == lead_id)).scalar()


def test_drag_between_columns_saves_at_once_and_both_columns_refresh(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada", "cold")
    make_lead("Bo", "hot")
    board = shown_board(qtbot, runner)

    drop_cards(board, [ada], "hot")

    # Saved in the database immediately, before any view refresh.
    assert _temperature(ctx, ada) == "hot"
    # The column that gains the card shows first: for a moment it is in both, never
    # in neither.
    qtbot.waitUntil(lambda: ada not in board.column_for("cold").model.lead_ids)
    assert ada in board.column_for("hot").model.lead_ids
    qtbot.waitUntil(lambda: board.column_for("hot").header.count.text() == "2")
    assert board.column_for("cold").header.count.text() == "0"
    assert runner.errors == []


def test_drag_within_a_column_reorders_and_persists(qtbot, runner, ctx, make_lead):
    bottom = make_lead("Bottom")
    middle = make_lead("Middle")
    top = make_lead("Top")
    board = shown_board(qtbot, runner)
    assert board.column_for("cold").model.lead_ids == [top, middle, bottom]

    drop_cards(board, [top], "cold")  # to the end of its own column
    qtbot.waitUntil(lambda: board.column_for("cold").model.lead_ids == [middle, bottom, top])

    drop_cards(board, [bottom], "cold", above_row=0)  # to the very top
    qtbot.waitUntil(lambda: board.column_for("cold").model.lead_ids == [bottom, middle, top])

    # A fresh board (as after a restart) shows the same order.
    again = shown_board(qtbot, runner)
    assert again.column_for("cold").model.lead_ids == [bottom, middle, top]


def test_drop_between_two_cards_of_another_column(qtbot, runner, ctx, make_lead):
    lower = make_lead("Lower", "warm")
    upper = make_lead("Upper", "warm")
    mover = make_lead("Mover", "cold")
    board = shown_board(qtbot, runner)

    drop_cards(board, [mover], "warm", above_row=1)

    qtbot.waitUntil(lambda: board.column_for("warm").model.lead_ids == [upper, mover, lower])
    assert _temperature(ctx, mover) == "warm"


def test_stage_board_drag_records_stage_history(qtbot, runner, ctx, make_lead):
    lead = make_lead("Staged", stage="mql")
    board = shown_board(qtbot, runner)
    board.set_grouping(BoardGrouping.STAGE)
    assert [c.header.title.text() for c in board.columns][:3] == ["Lead", "MQL", "SQL"]

    drop_cards(board, [lead], "opportunity")

    qtbot.waitUntil(lambda: lead in board.column_for("opportunity").model.lead_ids)
    with ctx.db.reading() as connection:
        history = connection.execute(
            select(stage_history.c.from_stage, stage_history.c.to_stage)
            .where(stage_history.c.lead_id == lead)
            .order_by(stage_history.c.id)
        ).all()
    assert history[-1] == ("mql", "opportunity")


def test_headers_show_count_and_total_deal_value(qtbot, runner, make_lead):
    make_lead("Rich", "hot", deal_value=1_250_000)
    make_lead("Richer", "hot", deal_value=3_000_050)
    make_lead("Cold one", "cold")
    board = shown_board(qtbot, runner)
    hot = board.column_for("hot").header
    assert hot.count.text() == "2"
    assert hot.value.text() == f"Σ {format_money(4_250_050)}"
    assert board.column_for("cold").header.value.text() == ""


def test_changes_made_elsewhere_refresh_the_card(qtbot, runner, ctx, make_lead):
    lead = make_lead("Before")
    board = shown_board(qtbot, runner)
    runner.run(update_lead, lead, {"first_name": "After"})
    column = board.column_for("cold")
    qtbot.waitUntil(lambda: column.model.index(0).data() == "After")


def test_format_money_groups_digits():
    assert format_money(123_456_789) == "1,234,568"
