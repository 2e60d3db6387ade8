"""The lead form's pipeline row: temperature, stage and owner, and the gate a move hotter asks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel

from leaddesk.core.fields import FIELDS_BY_NAME, Stage, Temperature
from leaddesk.core.profiling import move_gate, reached_tiers
from leaddesk.ui.lead_form.field_editors import ChoiceEditor
from leaddesk.ui.lead_form.gate_dialog import ask_gate

if TYPE_CHECKING:
    from leaddesk.ui.lead_form.form import LeadForm


def build_pipeline_row(form: LeadForm) -> QGridLayout:
    """The temperature, stage and owner pickers at the top of the form, laid out in a row."""
    form.temperature = QComboBox()
    form.temperature.setObjectName("temperature")
    form.temperature.setAccessibleName("Temperature")
    for temperature in Temperature:
        form.temperature.addItem(temperature.label, temperature.value)
    form.stage = QComboBox()
    form.stage.setObjectName("stage")
    form.stage.setAccessibleName("Stage")
    for stage in Stage:
        form.stage.addItem(stage.label, stage.value)
    form.owner_editor = ChoiceEditor(
        FIELDS_BY_NAME["owner"], form, choices=form._owners, editable=True
    )
    form.owner = form.owner_editor.combo
    form.owner.setObjectName("owner")
    form.owner_editor.changed.connect(form._on_edited)
    form.temperature.currentIndexChanged.connect(lambda _i: form._on_edited())
    form.stage.currentIndexChanged.connect(lambda _i: form._on_edited())
    form.temperature.activated.connect(lambda _i: form._pipeline_chosen("temperature"))
    form.stage.activated.connect(lambda _i: form._pipeline_chosen("stage"))

    pipeline = QGridLayout()
    pipeline.setHorizontalSpacing(8)
    for column, (label, widget) in enumerate(
        (("Temperature", form.temperature), ("Stage", form.stage), ("Owner", form.owner))
    ):
        caption = QLabel(label)
        caption.setBuddy(widget)
        pipeline.addWidget(caption, 0, column)
        pipeline.addWidget(widget, 1, column)
        pipeline.setColumnStretch(column, 1)
    return pipeline


def pipeline_chosen(form: LeadForm, which: str) -> bool:
    """The user picked a temperature or stage: ask what a move hotter needs.

    Cancel puts the previous choice back; returns whether the change stands.
    """
    combo = form.temperature if which == "temperature" else form.stage
    previous = form._temperature_value if which == "temperature" else form._stage_value
    chosen = combo.currentData()
    if chosen == previous:
        return True
    values = form.values()
    values[which] = previous
    gate = move_gate(values, **{which: chosen})
    if gate:
        label = combo.currentText()
        answer = ask_gate(form._runner, values, gate, label, form)
        if answer is None:
            form._loading = True
            combo.setCurrentIndex(combo.findData(previous))
            form._loading = False
            form._on_edited()
            return False
        for name, value in answer.items():
            form.editors[name].set_value(value)
    if which == "temperature":
        form._temperature_value = chosen
    else:
        form._stage_value = chosen
        if chosen == Stage.CUSTOMER and form.editors["won_date"].is_empty():
            form.editors["won_date"].set_value(form._runner.ctx.clock.now().astimezone().date())
    for tier in reached_tiers(form.values()):
        form.sections[tier].set_expanded(True)
    form._on_edited()
    return True
