"""Moving 1,000 selected cards on the board at 45k leads: the longest UI-thread stall.

Target (issue 12): while the move runs and the board refreshes, the UI thread
never blocks for more than ~100 ms. A 1 ms ``QTimer`` heartbeat runs on the UI
thread from just before the move until the moved cards are shown, selected, in
their new column; the longest gap between two beats is the longest stall.
Each round times both ways the board moves a selection: the menu's and the
keys' ``move_to``, and a drop of the dragged selection on another column; at
the end, Edit → Undo of the last move (which still runs on the UI thread).

``--tree DIR`` imports ``leaddesk`` from another checkout (a base commit
exported with ``git archive``), so two trees can be measured side by side in
one run on copies of the same demo leads (``--work DIR`` keeps them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _import_tree(tree: Path) -> None:
    sys.path.insert(0, str(tree.resolve()))


class Heartbeat:
    """Beats every millisecond on the UI thread; ``longest`` is the widest gap (ms)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.beats: list[float] = []
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(lambda: self.beats.append(time.perf_counter()))

    def start(self) -> None:
        self.beats = [time.perf_counter()]
        self._timer.start()

    def stop(self) -> float:
        self._timer.stop()
        self.beats.append(time.perf_counter())
        return max(b - a for a, b in zip(self.beats, self.beats[1:], strict=False)) * 1000


def _spin_until(app: Any, done: Any, timeout: float = 120.0) -> None:
    from PySide6.QtCore import QEventLoop

    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the move did not end")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def _drop(board: Any, ids: list[int], value: str) -> None:
    """What a drop of the dragged cards does: the source's mime data, the target's drop."""
    from PySide6.QtCore import QModelIndex, Qt

    source = next(c for c in board.columns if ids[0] in c.model.lead_ids)
    rows = {lead_id: row for row, lead_id in enumerate(source.model.lead_ids)}
    mime = source.model.mimeData([source.model.index(rows[i]) for i in ids])
    board.column_for(value).model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())


def _refreshing(board: Any) -> bool:
    refresh = getattr(board, "refresh", None)  # the base tree refreshes in one event
    return bool(refresh.busy) if refresh is not None else board._refresh_timer.isActive()


def measure(board: Any, app: Any, ids: list[int], value: str, how: str) -> tuple[float, float]:
    """(longest stall ms, wall s) from the action until the cards show in ``value``."""
    from leaddesk.ui.background import work_running

    target = board.column_for(value)
    board.select_leads(ids)
    app.processEvents()
    heartbeat = Heartbeat()
    heartbeat.start()
    _spin_until(app, lambda: len(heartbeat.beats) > 20)  # the heartbeat is running
    started = time.perf_counter()
    if how == "menu":
        board.move_to(ids, value)
    else:
        _drop(board, ids, value)
    _spin_until(
        app,
        lambda: not work_running() and target.model.holds_all(ids) and not _refreshing(board),
    )
    wall = time.perf_counter() - started
    # A little longer: the selection following the cards comes after the refresh.
    settle = time.perf_counter() + 0.3
    _spin_until(app, lambda: time.perf_counter() > settle)
    return heartbeat.stop(), wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leads", type=int, default=45_000)
    parser.add_argument("--cards", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, help="keep the demo database here")
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    _import_tree(args.tree)

    from PySide6.QtWidgets import QApplication

    from leaddesk.operations.context import OperationContext
    from leaddesk.operations.demo import add_demo_leads
    from leaddesk.storage.database import Location, open_database
    from leaddesk.ui.board.view import BoardWidget
    from leaddesk.ui.runner import OperationRunner

    work = args.work or Path(tempfile.mkdtemp(prefix="leaddesk-board-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    pristine = work / "pristine.sqlite3"
    run_dir = Path(tempfile.mkdtemp(prefix="leaddesk-board-run-"))
    if not pristine.exists():
        db = open_database(Location(data_dir=run_dir, url=f"sqlite:///{pristine}"))
        started = time.perf_counter()
        add_demo_leads(OperationContext(db=db, actor="bench"), args.leads, seed=1)
        db.close()
        print(f"made {args.leads:,} demo leads in {time.perf_counter() - started:.1f} s")
    copy = run_dir / "leaddesk.sqlite3"
    shutil.copyfile(pristine, copy)
    db = open_database(Location(data_dir=run_dir, url=f"sqlite:///{copy}"))
    app = QApplication.instance() or QApplication([])
    runner = OperationRunner(OperationContext(db=db, actor="bench"))
    runner.report_error = lambda _parent, message: print("error:", message)
    board = BoardWidget(runner)
    board.resize(1366, 700)
    board.show()
    app.processEvents()
    sizes = {c.model.value: c.model.rowCount() for c in board.columns}
    import leaddesk

    print(f"tree {Path(leaddesk.__file__).parent}: columns {sizes}")
    stalls: dict[str, list[float]] = {"menu": [], "drop": []}
    walls: dict[str, list[float]] = {"menu": [], "drop": []}
    for _ in range(args.rounds):
        for how in ("menu", "drop"):
            # The biggest column's top cards, to the next column and back.
            source = max(board.columns, key=lambda c: c.model.rowCount())
            there = next(c for c in board.columns if c is not source)
            ids = source.model.lead_ids[: args.cards]
            for value in (there.model.value, source.model.value):
                stall, wall = measure(board, app, ids, value, how)
                stalls[how].append(stall)
                walls[how].append(wall)
    # Edit → Undo of the last move still writes it back on the UI thread (as every undo).
    heartbeat = Heartbeat()
    heartbeat.start()
    _spin_until(app, lambda: len(heartbeat.beats) > 20)
    runner.undo_stack.undo()
    _spin_until(app, lambda: not _refreshing(board))
    undo_stall = heartbeat.stop()
    for how in ("menu", "drop"):
        print(
            f"{how}: longest stall median {statistics.median(stalls[how]):.0f} ms, "
            f"worst {max(stalls[how]):.0f} ms; wall median {statistics.median(walls[how]):.2f} s"
            f"  target <= 100 ms  {'PASS' if max(stalls[how]) <= 100 else 'FAIL'}"
        )
    print(f"undo of a 1,000-card move (UI thread): longest stall {undo_stall:.0f} ms")
    assert runner.undo_stack.count() == 4 * args.rounds
    board.close()
    db.close()
    shutil.rmtree(run_dir, ignore_errors=True)
    return 0 if max(max(s) for s in stalls.values()) <= 100 else 1


if __name__ == "__main__":
    sys.exit(main())
