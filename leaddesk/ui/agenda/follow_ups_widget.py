"""A lead's open follow-ups, to embed in the lead form: add, done, snooze.

``FollowUpsWidget(runner, parent)``, then ``set_lead(lead_id)`` (None for a
lead not saved yet: the widget is then disabled). It refreshes itself when an
operation announces a change to its lead.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.agenda import SnoozeOption, system_zone
from leaddesk.core.fields import ActivityKind
from leaddesk.operations.changes import Changes
from leaddesk.storage.agenda_queries import lead_details, open_follow_ups
from leaddesk.ui.agenda.actions import FollowUpActions, add_done_actions
from leaddesk.ui.agenda.delegate import AgendaItemDelegate
from leaddesk.ui.agenda.model import AgendaItem, AgendaSectionModel
from leaddesk.ui.agenda.section_widgets import AgendaListView
from leaddesk.ui.menu_button import room_for_menu_arrow
from leaddesk.ui.runner import OperationRunner

VISIBLE_ROWS = 4


class FollowUpsWidget(QWidget):
    """The open follow-ups of one lead, soonest first, with Add, Done and Snooze."""

    follow_ups_changed = Signal()

    def __init__(
        self,
        runner: OperationRunner,
        parent: QWidget | None = None,
        *,
        zone: dt.tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("followUpsWidget")
        self.runner = runner
        self.zone = zone if zone is not None else system_zone()
        self.lead_id: int | None = None
        self.actions_ = FollowUpActions(runner, self.zone, self)
        self.model = AgendaSectionModel("lead", self.zone, self)
        self.view = AgendaListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(AgendaItemDelegate(runner.ctx.clock, self.zone, self))
        self.view.setAccessibleName("Open follow-ups")
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.empty = QLabel("No next step planned.")
        self.empty.setObjectName("followUpsEmpty")
        self.empty.setEnabled(False)

        self.add_button = QToolButton()
        self.add_button.setObjectName("addFollowUp")
        self.add_button.setText("Add follow-up…")
        self.add_button.clicked.connect(self.add)
        self.done_button = QToolButton()
        self.done_button.setObjectName("followUpDone")
        self.done_button.setText("Done")
        self.done_button.setToolTip("Mark done (a call) and plan the next step")
        self.done_button.clicked.connect(lambda: self.complete_selected(ActivityKind.CALL))
        done_menu = QMenu(self)
        add_done_actions(done_menu, self.complete_selected)
        self.done_button.setMenu(done_menu)
        self.done_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.snooze_button = QToolButton()
        self.snooze_button.setObjectName("followUpSnooze")
        self.snooze_button.setText("Snooze")
        self.snooze_menu = self.actions_.snooze_menu(self, self.snooze_selected)
        self.snooze_button.setMenu(self.snooze_menu)
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        room_for_menu_arrow(self.snooze_button)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.snooze_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        runner.changed.connect(self._on_changed)
        self.set_lead(None)

    # -- data ------------------------------------------------------------------

    def set_lead(self, lead_id: int | None) -> None:
        """Show the follow-ups of ``lead_id`` (None: a lead not saved yet)."""
        self.lead_id = lead_id
        self.reload()

    def reload(self) -> None:
        items: list[AgendaItem] = []
        if self.lead_id is not None:
            with self.runner.ctx.db.reading() as connection:
                entries = open_follow_ups(connection, lead_id=self.lead_id)
                details = lead_details(connection, [self.lead_id]).get(self.lead_id)
            items = [
                AgendaItem(
                    lead_id=entry.lead_id,
                    name=entry.note or "Follow up",
                    follow_up_id=entry.follow_up_id,
                    due_at=entry.due_at,
                    note=None,
                    company=details.owner if details else None,
                    temperature=details.temperature if details else "cold",
                )
                for entry in entries
            ]
        selected = self.selected_follow_up_id()
        self.model.set_items(items)
        row = self.model.row_of(follow_up_id=selected) if selected is not None else None
        if row is None and items:
            row = 0  # the soonest: what Done and Snooze act on unless another is chosen
        if row is not None:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        rows = len(items)
        self.view.setVisible(rows > 0)
        self.empty.setVisible(rows == 0)
        row_height = self.view.sizeHintForRow(0) if rows else 0
        self.view.setFixedHeight(min(rows, VISIBLE_ROWS) * row_height + 2)
        self.setEnabled(self.lead_id is not None)
        self._update_buttons()

    def _on_changed(self, changes: Changes) -> None:
        if self.lead_id is not None and self.lead_id in changes.leads:
            self.reload()
            self.follow_ups_changed.emit()

    @property
    def follow_up_ids(self) -> list[int]:
        return [item.follow_up_id for item in self.model.items if item.follow_up_id is not None]

    def selected_follow_up_id(self) -> int | None:
        indexes = self.view.selectionModel().selectedIndexes()
        if indexes:
            return self.model.items[indexes[0].row()].follow_up_id
        # With one follow-up, Done and Snooze need no selection.
        if len(self.model.items) == 1:
            return self.model.items[0].follow_up_id
        return None

    def _update_buttons(self) -> None:
        has = self.selected_follow_up_id() is not None
        self.done_button.setEnabled(has)
        self.snooze_button.setEnabled(has)
        # Nothing planned: only "Add" makes sense, so only "Add" is shown.
        self.done_button.setVisible(bool(self.model.items))
        self.snooze_button.setVisible(bool(self.model.items))
        self.add_button.setEnabled(self.lead_id is not None)

    # -- commands --------------------------------------------------------------

    def add(self) -> None:
        if self.lead_id is not None:
            self.actions_.plan(self.lead_id, allow_close=False)

    def complete_selected(self, kind: ActivityKind = ActivityKind.CALL) -> None:
        follow_up_id = self.selected_follow_up_id()
        if follow_up_id is not None and self.lead_id is not None:
            self.actions_.complete(follow_up_id, self.lead_id, kind)

    def snooze_selected(self, option: SnoozeOption) -> None:
        follow_up_id = self.selected_follow_up_id()
        if follow_up_id is not None:
            self.actions_.snooze(follow_up_id, option)

    def _context_menu(self, point: object) -> None:
        from PySide6.QtCore import QPoint

        assert isinstance(point, QPoint)
        index = self.view.indexAt(point)
        if not index.isValid():
            return
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        menu = QMenu(self)
        add_done_actions(menu, self.complete_selected)
        menu.addMenu(self.snooze_menu)
        menu.exec(self.view.viewport().mapToGlobal(point))
        menu.deleteLater()
