"""Moving hundreds of selected cards on the board, by real keys, clicks and a drag.

A user selects the top 300 cards of Cold (click, wheel down, Shift+click),
moves them with Ctrl+Shift+Right, takes the move back with Ctrl+Z, then drags
the selection onto Hot with the mouse. Each move runs off the UI thread.
``pytest -s`` prints how long each step took to respond and the longest the
window went without running a 5 ms timer (not asserted: on a shared machine it
says more about the load than the code; benchmarks/board_move.py measures it).
LEADDESK_ACCEPT_LEADS sets the number of demo leads (as in test_xcb_acceptance.py).
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QWidget

from leaddesk.operations.demo import add_demo_leads
from leaddesk.ui.board.view import BoardWidget
from tests.ui.windows import active_main_window
from tests.ui.xcb.x_input import click, keys, wheel

LEADS = int(os.environ.get("LEADDESK_ACCEPT_LEADS", "3000"))
CARDS = 300

pytestmark = [pytest.mark.xcb, pytest.mark.timeout(90 + LEADS // 500)]


class Heartbeat:
    """The longest the UI thread went without running a 5 ms timer, in ms."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, (now - self.last) * 1000)
        self.last = now

    def start(self) -> Heartbeat:
        self.last = time.perf_counter()
        self.longest = 0.0
        self._timer.start()
        return self

    def stop(self) -> float:
        self._timer.stop()
        return self.longest


def _drag(qtbot, source: QWidget, start: QPoint, target: QWidget, end: QPoint) -> None:  # type: ignore[no-untyped-def]
    """Press on ``start``, move in steps onto ``end``, release: a user's drag.

    xdotool runs beside the event loop (not waited for in one blocking call), so the
    window can start its drag and follow the pointer as it moves."""
    a, b = source.mapToGlobal(start), target.mapToGlobal(end)
    words: list[object] = ["mousemove", "--sync", a.x(), a.y(), "mousedown", "1"]
    for step in range(1, 11):
        x = a.x() + (b.x() - a.x()) * step // 10
        y = a.y() + (b.y() - a.y()) * step // 10
        words += ["sleep", "0.05", "mousemove", x, y]
    words += ["sleep", "0.2", "mouseup", "1"]
    process = subprocess.Popen(["xdotool", *map(str, words)])
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=20_000)
    assert process.returncode == 0


def _select_top(qtbot, board: BoardWidget, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Click the first card of Cold, wheel down to card ``count``, Shift+click it."""
    cold = board.column_for("cold")
    view, model = cold.view, cold.model
    view.scrollToTop()
    click(view.viewport(), view.visualRect(model.index(0)).center())
    qtbot.waitUntil(lambda: len(view.selected_lead_ids()) == 1)
    target = model.index(count - 1)
    for _turn in range(200):
        if view.viewport().rect().contains(view.visualRect(target)):
            break
        # Two notches (six cards) a turn: less than the column shows, so no overshoot.
        wheel(view.viewport(), view.viewport().rect().center(), 2)
        qtbot.wait(20)
    click(view.viewport(), view.visualRect(target).center(), holding="shift")
    qtbot.waitUntil(lambda: len(view.selected_lead_ids()) == count)
    return view.selected_lead_ids()


def test_hundreds_of_cards_move_by_keys_undo_and_drag_without_freezing(qtbot, runner, ctx):  # type: ignore[no-untyped-def]
    add_demo_leads(ctx, LEADS, seed=12)
    window = active_main_window(qtbot, runner)
    board = window.board
    timings: list[tuple[str, float]] = []

    def timed(what: str, condition, timeout: int = 20_000) -> None:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        qtbot.waitUntil(condition, timeout=timeout)
        timings.append((what, time.perf_counter() - started))

    chosen = _select_top(qtbot, board, CARDS)
    warm = board.column_for("warm")
    heartbeat = Heartbeat().start()
    keys("ctrl+shift+Right")
    timed(
        f"Ctrl+Shift+Right: {CARDS} cards shown, selected, in Warm",
        lambda: (
            board.move_step is None
            and not board.refresh.busy
            and warm.view.selected_lead_ids() == chosen
        ),
    )
    stalls = [("Ctrl+Shift+Right", heartbeat.stop())]
    assert warm.model.lead_ids[:CARDS] == chosen
    assert window.undo_action.text() == f"Undo Move {CARDS} leads to Warm"

    heartbeat.start()
    keys("ctrl+z")
    timed(
        "Ctrl+Z: back in Cold",
        lambda: not board.refresh.busy and board.column_for("cold").model.holds_all(chosen),
    )
    stalls.append(("Ctrl+Z (still on the UI thread)", heartbeat.stop()))
    assert not set(chosen) & set(warm.model.lead_ids)

    chosen = _select_top(qtbot, board, CARDS)
    cold, hot = board.column_for("cold").view, board.column_for("hot").view
    heartbeat.start()
    _drag(
        qtbot,
        cold.viewport(),
        cold.visualRect(cold.model().index(CARDS - 1)).center(),
        hot.viewport(),
        QPoint(hot.viewport().width() // 2, 20),
    )
    timed(
        f"drag onto Hot: {CARDS} cards shown there",
        lambda: (
            board.move_step is None
            and not board.refresh.busy
            and board.column_for("hot").model.holds_all(chosen)
        ),
    )
    stalls.append(("drag onto Hot", heartbeat.stop()))
    assert not set(chosen) & set(board.column_for("cold").model.lead_ids)
    assert window.undo_action.text().startswith(f"Undo Move {CARDS} leads")
    print(f"\n{CARDS} of {LEADS:,} leads (ms to respond; longest UI stall)")
    for what, seconds in timings:
        print(f"  {seconds * 1000:8.0f} ms  {what}")
    for what, stall in stalls:
        print(f"  {stall:8.0f} ms  longest stall: {what}")
    assert runner.errors == []
