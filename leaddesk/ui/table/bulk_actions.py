"""The lead table's bulk actions: each is one operation and one undo step.

The actions act on the table's selected leads (``ids()``); their dialogs are
small and ask once for all of them: one due time and note, one activity. A move
hotter is gated as on the board (lead_form.gate_dialog.MoveGate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QDateTime, QObject, Qt, QTime, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QWidget,
)

from leaddesk.core.fields import ActivityKind, BoardGrouping, Stage, Temperature
from leaddesk.operations.bulk import add_follow_ups, assign_owner, log_activities
from leaddesk.operations.leads import delete_leads, move_leads_filling
from leaddesk.storage.queries import owner_names
from leaddesk.ui.lead_form.gate_dialog import MoveGate
from leaddesk.ui.runner import OperationRunner


def _count(ids: list[int]) -> str:
    return f"{len(ids):,} lead{'s' if len(ids) != 1 else ''}"


class FollowUpDialog(QDialog):
    """One due time and one note for every selected lead."""

    def __init__(self, count: str, now: dt.datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Plan follow-up for {count}")
        self.due = QDateTimeEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd HH:mm")
        day = now.astimezone().date() + dt.timedelta(days=1)
        self.due.setDateTime(QDateTime(QDate(day.year, day.month, day.day), QTime(9, 0)))
        self.note = QLineEdit()
        self.note.setPlaceholderText("Call back, send proposal…")
        form = QFormLayout(self)
        form.addRow("&Due", self.due)
        form.addRow("&Note", self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Plan")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(380)

    def due_at(self) -> dt.datetime:
        moment = self.due.dateTime().toPython()
        assert isinstance(moment, dt.datetime)
        # The editor shows local time: read it as such.
        return moment.astimezone()


class ActivityDialog(QDialog):
    """One activity (kind and text) logged on every selected lead, now."""

    def __init__(self, count: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Log activity for {count}")
        self.kind = QComboBox()
        for kind in ActivityKind:
            self.kind.addItem(kind.label, kind.value)
        self.text = QLineEdit()
        self.text.setPlaceholderText("What happened")
        form = QFormLayout(self)
        form.addRow("&Kind", self.kind)
        form.addRow("&Text", self.text)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Log")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(380)


class BulkActions(QObject):
    """The actions, their menus, and what each runs on the selected leads."""

    export_requested = Signal()
    open_requested = Signal(int)

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
        for action in (self.follow_up_action, self.log_action, self.delete_action):
            action.setEnabled(selected > 0)
        self.export_action.setEnabled(selected > 0)
        self.open_action.setEnabled(selected == 1)
        self.move_menu.setEnabled(selected > 0)
        self.assign_menu.setEnabled(selected > 0)

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
        if not ids:
            return
        fill: dict[int, dict[str, object]] = {}
        if self.gate.gates(ids, grouping, value):
            asked = self.gate.ask(ids, grouping, value)
            if asked is None:
                return
            fill = dict(asked)
        label = grouping.parse(value).label
        self._runner.run_undoable(
            f"Move {{leads}} to {label}", ids, move_leads_filling, ids, grouping, value, fill
        )

    def assign(self, owner_id: int | None, name: str) -> None:
        ids = self.ids()
        if ids:
            self._runner.run_undoable(
                f"Assign {{leads}} to {name}", ids, assign_owner, ids, owner_id
            )

    def plan_follow_up(self) -> None:
        ids = self.ids()
        if not ids or (answer := self.ask_follow_up(_count(ids))) is None:
            return
        due, note = answer
        self._runner.run_undoable("Plan follow-up for {leads}", ids, add_follow_ups, ids, due, note)

    def log_activity(self) -> None:
        ids = self.ids()
        if not ids or (answer := self.ask_activity(_count(ids))) is None:
            return
        kind, text = answer
        label = ActivityKind(kind).label.lower()
        self._runner.run_undoable(
            f"Log {label} for {{leads}}", ids, log_activities, ids, kind, text
        )

    def delete(self) -> None:
        ids = self.ids()
        if ids and self.confirm_delete(ids):
            self._runner.run_undoable("Delete {leads}", ids, delete_leads, ids)

    # -- the dialogs ---------------------------------------------------------

    def _ask_follow_up(self, count: str) -> tuple[dt.datetime, str] | None:
        dialog = FollowUpDialog(count, self._runner.ctx.clock.now(), self._parent)
        try:
            if not dialog.exec():
                return None
            return dialog.due_at(), dialog.note.text()
        finally:
            dialog.deleteLater()

    def _ask_activity(self, count: str) -> tuple[str, str] | None:
        dialog = ActivityDialog(count, self._parent)
        try:
            if not dialog.exec():
                return None
            return str(dialog.kind.currentData()), dialog.text.text()
        finally:
            dialog.deleteLater()

    def _confirm_delete(self, ids: list[int]) -> bool:
        answer = QMessageBox.question(
            self._parent,
            "Delete",
            f"Delete {_count(ids)}?\nDeleted leads are kept in the trash with their history.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes
