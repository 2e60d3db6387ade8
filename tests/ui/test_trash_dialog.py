"""View → Trash: restore (one undo step) and delete forever, with their effect on the data."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from leaddesk.operations.activities import log_activity
from leaddesk.operations.leads import delete_leads
from leaddesk.storage.queries import count_leads
from leaddesk.storage.schema import activities, leads, stage_history
from leaddesk.ui.trash_dialog import TrashDialog, TrashModel, forever_question, start_trash_purge
from tests.ui.windows import active_main_window


def rows(ctx, table, lead_id: int) -> int:
    key = table.c.id if table is leads else table.c.lead_id
    with ctx.db.reading() as connection:
        return connection.execute(
            select(func.count()).select_from(table).where(key == lead_id)
        ).scalar_one()


def live(ctx) -> int:
    with ctx.db.reading() as connection:
        return count_leads(connection)


def trash_with(qtbot, runner, ctx, make_lead) -> tuple[TrashDialog, int, int]:
    anna = make_lead("Anna", company="Nordlicht")
    bruno = make_lead("Bruno", company="Acme")
    log_activity(ctx, anna, "call", "Asked for a quote")
    delete_leads(ctx, [anna])
    ctx.clock.advance(dt.timedelta(hours=1))
    delete_leads(ctx, [bruno])
    dialog = TrashDialog(runner)
    qtbot.addWidget(dialog)
    return dialog, anna, bruno


def test_the_model_passes_the_model_tester(qtbot, qtmodeltester, runner, ctx, make_lead):
    dialog, _anna, _bruno = trash_with(qtbot, runner, ctx, make_lead)
    qtmodeltester.check(dialog.model)
    dialog.model.set_records([])
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(TrashModel())


def test_it_lists_name_company_when_and_by_whom_newest_first(qtbot, runner, ctx, make_lead):
    dialog, anna, bruno = trash_with(qtbot, runner, ctx, make_lead)
    model = dialog.model
    table = [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]
    assert [line[:2] for line in table] == [["Bruno", "Acme"], ["Anna", "Nordlicht"]]
    assert all(line[3] == "Test User" for line in table)
    assert "2026" in table[0][2]
    assert [model.lead_id(row) for row in range(2)] == [bruno, anna]
    # The newest is selected for the keyboard; with nothing selected, nothing to act on.
    assert dialog.selected_lead_ids() == [bruno]
    dialog.view.clearSelection()
    assert not dialog.restore_button.isEnabled()
    assert not dialog.forever_button.isEnabled()


def test_restore_puts_the_lead_back_as_one_undo_step(qtbot, runner, ctx, make_lead):
    dialog, anna, _bruno = trash_with(qtbot, runner, ctx, make_lead)
    dialog.select_rows([0, 1])
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()

    assert live(ctx) == 2
    assert dialog.model.rowCount() == 0
    assert dialog.empty.isVisibleTo(dialog)
    assert rows(ctx, activities, anna) == 1  # the history came back with it
    stack = runner.undo_stack
    assert stack.undoText() == "Restore 2 leads"
    stack.undo()
    assert live(ctx) == 0
    assert dialog.model.rowCount() == 2
    assert runner.errors == []


def test_delete_forever_asks_says_it_cannot_be_undone_and_removes_everything(
    qtbot, runner, ctx, make_lead
):
    dialog, anna, bruno = trash_with(qtbot, runner, ctx, make_lead)
    asked: list[list[str]] = []
    dialog.confirm_forever = lambda names: asked.append(list(names)) or False
    dialog.select_rows([1])
    dialog.forever_button.click()
    assert asked == [["Anna"]]
    assert rows(ctx, leads, anna) == 1  # Cancel removes nothing

    dialog.confirm_forever = lambda names: True
    undo_steps = runner.undo_stack.count()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.windowHandle().requestActivate()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.view.setFocus()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Delete)

    assert rows(ctx, leads, anna) == 0
    assert rows(ctx, activities, anna) == 0
    assert rows(ctx, stage_history, anna) == 0
    assert rows(ctx, leads, bruno) == 1
    assert [dialog.model.lead_id(row) for row in range(dialog.model.rowCount())] == [bruno]
    assert runner.undo_stack.count() == undo_steps  # nothing to undo: it is gone


def test_the_question_says_it_cannot_be_undone() -> None:
    assert "cannot be undone" in forever_question(["Anna"])
    assert forever_question(["Anna", "Bruno"]).startswith("Delete these 2 leads forever?")


def purged(qtbot, runner) -> int:
    """Start the purge as the window's start does, and wait for its worker."""
    purge = start_trash_purge(runner)
    with qtbot.waitSignal(purge.job.finished, timeout=5000):
        pass
    return purge.removed


def test_leads_older_than_the_setting_are_purged_at_start(qtbot, runner, ctx, make_lead):
    old = make_lead("Old")
    delete_leads(ctx, [old])
    ctx.clock.advance(dt.timedelta(days=29))
    recent = make_lead("Recent")
    delete_leads(ctx, [recent])
    assert purged(qtbot, runner) == 0
    ctx.clock.advance(dt.timedelta(days=2))

    with qtbot.waitSignal(runner.changed) as announced:
        assert purged(qtbot, runner) == 1

    assert announced.args[0].deleted == {old}
    assert rows(ctx, leads, old) == 0
    assert rows(ctx, leads, recent) == 1


def test_view_trash_opens_it_from_the_window(qtbot, runner, ctx, make_lead, monkeypatch):
    window = active_main_window(qtbot, runner)
    opened: list[TrashDialog] = []
    monkeypatch.setattr(TrashDialog, "exec", lambda self: opened.append(self) or 0)
    qtbot.keyClick(
        window,
        Qt.Key.Key_T,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(opened) == 1
    assert window.trash_action in window.view_menu.actions()


def test_a_reload_keeps_the_selection_on_the_leads_still_in_the_trash(
    qtbot, runner, ctx, make_lead
):
    dialog, anna, _bruno = trash_with(qtbot, runner, ctx, make_lead)
    dialog.select_rows([1])
    carla = make_lead("Carla")
    delete_leads(ctx, [carla])  # deleted elsewhere: the newest, on top after the reload
    dialog.reload()
    assert dialog.model.rowCount() == 3
    assert dialog.selected_lead_ids() == [anna]
    assert dialog.restore_button.isEnabled()
