"""The card menu: every action on the selected cards, without a drag."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu
from sqlalchemy import func, select

from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.owners import add_owner
from leaddesk.storage.schema import activities, follow_ups, leads
from leaddesk.ui.agenda.next_step import NextStepDialog
from tests.ui.board.board_helpers import shown_board


def _column_of(ctx, lead_id: int, column: str = "temperature") -> str:
    with ctx.db.reading() as connection:
        return connection.execute(select(leads.c[column]).where(leads.c.id == lead_id)).scalar()


def _count(ctx, table, lead_id: int) -> int:
    with ctx.db.reading() as connection:
        query = select(func.count()).select_from(table).where(table.c.lead_id == lead_id)
        return connection.execute(query).scalar()


def _answer_next_modal(kind, answer) -> None:
    """Run ``answer(dialog)`` on the next modal dialog of type ``kind`` once it shows."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            answer(dialog)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def test_menu_lists_every_action_and_move_targets_follow_the_grouping(qtbot, runner, make_lead):
    ada = make_lead("Ada", "warm")
    board = shown_board(qtbot, runner)

    menu = board.card_menu([ada], "warm")
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert texts == [
        "&Open",
        "&Move to",
        "&Log call…",
        "&Plan follow-up…",
        "&Assign to",
        "&Delete…",
    ]
    targets = {value: action.isEnabled() for value, action in menu.move_actions.items()}
    assert targets == {"cold": True, "warm": False, "hot": True}

    board.set_grouping(BoardGrouping.STAGE)
    stage_menu = board.card_menu([ada], "lead")
    assert list(stage_menu.move_actions) == [stage.value for stage in BoardGrouping.STAGE.values]


def test_move_to_moves_every_selected_card_as_one_undo_step(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada", "cold")
    bo = make_lead("Bo", "cold")
    board = shown_board(qtbot, runner)
    board.select_leads([ada, bo])
    steps = runner.undo_stack.count()

    board.card_menu([ada, bo], "cold").move_actions["hot"].trigger()

    qtbot.waitUntil(lambda: board.move_step is None)  # several cards: off the UI thread
    assert (_column_of(ctx, ada), _column_of(ctx, bo)) == ("hot", "hot")
    assert runner.undo_stack.count() == steps + 1
    qtbot.waitUntil(lambda: board.column_for("hot").view.selected_lead_ids() == [ada, bo])
    runner.undo_stack.undo()
    assert (_column_of(ctx, ada), _column_of(ctx, bo)) == ("cold", "cold")


def test_move_to_is_gated_as_a_drop(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada", "cold")
    board = shown_board(qtbot, runner)
    asked = []

    class Gate:
        def gates(self, lead_ids, grouping, value):
            return {ada: ({}, None)}

        def ask(self, lead_ids, grouping, value):
            asked.append(value)

    board.move_gate = Gate()
    board.card_menu([ada], "cold").move_actions["hot"].trigger()
    qtbot.waitUntil(lambda: asked == ["hot"])
    assert _column_of(ctx, ada) == "cold"  # cancelled: no move


def test_assign_to_gives_all_selected_cards_to_the_member_in_one_step(
    qtbot, runner, ctx, make_lead
):
    ada = make_lead("Ada")
    bo = make_lead("Bo")
    sam = add_owner(ctx, "Sam").value
    board = shown_board(qtbot, runner)
    steps = runner.undo_stack.count()

    menu = board.card_menu([ada, bo], "cold")
    menu.assign_actions[sam].trigger()

    with ctx.db.reading() as connection:
        owned = connection.execute(select(leads.c.owner_id).where(leads.c.id.in_([ada, bo])))
        assert set(owned.scalars()) == {sam}
    assert runner.undo_stack.count() == steps + 1
    assert runner.undo_stack.undoText() == "Assign 2 leads to Sam"


def test_log_call_logs_on_every_selected_card(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada")
    bo = make_lead("Bo")
    board = shown_board(qtbot, runner)

    def answer(dialog: QInputDialog) -> None:
        dialog.setTextValue("Left a voicemail")
        dialog.accept()

    _answer_next_modal(QInputDialog, answer)
    board.card_menu([ada, bo], "cold").log_action.trigger()

    assert (_count(ctx, activities, ada), _count(ctx, activities, bo)) == (1, 1)
    assert runner.undo_stack.undoText() == "Undo Log call on 2 leads".removeprefix("Undo ")


def test_plan_follow_up_for_several_uses_the_next_step_dialog_once(qtbot, runner, ctx, make_lead):
    ada = make_lead("Ada")
    bo = make_lead("Bo")
    board = shown_board(qtbot, runner)
    seen: list[NextStepDialog] = []

    def answer(dialog: NextStepDialog) -> None:
        seen.append(dialog)
        assert dialog.close_button is None  # closing is one lead at a time
        dialog.note.setText("Send the price list")
        dialog.accept()

    _answer_next_modal(NextStepDialog, answer)
    board.card_menu([ada, bo], "cold").plan_action.trigger()

    assert len(seen) == 1
    assert (_count(ctx, follow_ups, ada), _count(ctx, follow_ups, bo)) == (1, 1)
    runner.undo_stack.undo()
    assert (_count(ctx, follow_ups, ada), _count(ctx, follow_ups, bo)) == (0, 0)


def test_open_and_delete_go_to_the_window(qtbot, runner, make_lead):
    ada = make_lead("Ada")
    board = shown_board(qtbot, runner)
    menu = board.card_menu([ada], "cold")
    with qtbot.waitSignal(board.lead_activated) as opened:
        menu.open_action.trigger()
    assert opened.args == [ada]
    with qtbot.waitSignal(board.delete_requested):
        menu.delete_action.trigger()
    several = board.card_menu([ada, make_lead("Bo")], "cold")
    assert several.delete_action.text() == "&Delete 2 leads…"
    assert not several.open_action.isEnabled()


def _right_click(view, at: QPoint) -> None:
    """The context-menu event a right click makes (the offscreen platform's test
    clicks make none; tests/ui/xcb does it with a real click)."""
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, view.viewport().mapToGlobal(at))
    QApplication.sendEvent(view.viewport(), event)


# A popup on the offscreen platform says it cannot raise or grab; xcb can.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")
def test_right_click_on_a_card_selects_it_and_opens_the_menu(qtbot, runner, make_lead):
    make_lead("Ada")
    bo = make_lead("Bo")
    board = shown_board(qtbot, runner)
    view = board.column_for("cold").view
    shown: list[list[str]] = []

    def look_and_close() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(10, look_and_close)
            return
        shown.append([action.text() for action in menu.actions() if action.text()])
        menu.close()

    QTimer.singleShot(0, look_and_close)
    at = view.visualRect(view.model().index(0)).center()  # Bo, the newest, is on top
    _right_click(view, at)

    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown[0][0] == "&Open"
    assert view.selected_lead_ids() == [bo]
    # Off the cards there is nothing to act on: no menu.
    QTimer.singleShot(0, look_and_close)
    _right_click(view, QPoint(5, 650))
    qtbot.wait(50)
    assert len(shown) == 1
