"""The board's refresh after a change: read off the UI thread, shown a column per event.

At 45,000 leads, reading every column's ids and the headers' figures takes
100-200 ms and laying out a 20,000-card column some 30 ms: done in one event
after each change, they held the window after every move. The reads run on a
``BackgroundJob`` (one read connection, so the columns agree with each other);
back on the UI thread the columns are shown one per event, those that gained
cards first, so a moved card shows in both columns for a moment, never in
neither. A change announced meanwhile starts a new read; the older one is
dropped. ``flush`` does it all at once, on the UI thread (tests, and the window
before it reads the board).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.changes import Changes
from leaddesk.storage.database import Database
from leaddesk.storage.queries import ColumnSummary, LeadFilter, column_ids, column_summaries
from leaddesk.ui.background import BackgroundJob
from leaddesk.ui.board.model import CardCache, LeadColumnModel

log = logging.getLogger(__name__)


class ColumnView(Protocol):
    def selected_lead_ids(self) -> list[int]: ...

    def select_lead(self, lead_id: int) -> bool: ...

    def doItemsLayout(self) -> None: ...


class ColumnHeader(Protocol):
    def set_summary(self, summary: ColumnSummary) -> None: ...


class Column(Protocol):
    """A board column as view.BoardColumn is one (named here: the view imports us)."""

    @property
    def model(self) -> LeadColumnModel: ...

    @property
    def view(self) -> ColumnView: ...

    @property
    def header(self) -> ColumnHeader: ...


class Board(Protocol):
    """What the refresh needs from the board (view.BoardWidget)."""

    @property
    def columns(self) -> Sequence[Column]: ...

    @property
    def grouping(self) -> BoardGrouping: ...

    @property
    def lead_filter(self) -> LeadFilter: ...

    def select_leads(self, lead_ids: list[int], *, focus: bool = True) -> None: ...


@dataclass(frozen=True, slots=True)
class _Read:
    generation: int
    ids: dict[int, list[int]]  # by column position; empty when the columns kept their cards
    summaries: dict[str, ColumnSummary]


def _read(
    db: Database,
    grouping: BoardGrouping,
    lead_filter: LeadFilter,
    values: Sequence[str],
    generation: int,
) -> _Read:
    """Every column's ids (when ``values`` are given) and the headers' figures."""
    with db.reading() as connection:
        ids = {n: column_ids(connection, grouping, v, lead_filter) for n, v in enumerate(values)}
        summaries = column_summaries(connection, grouping, lead_filter)
    return _Read(generation, ids, summaries)


class BoardRefresh(QObject):
    """Keeps the board's columns in step with the operations' announcements."""

    def __init__(self, board: Board, db: Database, cache: CardCache, parent: QObject) -> None:
        super().__init__(parent)
        self._board = board
        self._db = db
        self._cache = cache
        self._pending: Changes | None = None
        self._reload_planned = False
        # Cards whose data changed in place: painted again when the refresh shows.
        self._repaint: set[int] = set()
        # Cards to select once shown (moved by the keys or the menu).
        self.follow: list[int] | None = None
        self._generation = 0
        self._reading = 0  # read jobs still working
        self._steps: deque[Callable[[], None]] = deque()
        # Coalesce: a burst of changes (or one announced inside a drop) refreshes once,
        # after the event that caused it has finished.
        self._changes_timer = self._timer(self._apply_pending)
        self._step_timer = self._timer(self._next_step)

    def _timer(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(0)
        timer.timeout.connect(slot)
        return timer

    @property
    def busy(self) -> bool:
        """A change is still to be read or shown."""
        return bool(self._pending or self._reading or self._steps)

    def announce(self, changes: Changes) -> None:
        self._pending = changes if self._pending is None else self._pending | changes
        self._changes_timer.start()

    def select_when_shown(self, lead_ids: list[int]) -> None:
        """Select these cards once the refresh under way has shown them (or now)."""
        self.follow = list(lead_ids)
        if not self.busy:
            self._select_follow()

    def forget_plan(self) -> None:
        """The board has just read everything itself (a new filter or grouping)."""
        self._generation += 1
        self._steps.clear()
        self._step_timer.stop()
        self._reload_planned = False
        self.follow = None

    def flush(self) -> None:
        """Show every announced change now, reading on the UI thread."""
        self._changes_timer.stop()
        self._apply_pending(wait=True)
        self._step_timer.stop()
        while self._steps:
            self._steps.popleft()()

    # -- reading -------------------------------------------------------------

    def _apply_pending(self, *, wait: bool = False) -> None:
        changes, self._pending = self._pending, None
        if changes is not None:
            # Leads paired with a changed one as possible duplicates: their mark may change.
            self._repaint |= self._cache.forget(changes.leads)
            if changes.board or changes.created or changes.deleted:
                self._reload_planned = True
            else:
                self._repaint |= changes.updated
        elif not (wait and self._reading):
            return
        self._generation += 1
        self._steps.clear()
        board = self._board
        columns = list(board.columns)
        values = [c.model.value for c in columns] if self._reload_planned else []
        read = partial(_read, self._db, board.grouping, board.lead_filter, values)
        generation = self._generation
        if wait:
            self._show(columns, read(generation))
            return
        job = BackgroundJob(
            lambda _progress, _cancel: read(generation),
            what="board refresh",
            retry_busy=True,
            parent=self,
        )
        job.succeeded.connect(lambda result: self._show(columns, result))
        job.failed.connect(lambda message: log.warning("board refresh failed: %s", message))
        job.finished.connect(self._read_finished)
        job.finished.connect(job.deleteLater)
        # Quitting meanwhile waits for the read (a fraction of a second), as for every job.
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(job.wait)
        self._reading += 1
        job.start()

    def _read_finished(self) -> None:
        self._reading -= 1
        if not self.busy:
            self._select_follow()  # a read that was dropped: nothing else will

    # -- showing, a column per event ------------------------------------------

    def _show(self, columns: list[Column], read: _Read) -> None:
        if read.generation != self._generation:
            return  # a newer change is being read
        growth = {n: len(ids) - columns[n].model.rowCount() for n, ids in read.ids.items()}
        order = sorted(read.ids, key=lambda n: -growth[n])
        steps: list[Callable[[], None]] = [
            partial(self._show_column, columns[n], read.ids[n]) for n in order
        ]
        steps.append(partial(self._show_headers, columns, read.summaries))
        steps.append(self._select_follow)  # last: once its cards are shown
        self._steps = deque(steps)
        self._next_step()

    def _next_step(self) -> None:
        if self._steps:
            self._steps.popleft()()
        if self._steps:
            self._step_timer.start()

    @staticmethod
    def _show_column(column: Column, ids: list[int]) -> None:
        selected = column.view.selected_lead_ids()[:1]
        if column.model.show_ids(ids):
            # Laid out now, not in the next paint together with every other column.
            column.view.doItemsLayout()
            for lead_id in selected:
                column.view.select_lead(lead_id)

    def _show_headers(self, columns: list[Column], summaries: Mapping[str, ColumnSummary]) -> None:
        self._reload_planned = False
        repaint, self._repaint = self._repaint, set()
        for column in columns:
            column.header.set_summary(summaries.get(column.model.value, ColumnSummary(0, 0)))
            column.model.refresh_cards(repaint)

    def _select_follow(self) -> None:
        follow, self.follow = self.follow, None
        if follow:
            self._board.select_leads(follow)
