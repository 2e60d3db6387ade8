"""Undo and redo as a user meets them: Ctrl+Z / Ctrl+Shift+Z and the Edit menu.

Every kind of change (a move on the board, a form edit, a delete, a merge, a new
lead) is undone back to exactly the database it started from, every table and
every column, and redone to exactly the database it produced.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from sqlalchemy import select, text, update

from leaddesk.operations.activities import log_activity
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.leads import delete_leads, update_lead
from leaddesk.operations.merge import merge_leads
from leaddesk.storage.schema import leads
from leaddesk.ui.lead_form.dialog import LeadFormDialog
from leaddesk.ui.main_window import MainWindow
from tests.ui.drag_and_drop import drop_cards
from tests.ui.windows import active_main_window


def dump(ctx) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the search index is checked by searching)."""
    with ctx.db.reading() as connection:
        names = connection.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'lead_search%' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ).scalars()
        return {
            name: [tuple(row) for row in connection.execute(text(f'SELECT * FROM "{name}"'))]
            for name in list(names)
        }


def found(ctx, query: str) -> list[int]:
    with ctx.db.reading() as connection:
        return list(
            connection.execute(
                text("SELECT rowid FROM lead_search WHERE lead_search MATCH :q ORDER BY rowid"),
                {"q": query},
            ).scalars()
        )


def _window(qtbot, runner, *, gated: bool = False) -> MainWindow:
    """The main window; moves ask for no missing fields unless ``gated``."""
    window = active_main_window(qtbot, runner)
    if not gated:
        window.board.move_gate = None
    return window


def _undo(qtbot, window: MainWindow) -> None:
    window.board.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    window.board.flush()


def _redo(qtbot, window: MainWindow) -> None:
    window.board.setFocus()
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    window.board.flush()


@pytest.fixture
def anna(ctx, make_lead, clock) -> int:
    lead = make_lead(
        "Anna", "cold", last_name="Schäfer", email="anna@nordlicht.example", company="Nordlicht"
    )
    log_activity(ctx, lead, "webinar", "Spring webinar")
    add_follow_up(ctx, lead, clock.now() + dt.timedelta(days=1), "Send the slides")
    clock.advance(dt.timedelta(minutes=5))
    return lead


def test_undo_and_redo_of_a_board_move_restore_the_database_exactly(qtbot, runner, anna, make_lead):
    make_lead("Bo", "hot")
    window = _window(qtbot, runner)
    start = dump(runner.ctx)

    drop_cards(window.board, [anna], "hot")
    window.board.flush()
    moved = dump(runner.ctx)
    assert moved != start
    assert window.undo_action.text() == "Undo Move Anna Schäfer to Hot"

    _undo(qtbot, window)
    assert dump(runner.ctx) == start
    assert anna in window.board.column_for("cold").model.lead_ids
    assert window.redo_action.text() == "Redo Move Anna Schäfer to Hot"

    _redo(qtbot, window)
    assert dump(runner.ctx) == moved
    assert anna in window.board.column_for("hot").model.lead_ids
    assert runner.errors == []


def test_a_gated_move_and_the_fields_it_asked_for_are_one_undo_step(
    qtbot, runner, ctx, anna, monkeypatch
):
    window = _window(qtbot, runner, gated=True)
    gate = window.board.move_gate
    asked: list[list[int]] = []

    def answer(lead_ids, _grouping, _value):
        asked.append(list(lead_ids))
        return {anna: {"budget_range": "10-20k", "need": "Faster quoting"}}

    monkeypatch.setattr(gate, "ask", answer)
    start = dump(ctx)

    drop_cards(window.board, [anna], "hot")
    qtbot.waitUntil(lambda: window.undo_action.isEnabled())
    window.board.flush()
    moved = dump(ctx)
    assert asked == [[anna]]
    assert window.undo_action.text() == "Undo Move Anna Schäfer to Hot"

    _undo(qtbot, window)
    assert dump(ctx) == start
    assert not window.undo_action.isEnabled()  # one step, not two
    _redo(qtbot, window)
    assert dump(ctx) == moved


def test_undo_of_a_stage_move_removes_the_stage_history_it_added(qtbot, runner, anna):
    window = _window(qtbot, runner)
    window.by_stage.trigger()
    start = dump(runner.ctx)

    drop_cards(window.board, [anna], "sql")
    window.board.flush()
    moved = dump(runner.ctx)
    assert len(moved["stage_history"]) == len(start["stage_history"]) + 1
    assert window.undo_action.text() == "Undo Move Anna Schäfer to SQL"

    _undo(qtbot, window)
    assert dump(runner.ctx) == start
    _redo(qtbot, window)
    assert dump(runner.ctx) == moved


def test_undo_of_a_move_that_renumbered_the_column_restores_every_rank(
    qtbot, runner, ctx, make_lead
):
    first, second, third = (make_lead(name, "hot") for name in ("One", "Two", "Three"))
    mover = make_lead("Mover", "cold")
    # Two neighbours with no room left between them: the drop renumbers the column.
    with ctx.db.transaction() as connection:
        for lead_id, rank in ((first, 1.0), (second, 1.0 + 1e-9), (third, 5.0)):
            connection.execute(update(leads).where(leads.c.id == lead_id).values(board_rank=rank))
    window = _window(qtbot, runner)
    start = dump(ctx)

    drop_cards(window.board, [mover], "hot", above_row=1)
    window.board.flush()
    assert window.board.column_for("hot").model.lead_ids == [first, mover, second, third]
    moved = dump(ctx)

    _undo(qtbot, window)
    assert dump(ctx) == start
    _redo(qtbot, window)
    assert dump(ctx) == moved


def test_undo_of_a_form_edit_restores_fields_version_and_a_new_owner(qtbot, runner, anna):
    window = _window(qtbot, runner)
    start = dump(runner.ctx)

    dialog = LeadFormDialog(runner, anna, parent=window)
    qtbot.addWidget(dialog)
    dialog.edits["company"].setText("Nordlicht Logistik")
    dialog.edits["job_title"].setText("Head of Operations")
    dialog.owner.setCurrentText("Pat Newcomer")  # new to the team: added by the save
    dialog.save()
    window.board.flush()
    edited = dump(runner.ctx)
    assert len(edited["owners"]) == len(start["owners"]) + 1
    assert window.undo_action.text() == "Undo Edit Anna Schäfer"
    assert found(runner.ctx, "logistik") == [anna]

    _undo(qtbot, window)
    assert dump(runner.ctx) == start
    assert found(runner.ctx, "logistik") == []
    assert found(runner.ctx, "nordlicht") == [anna]

    _redo(qtbot, window)
    assert dump(runner.ctx) == edited
    assert found(runner.ctx, "logistik") == [anna]


def test_undo_of_a_delete_takes_the_lead_back_out_of_the_trash(qtbot, runner, anna, monkeypatch):
    window = _window(qtbot, runner)
    start = dump(runner.ctx)
    window.board.select_lead(anna)
    monkeypatch.setattr(window, "confirm_delete", lambda ids: True)

    qtbot.keyClick(window.board.column_for("cold").view, Qt.Key.Key_Delete)
    window.board.flush()
    deleted = dump(runner.ctx)
    assert window.board.column_for("cold").model.lead_ids == []
    assert window.undo_action.text() == "Undo Delete Anna Schäfer"

    _undo(qtbot, window)
    assert dump(runner.ctx) == start
    assert window.board.column_for("cold").model.lead_ids == [anna]
    assert window.lead_count.text() == "1 lead"

    _redo(qtbot, window)
    assert dump(runner.ctx) == deleted
    assert window.board.column_for("cold").model.lead_ids == []


def test_undo_of_a_merge_restores_both_leads_and_their_history(qtbot, runner, ctx, anna, make_lead):
    other = make_lead("Anna", "hot", last_name="Schaefer", phone="+49 30 1234567")
    log_activity(ctx, other, "demo_request", "Asked for a demo")
    window = _window(qtbot, runner)
    start = dump(ctx)

    runner.run_undoable(
        "Merge Anna Schaefer into Anna Schäfer", [anna, other], merge_leads, anna, other
    )
    window.board.flush()
    merged = dump(ctx)
    assert window.board.column_for("hot").model.lead_ids == [anna]
    assert window.undo_action.text() == "Undo Merge Anna Schaefer into Anna Schäfer"

    _undo(qtbot, window)
    # The merge's record stays: it is history (the command line's undo-merge uses
    # it, and refuses while the leads are not as the merge left them).
    undone = dump(ctx)
    assert len(undone.pop("merges")) == 1
    assert start.pop("merges") == []
    assert undone == start
    assert window.board.column_for("hot").model.lead_ids == [other]
    assert window.board.column_for("cold").model.lead_ids == [anna]

    _redo(qtbot, window)
    assert dump(ctx) == merged


def test_undo_of_a_new_lead_removes_it_and_redo_brings_it_back(qtbot, runner, ctx):
    window = _window(qtbot, runner)
    start = dump(ctx)
    dialog = LeadFormDialog(runner, parent=window)
    qtbot.addWidget(dialog)
    dialog.edits["first_name"].setText("Zoë")
    dialog.edits["email"].setText("zoe@brandt.example")
    dialog.save()
    window.board.flush()
    created = dump(ctx)
    assert window.undo_action.text() == "Undo Create Zoë"

    _undo(qtbot, window)
    assert dump(ctx) == start
    assert window.lead_count.text() == "0 leads"
    _redo(qtbot, window)
    assert dump(ctx) == created
    assert window.lead_count.text() == "1 lead"


def test_several_steps_undo_in_reverse_order(qtbot, runner, ctx, anna):
    window = _window(qtbot, runner)
    start = dump(ctx)
    drop_cards(window.board, [anna], "warm")
    window.board.flush()
    runner.run_undoable("Edit {leads}", [anna], update_lead, anna, {"company": "Acme"})
    window.board.flush()
    assert window.undo_action.text() == "Undo Edit Anna Schäfer"

    _undo(qtbot, window)
    assert window.undo_action.text() == "Undo Move Anna Schäfer to Warm"
    _undo(qtbot, window)
    assert dump(ctx) == start
    assert not window.undo_action.isEnabled()


def test_a_field_changed_elsewhere_since_is_not_clobbered(qtbot, runner, ctx, anna):
    window = _window(qtbot, runner)
    runner.run_undoable("Edit {leads}", [anna], update_lead, anna, {"company": "Acme"})
    # Meanwhile the command line (or another window) changes the same field.
    update_lead(ctx, anna, {"company": "Acme Europe"})
    changed = dump(ctx)

    _undo(qtbot, window)

    assert dump(ctx) == changed
    assert runner.errors == [
        "“Edit Anna Schäfer” can no longer be undone or redone: the lead was changed after it."
    ]
    # The refused step is dropped: the next Ctrl+Z does not repeat the message.
    assert not window.undo_action.isEnabled()


def test_undo_keeps_what_was_changed_elsewhere_in_other_fields(qtbot, runner, ctx, anna, clock):
    window = _window(qtbot, runner)
    runner.run_undoable("Edit {leads}", [anna], update_lead, anna, {"company": "Acme"})
    clock.advance(dt.timedelta(minutes=1))
    update_lead(ctx, anna, {"job_title": "CEO"})  # elsewhere, another field
    log_activity(ctx, anna, "call", "Called her")  # the first contact: a change too
    with ctx.db.reading() as connection:
        version = connection.execute(select(leads.c.version).where(leads.c.id == anna)).scalar()
    clock.advance(dt.timedelta(minutes=1))

    _undo(qtbot, window)

    assert runner.errors == []
    with ctx.db.reading() as connection:
        row = connection.execute(select(leads).where(leads.c.id == anna)).one()
    assert (row.company, row.job_title) == ("Nordlicht", "CEO")
    assert row.first_contacted_at is not None
    # Written back as a new change, so anyone holding the lead open sees it moved.
    assert (row.version, row.updated_at) == (version + 1, clock.now())
    _redo(qtbot, window)
    assert runner.errors == []
    assert window.board.column_for("cold").model.lead_ids == [anna]


def test_shortcuts_are_the_platform_ones(qtbot, runner):
    window = _window(qtbot, runner)
    assert QKeySequence(QKeySequence.StandardKey.Undo) in window.undo_action.shortcuts()
    redo = window.redo_action.shortcuts()
    assert QKeySequence("Ctrl+Shift+Z") in redo
    assert all(key in redo for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
    assert not window.undo_action.isEnabled()
    edit_menu = next(
        action.menu() for action in window.menuBar().actions() if action.text() == "&Edit"
    )
    assert window.undo_action in edit_menu.actions()
    assert window.redo_action in edit_menu.actions()


def test_the_lead_panel_shows_the_lead_as_undo_and_redo_leave_it(qtbot, runner, anna):
    window = _window(qtbot, runner)
    window.lead_dock.show()
    panel = window.lead_dock.panel
    panel.show_lead(anna)
    panel.form.edits["company"].setText("Nordlicht Logistik")
    panel.save_button.click()
    window.board.flush()
    assert window.undo_action.text() == "Undo Edit Anna Schäfer"

    _undo(qtbot, window)
    qtbot.waitUntil(lambda: panel.form.edits["company"].text() == "Nordlicht")
    assert not panel.form.is_dirty()
    _redo(qtbot, window)
    qtbot.waitUntil(lambda: panel.form.edits["company"].text() == "Nordlicht Logistik")

    # Undoing a delete while the panel shows nothing brings the card back.
    window.board.select_lead(anna)
    window.runner.run_undoable("Delete {leads}", [anna], delete_leads, [anna])
    window.board.flush()
    qtbot.waitUntil(lambda: panel.lead_id != anna)
    _undo(qtbot, window)
    assert window.board.column_for("cold").model.lead_ids == [anna]


def test_undo_of_an_activity_logged_in_the_form_takes_it_and_its_first_contact_back(
    qtbot, runner, ctx, anna
):
    window = _window(qtbot, runner)
    start = dump(ctx)
    dialog = LeadFormDialog(runner, anna, parent=window)
    qtbot.addWidget(dialog)

    dialog.form.log("call", None, "Talked about pricing")
    window.board.flush()
    logged = dump(ctx)
    assert len(logged["activities"]) == len(start["activities"]) + 1
    assert window.undo_action.text() == "Undo Log call on Anna Schäfer"

    _undo(qtbot, window)
    assert dump(ctx) == start  # the activity, the first contact and the score
    _redo(qtbot, window)
    assert dump(ctx) == logged
