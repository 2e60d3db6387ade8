"""An open window notices what the command line (or another window) changed.

The headline case runs ``leaddesk move`` as a real process while the window is
open: the card moves within about two seconds and Edit → Undo takes it back.
The other cases write through a second database connection, as another process
would, without paying for a process each.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import move_leads, update_lead
from leaddesk.operations.undo_journal import journaled
from leaddesk.storage.database import Database, open_database
from leaddesk.storage.schema import leads, stage_history, undo_journal
from leaddesk.ui import data_watch
from leaddesk.ui.main_window import MainWindow
from tests.cli.helpers import subprocess_env
from tests.ui.drag_and_drop import drop_cards
from tests.ui.windows import active_main_window

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def other(db: Database, clock) -> Iterator[OperationContext]:
    """Another process's view of the same file: its own engine, its own connections."""
    second = open_database(db.location)
    yield OperationContext(db=second, clock=clock, actor="Ben")
    second.close()


def _watching(qtbot, runner) -> MainWindow:
    window = active_main_window(qtbot, runner)
    window.board.move_gate = None
    window.watch_outside_changes()
    assert window.data_watch.active
    return window


def _rows(ctx: OperationContext) -> tuple[list[tuple[object, ...]], ...]:
    with ctx.db.reading() as connection:
        return (
            [tuple(row) for row in connection.execute(select(leads).order_by(leads.c.id))],
            [tuple(row) for row in connection.execute(select(stage_history))],
        )


def _column(window: MainWindow, lead_id: int) -> str | None:
    for column in window.board.columns:
        if lead_id in column.model.lead_ids:
            return column.model.value
    return None


def test_a_command_line_move_shows_on_the_board_and_undoes_from_the_window(
    qtbot, runner, ctx, make_lead, data_dir
):
    anna = make_lead("Anna", "cold", last_name="Schäfer")
    make_lead("Bo", "cold")
    window = _watching(qtbot, runner)
    before = _rows(ctx)

    command = ["move", str(anna), "--temperature", "warm", "--skip-questions"]
    done = subprocess.run(
        [sys.executable, "-m", "leaddesk", "--data-dir", str(data_dir), *command],
        capture_output=True,
        text=True,
        env=subprocess_env(PYTHONPATH=str(REPO), LEADDESK_DATA_DIR=None),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # Seen within two seconds of the command's end: one look a second, then a refresh.
    qtbot.waitUntil(lambda: _column(window, anna) == "warm", timeout=2000)
    assert window.undo_action.text() == "Undo Move Anna Schäfer to Warm (command line)"

    window.undo_action.trigger()
    window.board.flush()
    assert _column(window, anna) == "cold"
    assert _rows(ctx) == before
    assert runner.errors == []
    with ctx.db.reading() as connection:
        assert connection.execute(select(undo_journal.c.undone_at)).scalar() is not None


def test_an_undo_of_a_row_changed_since_is_refused_in_one_sentence(
    qtbot, runner, ctx, other, make_lead
):
    anna = make_lead("Anna", "cold", last_name="Schäfer")
    window = _watching(qtbot, runner)
    with journaled(other, "Move {leads} to Warm", [anna]):
        move_leads(other, [anna], BoardGrouping.TEMPERATURE, "warm")
    qtbot.waitUntil(lambda: _column(window, anna) == "warm", timeout=2500)
    # Moved again elsewhere, without a journal entry (another window).
    move_leads(other, [anna], BoardGrouping.TEMPERATURE, "hot")
    qtbot.waitUntil(lambda: _column(window, anna) == "hot", timeout=2500)

    window.undo_action.trigger()
    window.board.flush()
    assert runner.errors == [
        "“Move Anna Schäfer to Warm (command line)” was changed since; not undone."
    ]
    assert _column(window, anna) == "hot"
    # The refused step leaves the history: the next Ctrl+Z does not repeat it.
    assert not window.undo_action.isEnabled()


def test_the_open_lead_shows_outside_changes_and_keeps_the_users_edits(
    qtbot, runner, other, make_lead
):
    anna = make_lead("Anna", "cold", company="Nordlicht")
    window = _watching(qtbot, runner)
    window.lead_dock.show()
    window.board.select_lead(anna)
    form = window.lead_dock.panel.form
    form.edits["company"].setText("Nordlicht GmbH")  # typed, not saved

    with journaled(other, "Edit {leads}", [anna]):
        update_lead(other, anna, {"phone": "+49 30 1234567"})
    qtbot.waitUntil(lambda: form.edits["phone"].text() == "+49 30 1234567", timeout=2500)
    assert form.edits["company"].text() == "Nordlicht GmbH"
    assert form.is_dirty()


def test_another_windows_change_without_a_journal_entry_refreshes_the_board(
    qtbot, runner, other, make_lead
):
    anna = make_lead("Anna", "cold")
    window = _watching(qtbot, runner)
    undo_steps = window.runner.undo_stack.count()
    move_leads(other, [anna], BoardGrouping.TEMPERATURE, "hot")
    qtbot.waitUntil(lambda: _column(window, anna) == "hot", timeout=2500)
    # Nothing to offer in Edit → Undo: that window holds its own history.
    assert window.runner.undo_stack.count() == undo_steps


def test_nothing_is_read_while_nothing_changes_nor_after_the_windows_own_change(
    qtbot, runner, make_lead, monkeypatch
):
    anna = make_lead("Anna", "cold")
    window = _watching(qtbot, runner)
    window.data_watch._timer.stop()  # looks driven by hand below
    scans: list[object] = []
    real = data_watch.read_outside_changes

    def counting(ctx, after_entry, since):
        scans.append(since)
        return real(ctx, after_entry, since)

    monkeypatch.setattr(data_watch, "read_outside_changes", counting)
    for _ in range(3):
        window.data_watch.check()
    assert scans == []

    drop_cards(window.board, [anna], "hot")
    window.board.flush()
    qtbot.wait(10)  # the own change's journal pick-up runs on the next turn
    window.data_watch.check()
    # One journal read for the own change (entries by id), no scan for outside changes.
    assert scans == [None]
