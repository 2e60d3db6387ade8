"""The lead table's bulk actions: each is one operation and one undo step.

The actions act on the table's selected leads (``ids()``); their dialogs
(bulk_dialogs) are small and ask once for all of them: one due time and note,
one activity. A move hotter is gated as on the board (lead_form.gate_dialog.MoveGate).
Each runs off the UI thread (ui/bulk_job.BulkStep) with progress and cancel, one at
a time: the actions are disabled while one runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from leaddesk.core.fields import ActivityKind, BoardGrouping, Stage, Temperature
from leaddesk.operations.bulk import add_follow_ups, log_activities
from leaddesk.operations.changes import Reports
from leaddesk.operations.leads import assign_owner, delete_leads, move_leads_filling
from leaddesk.storage.queries import owner_names
from leaddesk.ui.bulk_job import BulkStep
from leaddesk.ui.lead_form.gate_dialog import MoveGate
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.table.bulk_dialogs import ActivityDialog, FollowUpDialog


def _count(ids: list[int]) -> str:
    return f"{len(ids):,} lead{'s' if len(ids) != 1 else ''}"


class BulkActions(QObject):
    """The actions, their menus, and what each runs on the selected leads."""

    export_requested = Signal()
    open_requested = Signal(int)
    # A bulk step ended (done, failed or cancelled); True when it changed data.
    step_finished = Signal(bool)

    def __init__(
        self, runner: OperationRunner, parent: QWidget, ids: Callable[[], list[int]]
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._parent = parent
        self.ids = ids
        # Replaceable in tests: the dialogs' answers.
        self.ask_follow_up: Callable[[str], tuple[dt.datetime, str] | None] = self._ask_follow_up
        self.ask_activity: Callable[[str], tuple[str, str] | None] = self._ask_activity
        self.confirm_delete: Callable[[list[int]], bool] = self._confirm_delete
        self.gate = MoveGate(runner, parent)
        self.step: BulkStep | None = None
        self._selected = 0

        self.open_action = self._action("&Open", "Return", self._open)
        self.move_menu = QMenu("&Move to", parent)
        for temperature in Temperature:
            self._add(self.move_menu, temperature.label, BoardGrouping.TEMPERATURE, temperature)
        self.move_menu.addSeparator()
        for stage in Stage:
            self._add(self.move_menu, stage.label, BoardGrouping.STAGE, stage)
        self.assign_menu = QMenu("&Assign to", parent)
        self.assign_menu.aboutToShow.connect(self._fill_assign_menu)
        self.follow_up_action = self._action(
            "Plan &follow-up…", "Ctrl+Shift+F", self.plan_follow_up
        )
        self.log_action = self._action("&Log activity…", "Ctrl+L", self.log_activity)
        self.delete_action = self._action("&Delete…", "Delete", self.delete)
        self.export_action = self._action("E&xport selected…", None, self.export_requested.emit)

    def _add(self, menu: QMenu, text: str, grouping: BoardGrouping, value: str) -> None:
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False: self.move(grouping, value))

    def _action(self, text: str, key: str | None, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self._parent)
        if key:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self._parent.addAction(action)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def context_menu(self) -> QMenu:
        menu = QMenu(self._parent)
        menu.addAction(self.open_action)
        menu.addSeparator()
        menu.addMenu(self.move_menu)
        menu.addMenu(self.assign_menu)
        menu.addAction(self.follow_up_action)
        menu.addAction(self.log_action)
        menu.addSeparator()
        menu.addAction(self.export_action)
        menu.addAction(self.delete_action)
        return menu

    def set_enabled(self, selected: int) -> None:
        self._selected = selected
        acting = selected > 0 and self.step is None
        for action in (self.follow_up_action, self.log_action, self.delete_action):
            action.setEnabled(acting)
        self.export_action.setEnabled(selected > 0)
        self.open_action.setEnabled(selected == 1)
        for menu in (self.move_menu, self.assign_menu):
            menu.setEnabled(acting)
            # The toolbar's Move to / Assign to buttons follow the menu's action.
            menu.menuAction().setEnabled(acting)

    def _fill_assign_menu(self) -> None:
        self.assign_menu.clear()
        with self._runner.ctx.db.reading() as connection:
            team = owner_names(connection)
        for owner_id, name in [*team, (None, "Nobody")]:
            if owner_id is None:
                self.assign_menu.addSeparator()
            action = self.assign_menu.addAction(name)
            action.triggered.connect(self._assigner(owner_id, name))

    def _assigner(self, owner_id: int | None, name: str) -> Callable[[], None]:
        return lambda: self.assign(owner_id, name)

    # -- the actions -------------------------------------------------------

    def _open(self) -> None:
        ids = self.ids()
        if ids:
            self.open_requested.emit(ids[0])

    def move(self, grouping: BoardGrouping, value: str) -> None:
        ids = self.ids()
        if not ids or self.step is not None:
            return
        fill: dict[int, dict[str, object]] = {}
        if self.gate.gates(ids, grouping, value):
            asked = self.gate.ask(ids, grouping, value)
            if asked is None:
                return
            fill = dict(asked)
        label = grouping.parse(value).label
        self._run(
            f"Move {{leads}} to {label}",
            f"Moving {_count(ids)} to {label}…",
            ids,
            move_leads_filling,
            ids,
            grouping,
            value,
            fill,
        )

    def assign(self, owner_id: int | None, name: str) -> None:
        ids = self.ids()
        if ids:
            self._run(
                f"Assign {{leads}} to {name}",
                f"Assigning {_count(ids)} to {name}…",
                ids,
                assign_owner,
                ids,
                owner_id,
            )

    def plan_follow_up(self) -> None:
        ids = self.ids()
        if not ids or self.step is not None or (answer := self.ask_follow_up(_count(ids))) is None:
            return
        due, note = answer
        self._run(
            "Plan follow-up for {leads}",
            f"Planning a follow-up for {_count(ids)}…",
            ids,
            add_follow_ups,
            ids,
            due,
            note,
        )

    def log_activity(self) -> None:
        ids = self.ids()
        if not ids or self.step is not None or (answer := self.ask_activity(_count(ids))) is None:
            return
        kind, text = answer
        label = ActivityKind(kind).label.lower()
        self._run(
            f"Log {label} for {{leads}}",
            f"Logging a {label} for {_count(ids)}…",
            ids,
            log_activities,
            ids,
            kind,
            text,
        )

    def delete(self) -> None:
        ids = self.ids()
        if ids and self.step is None and self.confirm_delete(ids):
            self._run("Delete {leads}", f"Deleting {_count(ids)}…", ids, delete_leads, ids)

    def _run(
        self,
        text: str,
        label: str,
        ids: list[int],
        operation: Callable[..., Reports],
        *args: Any,
    ) -> None:
        """One undoable step on a worker thread; the actions wait until it ends."""
        if self.step is not None:
            return
        step = BulkStep(self._runner, text, ids, operation, args, label=label, parent=self._parent)
        step.finished.connect(self._step_finished)
        self.step = step
        self.set_enabled(self._selected)
        step.start()

    def _step_finished(self, changed: bool) -> None:
        self.step = None
        self.set_enabled(self._selected)
        self.step_finished.emit(changed)

    # -- the dialogs ---------------------------------------------------------

    def _ask_follow_up(self, count: str) -> tuple[dt.datetime, str] | None:
        return FollowUpDialog(count, self._runner.ctx.clock.now(), self._parent).ask()

    def _ask_activity(self, count: str) -> tuple[str, str] | None:
        return ActivityDialog(count, self._parent).ask()

    def _confirm_delete(self, ids: list[int]) -> bool:
        answer = QMessageBox.question(
            self._parent,
            "Delete",
            f"Delete {_count(ids)}?\nDeleted leads are kept in the trash with their history.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes
