"""Asking for the next step: a preset, a date and time, or closing the lead.

Used after "Done" (every open lead needs a next step, so the question comes at
once) and to add a follow-up. The dialog only collects the answer; the caller
runs the operations, so the same dialog serves the agenda and the lead form.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.agenda import Preset, local_time, preset_time
from leaddesk.core.clock import Clock
from leaddesk.core.fields import DISQUALIFICATION_REASONS, Stage
from leaddesk.operations.changes import Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.leads import update_lead
from leaddesk.ui.runner import OperationRunner

DEFAULT_PRESET = Preset.TOMORROW
PICK_ID = 100
CLOSE_ID = 101


@dataclass(frozen=True, slots=True)
class PlannedFollowUp:
    due_at: dt.datetime
    note: str | None
    owner_id: int | None = None


@dataclass(frozen=True, slots=True)
class CloseLead:
    """End the lead instead of planning a next step: won, or disqualified with a reason."""

    stage: Stage
    reason: str | None = None
    won_value_cents: int | None = None


NextStep = PlannedFollowUp | CloseLead


def describe_local(moment: dt.datetime, now: dt.datetime, zone: dt.tzinfo) -> str:
    """'today 15:30', 'tomorrow 09:00', 'Mon 23 Nov 09:00' in the user's zone."""
    local = moment.astimezone(zone)
    days = (local.date() - now.astimezone(zone).date()).days
    if days == 0:
        return f"today {local:%H:%M}"
    if days == 1:
        return f"tomorrow {local:%H:%M}"
    return f"{local:%a %d %b %H:%M}"


class NextStepDialog(QDialog):
    """When is the next step (and what is it), or is the lead closed?"""

    def __init__(
        self,
        clock: Clock,
        zone: dt.tzinfo,
        lead_name: str,
        *,
        heading: str | None = None,
        allow_close: bool = True,
        owners: list[tuple[int, str]] | None = None,
        owner_id: int | None = None,
        reasons: tuple[str, ...] | list[str] = DISQUALIFICATION_REASONS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("nextStepDialog")
        self.setWindowTitle(f"Next step · {lead_name}")
        self.setMinimumWidth(400)
        self._clock = clock
        self._zone = zone
        self._now = clock.now()
        layout = QVBoxLayout(self)
        title = QLabel(heading or f"What is the next step with <b>{html.escape(lead_name)}</b>?")
        title.setWordWrap(True)
        layout.addWidget(title)

        self.choices = QButtonGroup(self)
        layout.addLayout(self._when_grid())
        layout.addLayout(self._note_and_owner(owners, owner_id))
        self.close_button: QRadioButton | None = None
        self.close_panel: QFrame | None = None
        if allow_close:
            self._add_close_choice(layout, reasons)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Not now" if allow_close else "Cancel")
        layout.addWidget(self.buttons)
        self.choices.idToggled.connect(self._update)
        self.preset_buttons[DEFAULT_PRESET].setChecked(True)
        self._update()

    def _when_grid(self) -> QGridLayout:
        """One choice per preset with the time it means, then "On" a picked date and time."""
        zone = self._zone
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        self.preset_buttons: dict[Preset, QRadioButton] = {}
        self.preset_hints: dict[Preset, QLabel] = {}
        for row, preset in enumerate(Preset):
            when = preset_time(preset, self._now, zone)
            button = QRadioButton(preset.label)
            button.setObjectName(f"preset-{preset.value}")
            self.choices.addButton(button, row)
            hint = QLabel(describe_local(when, self._now, zone))
            self.preset_buttons[preset] = button
            self.preset_hints[preset] = hint
            hint.setEnabled(False)
            grid.addWidget(button, row, 0)
            grid.addWidget(hint, row, 1)
        row = len(Preset)
        self.pick_button = QRadioButton("On")
        self.choices.addButton(self.pick_button, PICK_ID)
        self.picker = QDateTimeEdit()
        self.picker.setObjectName("dueEdit")
        self.picker.setCalendarPopup(True)
        self.picker.setDisplayFormat("ddd dd MMM yyyy  HH:mm")
        self.set_picker(preset_time(DEFAULT_PRESET, self._now, zone))
        self.picker.dateTimeChanged.connect(lambda _value: self.pick_button.setChecked(True))
        grid.addWidget(self.pick_button, row, 0)
        grid.addWidget(self.picker, row, 1)
        return grid

    def _note_and_owner(
        self, owners: list[tuple[int, str]] | None, owner_id: int | None
    ) -> QFormLayout:
        """What to do, and (when there is a team to choose from) who does it."""
        form = QFormLayout()
        self.note = QLineEdit()
        self.note.setObjectName("noteEdit")
        self.note.setPlaceholderText("What to do: call back about the quote…")
        form.addRow("Note", self.note)
        self.owner: QComboBox | None = None
        if owners:
            self.owner = QComboBox()
            self.owner.setObjectName("ownerCombo")
            for owners_id, name in owners:
                self.owner.addItem(name, owners_id)
            if owner_id is not None and (position := self.owner.findData(owner_id)) >= 0:
                self.owner.setCurrentIndex(position)
            form.addRow("Owner", self.owner)
        return form

    def _add_close_choice(self, layout: QVBoxLayout, reasons: tuple[str, ...] | list[str]) -> None:
        """The choice to close the lead instead: won (with a value) or disqualified (why)."""
        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.HLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(separator)
        self.close_button = QRadioButton("None — close the lead")
        self.close_button.setObjectName("closeLead")
        self.choices.addButton(self.close_button, CLOSE_ID)
        layout.addWidget(self.close_button)
        self.close_panel = QFrame()
        close_layout = QGridLayout(self.close_panel)
        close_layout.setContentsMargins(24, 0, 0, 0)
        self.won = QRadioButton("Won — it is a customer")
        self.won.setObjectName("closeWon")
        self.won_value = QDoubleSpinBox()
        self.won_value.setObjectName("wonValue")
        self.won_value.setRange(0, 1e10)
        self.won_value.setDecimals(2)
        self.won_value.setGroupSeparatorShown(True)
        self.won_value.setSpecialValueText("value (optional)")
        self.disqualified = QRadioButton("Disqualified")
        self.disqualified.setObjectName("closeDisqualified")
        self.reason = QComboBox()
        self.reason.setObjectName("reasonCombo")
        self.reason.addItems(list(reasons))
        self.outcomes = QButtonGroup(self)
        self.outcomes.addButton(self.won)
        self.outcomes.addButton(self.disqualified)
        self.won.setChecked(True)
        close_layout.addWidget(self.won, 0, 0)
        close_layout.addWidget(self.won_value, 0, 1)
        close_layout.addWidget(self.disqualified, 1, 0)
        close_layout.addWidget(self.reason, 1, 1)
        self.won_value.valueChanged.connect(lambda _v: self.won.setChecked(True))
        self.reason.activated.connect(lambda _i: self.disqualified.setChecked(True))
        layout.addWidget(self.close_panel)

    def set_picker(self, moment: dt.datetime) -> None:
        """Show ``moment`` in the picker as wall time in the user's zone."""
        local = moment.astimezone(self._zone)
        blocked = self.picker.blockSignals(True)
        self.picker.setDateTime(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )
        self.picker.blockSignals(blocked)

    def picked_time(self) -> dt.datetime:
        """The picker's wall time read in the user's zone (not Qt's), as UTC."""
        value = self.picker.dateTime()
        date, time = value.date(), value.time()
        return local_time(
            dt.date(date.year(), date.month(), date.day()),
            dt.time(time.hour(), time.minute()),
            self._zone,
        )

    def _update(self, *_args: object) -> None:
        closing = self.close_button is not None and self.close_button.isChecked()
        if self.close_panel is not None:
            self.close_panel.setEnabled(closing)
        self.note.setEnabled(not closing)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Close lead" if closing else "Plan follow-up")

    def choose(self, preset: Preset) -> None:
        self.preset_buttons[preset].setChecked(True)

    def result_step(self) -> NextStep:
        """The answer; meaningful after the dialog was accepted."""
        if self.close_button is not None and self.close_button.isChecked():
            if self.disqualified.isChecked():
                return CloseLead(Stage.DISQUALIFIED, reason=self.reason.currentText())
            value = round(self.won_value.value() * 100)
            return CloseLead(Stage.CUSTOMER, won_value_cents=value or None)
        checked = self.choices.checkedId()
        if checked == PICK_ID:
            due = self.picked_time()
        else:
            due = preset_time(list(Preset)[checked], self._clock.now(), self._zone)
        owner_id = self.owner.currentData() if self.owner is not None else None
        return PlannedFollowUp(due, self.note.text().strip() or None, owner_id)


def close_lead(
    ctx: OperationContext, lead_id: int, step: CloseLead, zone: dt.tzinfo
) -> Outcome[None]:
    """Won (stage Customer, won today) or Disqualified (with its reason), through update_lead."""
    values: dict[str, object] = {"stage": step.stage.value}
    if step.stage is Stage.CUSTOMER:
        values["won_date"] = ctx.clock.now().astimezone(zone).date()
        if step.won_value_cents is not None:
            values["won_value"] = step.won_value_cents
    else:
        values["disqualification_reason"] = step.reason
    return update_lead(ctx, lead_id, values)


def apply_next_step(runner: OperationRunner, lead_id: int, step: NextStep, zone: dt.tzinfo) -> bool:
    """Run the operation the answer asks for; False when it failed (the user was told)."""
    if isinstance(step, CloseLead):
        return runner.run(close_lead, lead_id, step, zone) is not None
    result = runner.run(add_follow_up, lead_id, step.due_at, step.note, step.owner_id)
    return result is not None
