"""The short dialog a move hotter opens: only the fields the target tier is missing.

The user fills what they know and moves, or skips and moves anyway; Cancel
makes no move and changes nothing. A lead is disqualified only with a reason
(from the editable list in Settings), and marking one won asks for the value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import FIELDS_BY_NAME, BoardGrouping, Stage, Tier, display_name
from leaddesk.core.profiling import Gate, move_gate
from leaddesk.storage.lead_rows import live_leads_fields
from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.lead_form.field_editors import ChoiceEditor, FieldEditor, make_editor
from leaddesk.ui.runner import OperationRunner

_TIER_INTROS = {
    "warm": "A warm lead is engaged. What do you know about their need?",
    "hot": "A hot lead is ready to buy: check budget, authority and timing (BANT).",
}


class GateDialog(QDialog):
    """Asks for ``gate``'s fields before a move; ``values()`` holds what was filled."""

    def __init__(
        self,
        gate: Gate,
        *,
        lead_name: str,
        target_label: str,
        reasons: Sequence[str] = (),
        default_region: str | None = None,
        parent: QWidget | None = None,
        plural: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("gateDialog")
        self.setWindowTitle(f"Move {lead_name} to {target_label}")
        self.setMinimumWidth(460)
        self.gate = gate
        self.skipped = False
        self.editors: dict[str, FieldEditor] = {}

        intro = QLabel()
        intro.setObjectName("gateIntro")
        intro.setWordWrap(True)
        if gate.required == ("disqualification_reason",):
            verb = "are" if plural else "is"
            intro.setText(
                f"Why {verb} {lead_name} disqualified? A reason is needed for the report."
            )
        elif gate.fields == ("won_value",):
            intro.setText(f"{lead_name} is won. What is the deal worth?")
        else:
            tier = gate.target_tier.value if gate.target_tier else ""
            intro.setText(
                _TIER_INTROS.get(tier, "Before the move, fill in what you know:")
                + " Fill in what you know, or skip."
            )

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in (*gate.required, *gate.fields):
            choices = reasons if name == "disqualification_reason" else None
            editor = make_editor(name, self, choices=choices, default_region=default_region)
            if isinstance(editor, ChoiceEditor) and name == "disqualification_reason":
                editor.set_choices(reasons)
            editor.changed.connect(self._update_buttons)
            self.editors[name] = editor
            label = FIELDS_BY_NAME[name].label + (" *" if name in gate.required else "")
            form.addRow(label, editor.container)

        self.buttons = QDialogButtonBox()
        self.move_button = self.buttons.addButton(
            f"Move to {target_label}", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.move_button.setObjectName("gateMove")
        self.move_button.setDefault(True)
        self.skip_button: QPushButton | None = None
        if not gate.required:
            self.skip_button = self.buttons.addButton(
                "Skip", QDialogButtonBox.ButtonRole.ActionRole
            )
            self.skip_button.setObjectName("gateSkip")
            self.skip_button.setToolTip("Move without filling these in")
            self.skip_button.clicked.connect(self.skip)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setToolTip("Leave the lead where it was")
        self.move_button.clicked.connect(self._move)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_buttons()
        first = next(iter(self.editors.values()), None)
        if first is not None:
            QTimer.singleShot(0, self, first.focus)

    def _update_buttons(self) -> None:
        missing = [name for name in self.gate.required if self.editors[name].is_empty()]
        blocked = any(editor.problem() for editor in self.editors.values())
        self.move_button.setEnabled(not missing and not blocked)
        if missing:
            self.move_button.setToolTip("Choose a reason first.")
        else:
            self.move_button.setToolTip("")

    def _move(self) -> None:
        for editor in self.editors.values():
            editor.refresh_message()
        if self.move_button.isEnabled():
            self.accept()

    def skip(self) -> None:
        """Move without the fields (only when none is required)."""
        if self.gate.required:
            return
        self.skipped = True
        self.accept()

    def values(self) -> dict[str, Any]:
        """The fields the user filled in (nothing after Skip)."""
        if self.skipped:
            return {}
        return {
            name: editor.value()
            for name, editor in self.editors.items()
            if not editor.is_empty() and not editor.problem()
        }


def ask_gate(
    runner: OperationRunner,
    values: Mapping[str, Any],
    gate: Gate,
    target_label: str,
    parent: QWidget | None,
    *,
    several: int = 0,
) -> dict[str, Any] | None:
    """Run the gate dialog for one lead (or ``several``): the values, or None when cancelled."""
    with runner.ctx.db.reading() as connection:
        settings = read_settings(connection)
    name = display_name(values.get("first_name"), values.get("last_name"), values.get("email"))
    if several:
        name = f"these {several} leads"
    dialog = GateDialog(
        gate,
        lead_name=name,
        target_label=target_label,
        reasons=list(settings["disqualification_reasons"]),
        default_region=settings["default_region"] or None,
        parent=parent,
        plural=bool(several),
    )
    try:
        if not dialog.exec():
            return None
        return dialog.values()
    finally:
        dialog.deleteLater()


class MoveGate:
    """What the board asks before a drag hotter (installed by the main window).

    ``gates`` tells whether a move needs asking; ``ask`` asks for each lead in
    turn. The board then makes the move with what was filled, as one operation
    (``move_leads_filling``), or makes no move at all when the user cancelled.
    """

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        self._runner = runner
        self._parent = parent

    def gates(
        self, lead_ids: Sequence[int], grouping: BoardGrouping, value: str
    ) -> dict[int, tuple[dict[str, Any], Gate]]:
        """The leads of a move that need asking, with their values and gate."""
        target = {grouping.value: value}
        needed: dict[int, tuple[dict[str, Any], Gate]] = {}
        with self._runner.ctx.db.reading() as connection:
            found = live_leads_fields(connection, lead_ids)
        for lead_id in lead_ids:
            values = found.get(lead_id)
            if values is None or values.get(grouping.value) == value:
                continue
            gate = move_gate(values, **target)
            if gate:
                needed[lead_id] = (values, gate)
        return needed

    def ask(
        self, lead_ids: Sequence[int], grouping: BoardGrouping, value: str
    ) -> dict[int, dict[str, Any]] | None:
        """The values to save per lead with the move, or None when the user cancelled."""
        label = grouping.parse(value).label
        gated = self.gates(lead_ids, grouping, value)
        fill: dict[int, dict[str, Any]] = {}
        if len(gated) > 1:
            # Several cards at once: one question for what is required (the reason to
            # disqualify them), not a dialog per card for what each deal is worth.
            required = tuple(
                dict.fromkeys(name for _values, gate in gated.values() for name in gate.required)
            )
            shared: dict[str, Any] = {}
            if required:
                common = Gate(required=required, target_tier=Tier.CLOSED)
                answer = ask_gate(self._runner, {}, common, label, self._parent, several=len(gated))
                if answer is None:
                    return None
                shared = answer
            for lead_id, (_values, gate) in gated.items():
                fill[lead_id] = {name: shared[name] for name in gate.required if name in shared}
        else:
            for lead_id, (values, gate) in gated.items():
                single = ask_gate(self._runner, values, gate, label, self._parent)
                if single is None:
                    return None
                fill[lead_id] = single
        if grouping is BoardGrouping.STAGE and value == Stage.CUSTOMER:
            today = self._runner.ctx.clock.now().astimezone().date()
            for lead_id, (values, _gate) in gated.items():
                if not values.get("won_date"):
                    fill[lead_id].setdefault("won_date", today)
        return fill
