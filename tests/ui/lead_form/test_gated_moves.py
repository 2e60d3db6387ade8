"""Dragging a card hotter asks for what the target tier is missing; Cancel moves nothing."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from leaddesk.core.fields import BoardGrouping
from leaddesk.storage import lead_rows
from leaddesk.storage.schema import leads, stage_history
from leaddesk.ui.board.view import BoardWidget
from leaddesk.ui.lead_form.gate_dialog import GateDialog, MoveGate
from tests.ui.drag_and_drop import drop_cards


def _board(qtbot, runner, grouping: BoardGrouping = BoardGrouping.TEMPERATURE) -> BoardWidget:
    board = BoardWidget(runner)
    board.move_gate = MoveGate(runner, board)
    qtbot.addWidget(board)
    board.resize(1100, 700)
    board.set_grouping(grouping)
    board.show()
    qtbot.waitExposed(board)
    return board


def _answer_gate(board: BoardWidget, action) -> list[GateDialog]:
    """Run ``action(dialog)`` on the next gate dialog; the list records what opened.

    Polling stops with the board, so a dialog that never opens leaves no poll
    behind for the next test.
    """
    seen: list[GateDialog] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, GateDialog):
            seen.append(dialog)
            action(dialog)
        else:
            QTimer.singleShot(10, board, poll)

    QTimer.singleShot(0, board, poll)
    return seen


def _row(ctx, lead_id: int):
    with ctx.db.reading() as connection:
        return connection.execute(select(leads).where(leads.c.id == lead_id)).one()


def test_a_drag_to_hot_asks_for_bant_and_saves_it_with_the_move(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada", "cold", email="ada@example.com", decision_maker=True)
    board = _board(qtbot, runner)

    def fill(dialog: GateDialog) -> None:
        dialog.editors["budget_confirmed"].set_value(True)
        dialog.editors["next_step"].set_value("Contract draft")
        dialog.move_button.click()

    seen = _answer_gate(board, fill)
    drop_cards(board, [ada], "hot")
    qtbot.waitUntil(lambda: _row(ctx, ada).temperature == "hot")

    # Only what the hot tier is missing was asked; the decision maker was known.
    assert list(seen[0].editors) == [
        "budget_confirmed",
        "expected_close_date",
        "deal_value",
        "next_step",
    ]
    row = _row(ctx, ada)
    assert (row.budget_confirmed, row.next_step, row.decision_maker) == (
        True,
        "Contract draft",
        True,
    )
    qtbot.waitUntil(lambda: ada in board.column_for("hot").model.lead_ids)
    assert runner.errors == []


def test_cancel_makes_no_move_and_changes_nothing(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada", "cold", email="ada@example.com")
    before = _row(ctx, ada)
    board = _board(qtbot, runner)

    def fill_then_cancel(dialog: GateDialog) -> None:
        dialog.editors["need"].set_value("Typed, then thought better of it")
        dialog.reject()

    seen = _answer_gate(board, fill_then_cancel)
    drop_cards(board, [ada], "warm")
    qtbot.waitUntil(lambda: bool(seen))
    qtbot.wait(20)
    board.flush()

    assert _row(ctx, ada) == before
    assert board.column_for("cold").model.lead_ids == [ada]
    assert board.column_for("warm").model.lead_ids == []


def test_skip_moves_without_the_fields(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada", "cold")
    board = _board(qtbot, runner)
    _answer_gate(board, lambda dialog: dialog.skip_button.click())
    drop_cards(board, [ada], "warm")
    qtbot.waitUntil(lambda: _row(ctx, ada).temperature == "warm")
    assert _row(ctx, ada).need is None


def test_a_move_that_needs_nothing_is_made_at_once(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada", "hot")
    board = _board(qtbot, runner)
    drop_cards(board, [ada], "cold")  # colder: nothing to ask
    assert _row(ctx, ada).temperature == "cold"


def test_disqualifying_by_drag_requires_a_reason(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada", "warm")
    board = _board(qtbot, runner, BoardGrouping.STAGE)
    state: dict[str, object] = {}

    def choose_reason(dialog: GateDialog) -> None:
        state["skippable"] = dialog.skip_button is not None
        state["enabled_before"] = dialog.move_button.isEnabled()
        reason = dialog.editors["disqualification_reason"]
        reason.input.setCurrentIndex(reason.input.findData("Competitor"))
        state["enabled_after"] = dialog.move_button.isEnabled()
        dialog.move_button.click()

    _answer_gate(board, choose_reason)
    drop_cards(board, [ada], "disqualified")
    qtbot.waitUntil(lambda: _row(ctx, ada).stage == "disqualified")
    assert state == {"skippable": False, "enabled_before": False, "enabled_after": True}
    assert _row(ctx, ada).disqualification_reason == "Competitor"
    with ctx.db.reading() as connection:
        stages = connection.execute(
            select(stage_history.c.to_stage).where(stage_history.c.lead_id == ada)
        ).scalars()
        assert list(stages) == ["lead", "disqualified"]


def test_winning_by_drag_asks_the_value(qtbot, runner, ctx, make_lead, clock):
    ada = make_lead("Ada", "hot", stage="opportunity")
    board = _board(qtbot, runner, BoardGrouping.STAGE)

    def value(dialog: GateDialog) -> None:
        dialog.editors["won_value"].input.setText("8,000")
        dialog.move_button.click()

    _answer_gate(board, value)
    drop_cards(board, [ada], "customer")
    qtbot.waitUntil(lambda: _row(ctx, ada).stage == "customer")
    row = _row(ctx, ada)
    assert row.won_value_cents == 800_000
    assert row.won_date == clock.now().astimezone().date()
    assert isinstance(row.won_date, dt.date)


def test_several_cards_disqualified_together_share_one_reason(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada", "warm")
    bo = make_lead("Bo", "warm")
    board = _board(qtbot, runner, BoardGrouping.STAGE)

    titles = []

    def choose(dialog: GateDialog) -> None:
        titles.append(dialog.windowTitle())  # the dialog is gone once the move has run
        reason = dialog.editors["disqualification_reason"]
        reason.input.setCurrentIndex(reason.input.findData("No budget"))
        dialog.move_button.click()

    seen = _answer_gate(board, choose)
    drop_cards(board, [ada, bo], "disqualified")
    qtbot.waitUntil(lambda: _row(ctx, bo).stage == "disqualified")
    assert len(seen) == 1
    assert "these 2 leads" in titles[0]
    assert {_row(ctx, ada).disqualification_reason, _row(ctx, bo).disqualification_reason} == {
        "No budget"
    }


def test_several_cards_moved_hot_are_not_asked_card_by_card(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada", "cold")
    bo = make_lead("Bo", "cold")
    board = _board(qtbot, runner)
    seen = _answer_gate(board, lambda dialog: dialog.reject())
    drop_cards(board, [ada, bo], "hot")
    qtbot.waitUntil(lambda: _row(ctx, bo).temperature == "hot")
    assert _row(ctx, ada).temperature == "hot"
    assert seen == []


def test_the_gate_reads_every_dragged_lead_across_query_chunks(runner, make_lead, monkeypatch):
    monkeypatch.setattr(lead_rows, "ID_CHUNK", 2)
    cold = [make_lead(f"Cold {n}", "cold") for n in range(5)]
    already_hot = make_lead("Hot", "hot")
    needed = MoveGate(runner).gates([*cold, already_hot], BoardGrouping.TEMPERATURE, "hot")
    assert sorted(needed) == sorted(cold)
    values, gate = needed[cold[4]]
    assert values["first_name"] == "Cold 4"
    assert "next_step" in gate.fields
