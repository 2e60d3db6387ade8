"""The card menu: every move and action on the selected cards without a drag.

Moves go through the board (``CardHost.move_to``), so a move from the menu is
gated and undone exactly as a drop is; deleting goes through the window's
delete, which asks first. Logging a call, planning a follow-up and assigning
run their operations here, each as one undo step for all the cards.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMenu, QWidget

from leaddesk.core.agenda import system_zone
from leaddesk.core.fields import ActivityKind, BoardGrouping
from leaddesk.operations.activities import log_activity
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.leads import assign_owner
from leaddesk.operations.owners import my_owner_id
from leaddesk.storage.queries import owner_names
from leaddesk.ui.agenda.actions import FollowUpActions
from leaddesk.ui.agenda.next_step import NextStepDialog, PlannedFollowUp
from leaddesk.ui.runner import OperationRunner


class CardHost(Protocol):
    """What the menu asks of the board."""

    def open_lead(self, lead_id: int) -> None: ...

    def move_to(self, lead_ids: list[int], value: str) -> None: ...

    def delete_selected(self) -> None: ...


class CardMenu(QMenu):
    """Open, Move to ▸, Log call…, Plan follow-up…, Assign to ▸, Delete."""

    def __init__(
        self,
        runner: OperationRunner,
        host: CardHost,
        lead_ids: list[int],
        grouping: BoardGrouping,
        value: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cardMenu")
        self._runner = runner
        self._host = host
        self.lead_ids = list(lead_ids)
        several = len(self.lead_ids) > 1

        self.open_action = self._add("&Open", lambda: host.open_lead(self.lead_ids[0]))
        self.open_action.setShortcut(
            QKeySequence(QKeySequence.StandardKey.InsertParagraphSeparator)
        )
        self.open_action.setEnabled(not several)
        self.move_menu = self.addMenu("&Move to")
        self.move_menu.setObjectName("moveToMenu")
        self.move_actions: dict[str, QAction] = {}
        for target in grouping.values:
            action = self.move_menu.addAction(target.label)
            action.setObjectName(f"moveTo-{target.value}")
            # Already there: nothing to move (a card is moved within a column by drag).
            action.setEnabled(target.value != value)
            action.triggered.connect(
                lambda _checked=False, v=target.value: host.move_to(self.lead_ids, v)
            )
            self.move_actions[target.value] = action
        self.addSeparator()
        self.log_action = self._add("&Log call…", self.log_call)
        self.plan_action = self._add("&Plan follow-up…", self.plan_follow_up)
        self.assign_menu = self.addMenu("&Assign to")
        self.assign_menu.setObjectName("assignMenu")
        self._fill_assign_menu()
        self.addSeparator()
        label = f"&Delete {len(self.lead_ids)} leads…" if several else "&Delete…"
        self.delete_action = self._add(label, host.delete_selected)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))

    def _add(self, text: str, slot: object) -> QAction:
        action = self.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return action

    def _fill_assign_menu(self) -> None:
        with self._runner.ctx.db.reading() as connection:
            members = owner_names(connection)
        self.assign_actions: dict[int, QAction] = {}
        for owner_id, name in members:
            action = self.assign_menu.addAction(name)
            action.setObjectName(f"assign-{owner_id}")
            action.triggered.connect(lambda _checked=False, o=owner_id, n=name: self.assign(o, n))
            self.assign_actions[owner_id] = action
        self.assign_menu.setEnabled(bool(members))

    # -- actions -------------------------------------------------------------

    def assign(self, owner_id: int, name: str) -> None:
        self._runner.run_undoable(
            f"Assign {{leads}} to {name}", self.lead_ids, assign_owner, self.lead_ids, owner_id
        )

    def log_call(self) -> None:
        """Ask what happened on the call, then log it on every card (one undo step)."""
        parent = self.parentWidget()
        dialog = QInputDialog(parent)
        dialog.setObjectName("logCallDialog")
        dialog.setWindowTitle("Log call")
        count = len(self.lead_ids)
        dialog.setLabelText(
            "What happened on the call?" if count == 1 else f"What happened? ({count} leads)"
        )
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setOkButtonText("Log call")
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            text = dialog.textValue().strip() or None
        finally:
            dialog.deleteLater()
        with self._runner.undoable("Log call on {leads}", self.lead_ids):
            for lead_id in self.lead_ids:
                if self._runner.run(log_activity, lead_id, ActivityKind.CALL, text) is None:
                    break

    def plan_follow_up(self) -> None:
        """The agenda's next-step question; for several cards one answer plans them all."""
        parent = self.parentWidget()
        zone = system_zone()
        if len(self.lead_ids) == 1:
            FollowUpActions(self._runner, zone, parent or self).plan(self.lead_ids[0])
            return
        ctx = self._runner.ctx
        with ctx.db.reading() as connection:
            owners = owner_names(connection)
            me = my_owner_id(connection)
        dialog = NextStepDialog(
            ctx.clock,
            zone,
            f"{len(self.lead_ids)} leads",
            heading=f"What is the next step with these {len(self.lead_ids)} leads?",
            allow_close=False,
            owners=owners,
            owner_id=me,
            parent=parent,
        )
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            step = dialog.result_step()
        finally:
            dialog.deleteLater()
        assert isinstance(step, PlannedFollowUp)  # allow_close=False
        self._plan_all(step.due_at, step.note, step.owner_id)

    def _plan_all(self, due: dt.datetime, note: str | None, owner_id: int | None) -> None:
        with self._runner.undoable("Plan next step for {leads}", self.lead_ids):
            for lead_id in self.lead_ids:
                if self._runner.run(add_follow_up, lead_id, due, note, owner_id) is None:
                    break
