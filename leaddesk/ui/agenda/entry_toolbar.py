"""The agenda's toolbar: Done (with a menu of how it was done), Snooze, Plan next
step and Export calendar.

Owns the buttons and their actions, and which of them the selected entry allows
(``show_entry``); what a click does is the panel's, told by the signals.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from leaddesk.core.fields import ActivityKind
from leaddesk.ui.agenda.actions import add_done_actions
from leaddesk.ui.agenda.model import AgendaItem
from leaddesk.ui.menu_button import room_for_menu_arrow


class AgendaEntryToolbar(QWidget):
    """The buttons over the agenda's sections, acting on the selected entry."""

    done = Signal(object)  # the ActivityKind it was done by
    plan = Signal()
    export = Signal()

    def __init__(self, snooze_menu: QMenu, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaToolbar")
        self.done_action = QAction("Done", self)
        self.done_action.setObjectName("agendaDone")
        self.done_action.setShortcut(QKeySequence("Ctrl+D"))
        self.done_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.done_action.setToolTip(
            "Mark the follow-up done (a call), then plan the next step (Ctrl+D)"
        )
        self.done_action.triggered.connect(lambda: self.done.emit(ActivityKind.CALL))
        done_menu = QMenu(self)
        add_done_actions(done_menu, self.done.emit)
        self.done_button = QToolButton()
        self.done_button.setObjectName("doneButton")
        self.done_button.setDefaultAction(self.done_action)
        self.done_button.setMenu(done_menu)
        self.done_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)

        self.snooze_button = QToolButton()
        self.snooze_button.setObjectName("snoozeButton")
        self.snooze_button.setText("Snooze")
        self.snooze_button.setToolTip("Put the follow-up off")
        self.snooze_button.setMenu(snooze_menu)
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        self.plan_action = QAction("Plan next step", self)
        self.plan_action.setToolTip("Plan a follow-up for the selected lead")
        self.plan_action.triggered.connect(lambda: self.plan.emit())
        self.plan_button = QToolButton()
        self.plan_button.setDefaultAction(self.plan_action)

        self.export_action = QAction("Export calendar…", self)
        self.export_action.setObjectName("exportCalendar")
        self.export_action.setToolTip(
            "Write every open follow-up to an .ics file for your calendar"
        )
        self.export_action.triggered.connect(lambda: self.export.emit())
        export_button = QToolButton()
        export_button.setDefaultAction(self.export_action)
        self._lay_out(export_button)

    def _lay_out(self, export_button: QToolButton) -> None:
        bar = QHBoxLayout(self)
        bar.setContentsMargins(6, 6, 6, 2)
        bar.setSpacing(4)
        for button in (self.done_button, self.snooze_button, self.plan_button, export_button):
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        room_for_menu_arrow(self.snooze_button)
        bar.addWidget(self.done_button)
        bar.addWidget(self.snooze_button)
        bar.addWidget(self.plan_button)
        bar.addStretch(1)
        bar.addWidget(export_button)

    def show_entry(self, item: AgendaItem | None) -> None:
        """Enable what the selected entry allows: Done and Snooze need a follow-up."""
        is_follow_up = item is not None and item.follow_up_id is not None
        self.done_action.setEnabled(is_follow_up)
        self.done_button.setEnabled(is_follow_up)
        self.snooze_button.setEnabled(is_follow_up)
        self.plan_action.setEnabled(item is not None)
