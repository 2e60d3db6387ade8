"""What the agenda and the follow-ups widget do to a follow-up: done, snooze, plan.

Shared by both so "Done" behaves the same wherever it is clicked: it completes
the follow-up (logging how it was done) and asks for the next step at once.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from leaddesk.core.agenda import SnoozeOption, snooze_until
from leaddesk.core.fields import DISQUALIFICATION_REASONS, DONE_KINDS, ActivityKind, display_name
from leaddesk.operations.follow_ups import complete_follow_up, snooze_follow_up
from leaddesk.storage.agenda_queries import follow_up_lead
from leaddesk.storage.lead_rows import stored_lead
from leaddesk.storage.queries import owner_names
from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.agenda.next_step import CloseLead, NextStepDialog, apply_next_step
from leaddesk.ui.runner import OperationRunner

DONE_LABELS = {
    ActivityKind.CALL: "Done — I called",
    ActivityKind.EMAIL: "Done — I emailed",
    ActivityKind.MEETING: "Done — we met",
    ActivityKind.NOTE: "Done — no contact (a note)",
}


def add_done_actions(menu: QMenu, on_kind: Callable[[ActivityKind], object]) -> None:
    """One "Done — …" entry per way of having done it; ``on_kind(kind)`` runs on a pick."""
    for kind in DONE_KINDS:
        action = menu.addAction(DONE_LABELS[kind])
        action.triggered.connect(lambda _checked=False, k=kind: on_kind(k))


class FollowUpActions(QObject):
    """Runs done / snooze / plan for one widget, asking the user where needed."""

    def __init__(self, runner: OperationRunner, zone: dt.tzinfo, parent: QWidget) -> None:
        super().__init__(parent)
        self.runner = runner
        self.zone = zone
        self._parent = parent

    def complete(
        self,
        follow_up_id: int,
        lead_id: int,
        kind: ActivityKind = ActivityKind.CALL,
        *,
        ask_next: bool = True,
    ) -> bool:
        """Mark done, then ask for the next step; False when nothing was done.

        Each is its own step in Edit > Undo: the follow-up done, then the next one.
        """
        with self.runner.undoable("Done with {leads}", [lead_id]):
            done = self.runner.run(complete_follow_up, follow_up_id, kind=kind)
        if done is None:
            return False
        if ask_next:
            self.plan(lead_id, after_done=True)
        return True

    def snooze(self, follow_up_id: int, option: SnoozeOption) -> bool:
        until = snooze_until(option, self.runner.ctx.clock.now(), self.zone)
        lead_id = self._lead_of(follow_up_id)
        with self.runner.undoable("Snooze {leads}", [] if lead_id is None else [lead_id]):
            return self.runner.run(snooze_follow_up, follow_up_id, until) is not None

    def _lead_of(self, follow_up_id: int) -> int | None:
        with self.runner.ctx.db.reading() as connection:
            return follow_up_lead(connection, follow_up_id)

    def plan(self, lead_id: int, *, after_done: bool = False, allow_close: bool = True) -> bool:
        """Ask for the next step on a lead (or closing it) and apply the answer."""
        ctx = self.runner.ctx
        with ctx.db.reading() as connection:
            values = stored_lead(connection, lead_id)
            owners = owner_names(connection)
            reasons = read_settings(connection).get("disqualification_reasons") or []
        if values is None:
            return False
        name = display_name(values["first_name"], values["last_name"], values["email"])
        heading = None
        if after_done:
            heading = f"Done. What is the next step with <b>{html.escape(name)}</b>?"
        dialog = NextStepDialog(
            ctx.clock,
            self.zone,
            name,
            heading=heading,
            allow_close=allow_close,
            owners=owners,
            owner_id=values["owner"],
            reasons=[str(reason) for reason in reasons] or list(DISQUALIFICATION_REASONS),
            parent=self._parent,
        )
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            step = dialog.result_step()
            text = "Close {leads}" if isinstance(step, CloseLead) else "Plan next step for {leads}"
            with self.runner.undoable(text, [lead_id]):
                return apply_next_step(self.runner, lead_id, step, self.zone)
        finally:
            dialog.deleteLater()

    def snooze_menu(self, parent: QWidget, on_choice: Callable[[SnoozeOption], object]) -> QMenu:
        """A menu of the snooze options; ``on_choice(option)`` is called with the pick."""
        menu = QMenu("Snooze", parent)
        for option in SnoozeOption:
            action = QAction(option.label, menu)
            action.setObjectName(f"snooze-{option.value}")
            action.triggered.connect(lambda _checked=False, o=option: on_choice(o))
            menu.addAction(action)
        return menu
