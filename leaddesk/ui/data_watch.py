"""The window notices changes made outside it: the command line, another window.

Once a second, on the UI thread, one ``PRAGMA data_version`` on a connection of
its own (storage/change_watch.py) says whether anybody committed; when nothing
did, that is all the work. When something did, and it was not this window's own
change (announced through the runner, which the watch takes as seen), the
window reads what changed (operations/outside_changes.py), adds the command
line's journal entries to Edit → Undo and announces the changes, so the board,
the table, the agenda and the open lead refresh as they do after a drag (the
lead form keeps the user's unsaved edits; see ui/lead_form/form.py).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QTimer

from leaddesk.operations.changes import Changes
from leaddesk.operations.outside_changes import newest_entry_id, read_outside_changes
from leaddesk.storage.change_watch import DataVersionWatch
from leaddesk.ui.background import work_running
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.undo import push_journal_entries

POLL_MS = 1000
# Leads changed this long before the previous look are read again: an operation
# stamps its time before it commits, and clocks of two processes may differ a little.
LOOK_BACK = dt.timedelta(seconds=5)


class DataWatch(QObject):
    """Polls for outside commits while started; refreshes the views from them."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._watch: DataVersionWatch | None = None
        self._last_entry = 0
        self._since = runner.ctx.clock.now()
        self._announcing = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.check)
        runner.changed.connect(self._on_own_change)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """Begin watching: only changes from now on count (the real window calls this)."""
        db = self._runner.ctx.db
        if self._watch is not None or not DataVersionWatch.supported(db):
            return
        self._watch = DataVersionWatch(db)
        self._last_entry = self._runner.read(newest_entry_id) or 0
        self._since = self._runner.ctx.clock.now()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    def check(self) -> None:
        """One look: nothing but a pragma unless somebody else committed."""
        if self._watch is None or self._runner.undo_stack.busy or work_running():
            # Mid-step, or the window's own import/export is writing: look next time.
            return
        if not self._watch.changed():
            return
        since = self._since - LOOK_BACK
        self._since = self._runner.ctx.clock.now()
        self._take(since)

    def _take(self, since: dt.datetime | None) -> None:
        outside = self._runner.read(read_outside_changes, self._last_entry, since)
        if outside is None:
            return
        self._last_entry = outside.last_entry_id
        push_journal_entries(self._runner, outside.entries)
        self._announce(outside.changes)

    def _announce(self, changes: Changes) -> None:
        self._announcing = True
        try:
            self._runner.announce(changes)
        finally:
            self._announcing = False

    def _on_own_change(self, _changes: Changes) -> None:
        """The window's own commit moved the data version: take it as seen.

        Journal entries written meanwhile are still picked up (by id, so none is
        lost), on the next turn of the event loop: not while a step is recorded.
        """
        if self._announcing or self._watch is None:
            return
        self._watch.changed()
        QTimer.singleShot(0, self, self._take_entries)

    def _take_entries(self) -> None:
        if self._watch is None:
            return
        if self._runner.undo_stack.busy:
            QTimer.singleShot(POLL_MS, self, self._take_entries)
            return
        self._take(None)
