"""PipelineRow: temperature, stage and owner; a pick is announced, then settled or put back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from leaddesk.storage.schema import leads
from leaddesk.ui.lead_form.form import LeadForm
from leaddesk.ui.lead_form.pipeline_row import PipelineRow


def _row(qtbot) -> PipelineRow:
    row = PipelineRow(["Priya Patel", "Sam Seller"])
    qtbot.addWidget(row)
    row.show()
    qtbot.waitExposed(row)
    return row


def test_choosing_a_stage_emits_chosen_with_the_value(qtbot):
    row = _row(qtbot)
    row.set_value("stage", "lead")
    row.stage.setFocus()
    with qtbot.waitSignal(row.chosen) as blocker:
        qtbot.keyClick(row.stage, Qt.Key.Key_Down)
    assert blocker.args == ["stage", "mql"]
    assert row.settled("stage") == "lead"  # until the form accepts it
    row.settle("stage")
    assert row.settled("stage") == "mql"


def test_a_pick_put_back_shows_the_settled_value_and_is_one_edit(qtbot):
    row = _row(qtbot)
    row.set_value("temperature", "warm")
    row.pick("temperature", "hot")
    assert row.picked_label("temperature") == "Hot"
    edits: list[bool] = []
    row.edited.connect(lambda: edits.append(True))
    row.put_back("temperature")
    assert row.temperature.currentData() == "warm"
    assert edits == [True]


def test_values_are_the_owner_by_name_the_temperature_and_the_stage(qtbot):
    row = _row(qtbot)
    for name, value in (("owner", "Sam Seller"), ("temperature", "hot"), ("stage", "sql")):
        row.set_value(name, value)
    assert row.values() == {"owner": "Sam Seller", "temperature": "hot", "stage": "sql"}
    row.set_value("stage", None)  # nothing stored: the first stage
    assert row.settled("stage") == "lead"


def test_in_the_form_a_cooler_temperature_is_taken_and_saved(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ada", "hot")
    form = LeadForm(runner)
    qtbot.addWidget(form)
    form.load(lead)
    form.show()
    qtbot.waitExposed(form)
    form.temperature.setFocus()
    with qtbot.waitSignal(form.pipeline.chosen) as blocker:
        qtbot.keyClick(form.temperature, Qt.Key.Key_Up)
    assert blocker.args == ["temperature", "warm"]
    assert form.pipeline.settled("temperature") == "warm"  # a move cooler asks nothing
    assert form.is_dirty()
    assert form.save()
    with ctx.db.reading() as connection:
        stored = connection.execute(select(leads.c.temperature).where(leads.c.id == lead))
        assert stored.scalar_one() == "warm"
