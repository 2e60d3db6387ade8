"""The lead dialog behaves like the panel: keys, unsaved edits and messages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from leaddesk.storage.schema import activities, leads
from leaddesk.ui.lead_form.dialog import LeadFormDialog


def _dialog(qtbot, runner, lead_id: int | None = None) -> LeadFormDialog:
    dialog = LeadFormDialog(runner, lead_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _company(ctx, lead_id: int) -> str | None:
    with ctx.db.reading() as connection:
        return connection.execute(select(leads.c.company).where(leads.c.id == lead_id)).scalar()


def test_enter_in_the_activity_text_logs_it_and_nothing_else(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ada", "cold", company="Acme")
    dialog = _dialog(qtbot, runner, lead)
    dialog.edits["company"].setText("Changed but not saved")
    dialog.form.log_text.setFocus()
    qtbot.keyClicks(dialog.form.log_text, "Left a voicemail")

    qtbot.keyClick(dialog.form.log_text, Qt.Key.Key_Return)

    with ctx.db.reading() as connection:
        texts = connection.execute(select(activities.c.text)).scalars().all()
    assert texts == ["Left a voicemail"]
    assert dialog.isVisible()  # still open, the other edit still there and unsaved
    assert dialog.result() == 0
    assert _company(ctx, lead) == "Acme"
    assert dialog.edits["company"].text() == "Changed but not saved"


def test_ctrl_s_saves_in_the_dialog_as_in_the_panel(qtbot, runner, ctx, make_lead):
    lead = make_lead("Ada", "cold", company="Acme")
    dialog = _dialog(qtbot, runner, lead)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.edits["company"].setText("Nordlicht")
    dialog.edits["company"].setFocus()

    qtbot.keyClick(dialog.edits["company"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert _company(ctx, lead) == "Nordlicht"
    assert not dialog.isVisible()


def test_escape_with_unsaved_changes_asks_first(qtbot, runner, ctx):
    dialog = _dialog(qtbot, runner)
    asked: list[bool] = []
    answers = iter([False, True])  # first "keep editing", then "discard"

    def answer() -> bool:
        asked.append(True)
        return next(answers)

    dialog.confirm_discard = answer
    qtbot.keyClicks(dialog.edits["first_name"], "Half typed")

    qtbot.keyClick(dialog.edits["first_name"], Qt.Key.Key_Escape)
    assert len(asked) == 1
    assert dialog.isVisible()
    assert dialog.edits["first_name"].text() == "Half typed"

    qtbot.keyClick(dialog.edits["first_name"], Qt.Key.Key_Escape)
    assert len(asked) == 2
    assert not dialog.isVisible()
    with ctx.db.reading() as connection:
        assert connection.execute(select(func.count()).select_from(leads)).scalar() == 0


def test_escape_without_changes_closes_without_asking(qtbot, runner, make_lead):
    lead = make_lead("Ada", "cold")
    dialog = _dialog(qtbot, runner, lead)
    dialog.confirm_discard = _must_not_ask

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    assert not dialog.isVisible()


def _must_not_ask() -> bool:
    raise AssertionError("nothing to discard, nothing to ask")


def test_the_missing_name_message_goes_once_a_name_is_typed(qtbot, runner):
    dialog = _dialog(qtbot, runner)
    dialog.edits["company"].setText("Acme")
    dialog.save()
    assert dialog.error.isVisible()
    assert "needs at least a name" in dialog.error.text()

    qtbot.keyClicks(dialog.edits["first_name"], "Ada")

    assert not dialog.error.isVisible()
    assert dialog.isVisible()  # fixed, not saved behind the user's back
