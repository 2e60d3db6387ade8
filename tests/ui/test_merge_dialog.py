"""The merge dialog: one choice per differing field, a sensible proposal, undoable."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from leaddesk.operations.activities import log_activity
from leaddesk.storage.schema import activities, leads
from leaddesk.ui.lead_form.form import LeadForm
from leaddesk.ui.main_window import MainWindow
from leaddesk.ui.merge_dialog import MergeDialog, merge_with_duplicate


def _lead(ctx, lead_id: int):
    with ctx.db.reading() as connection:
        return connection.execute(select(leads).where(leads.c.id == lead_id)).one()


def _dialog(qtbot, runner, keep: int, other: int) -> MergeDialog:
    dialog = MergeDialog(runner, keep, other)
    qtbot.addWidget(dialog)
    return dialog


def _answer_merge(seen: list[tuple[int, int]], *, merge: bool = True) -> None:
    """Once the merge dialog opens, note its (keep, other) in ``seen`` and merge (or cancel)."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, MergeDialog):
            QTimer.singleShot(10, answer)
            return
        seen.append((dialog.keep_id, dialog.other_id))
        if merge:
            dialog.merge_button.click()
        else:
            dialog.reject()

    QTimer.singleShot(0, answer)


def test_only_differing_fields_are_offered_with_the_proposal_checked(
    qtbot, runner, make_lead, clock
):
    keep = make_lead("Anna", "cold", last_name="Schäfer", email="anna@nordlicht.example")
    other = make_lead("Anna", "hot", last_name="Schäfer", phone="+49 30 1234567", consent="denied")
    dialog = _dialog(qtbot, runner, keep, other)

    assert set(dialog.groups) == {"email", "phone", "temperature", "consent"}
    assert dialog.findChild(object, "email_keep").isChecked()  # only the kept lead has one
    assert dialog.findChild(object, "phone_other").isChecked()  # only the other has one
    assert dialog.findChild(object, "temperature_other").text() == "Hot"
    assert dialog.findChild(object, "temperature_other").isChecked()
    assert dialog.findChild(object, "consent_other").isChecked()  # denied consent wins
    assert dialog.findChild(object, "phone_keep").text() == "(empty)"


def test_merge_applies_the_choices_and_is_one_undo_step(qtbot, runner, ctx, make_lead):
    keep = make_lead("Anna", "cold", last_name="Schäfer", company="Nordlicht GmbH")
    other = make_lead("Anna", "hot", last_name="Schaefer", company="Nordlicht")
    log_activity(ctx, other, "demo_request", "Asked for a demo")
    dialog = _dialog(qtbot, runner, keep, other)

    dialog.findChild(object, "last_name_keep").click()
    dialog.findChild(object, "temperature_keep").click()
    dialog.findChild(object, "company_other").click()
    dialog.merge_button.click()

    assert dialog.result() == MergeDialog.DialogCode.Accepted
    kept = _lead(ctx, keep)
    assert (kept.last_name, kept.company, kept.temperature) == ("Schäfer", "Nordlicht", "cold")
    assert _lead(ctx, other).deleted_at is not None
    with ctx.db.reading() as connection:
        texts = connection.execute(
            select(activities.c.text).where(activities.c.lead_id == keep)
        ).scalars()
        assert "Asked for a demo" in list(texts)
    assert runner.undo_stack.undoText() == "Merge Anna Schaefer into Anna Schäfer"
    runner.undo_stack.undo()
    assert _lead(ctx, other).deleted_at is None
    assert _lead(ctx, keep).company == "Nordlicht GmbH"


def test_swap_keeps_the_other_lead_instead(qtbot, runner, ctx, make_lead):
    first = make_lead("Anna", email="anna@nordlicht.example")
    second = make_lead("Anna", email="a.schaefer@nordlicht.example")
    dialog = _dialog(qtbot, runner, first, second)

    dialog.swap_button.click()
    assert (dialog.keep_id, dialog.other_id) == (second, first)
    dialog.merge_button.click()

    assert _lead(ctx, first).deleted_at is not None
    assert _lead(ctx, second).deleted_at is None


def test_cancel_changes_nothing(qtbot, runner, ctx, make_lead):
    keep = make_lead("Anna", email="anna@nordlicht.example")
    other = make_lead("Anna", phone="+49 30 1234567")
    dialog = _dialog(qtbot, runner, keep, other)
    dialog.buttons.rejected.emit()
    assert _lead(ctx, other).deleted_at is None
    assert _lead(ctx, keep).phone is None
    assert runner.undo_stack.count() == 0


def test_edit_merge_selected_leads_merges_the_two_selected_cards(qtbot, runner, ctx, make_lead):
    older = make_lead("Anna", email="anna@nordlicht.example")
    newer = make_lead("Anna", phone="+49 30 1234567")
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.board.column_for("cold").view.selectAll()
    seen: list[tuple[int, int]] = []
    _answer_merge(seen)
    window.merge_action.trigger()

    assert seen == [(older, newer)]
    assert _lead(ctx, newer).deleted_at is not None
    assert _lead(ctx, older).phone == "+49 30 1234567"
    window.board.flush()
    assert window.board.column_for("cold").model.lead_ids == [older]


def test_merge_selected_needs_two_cards(qtbot, runner, make_lead):
    make_lead("Anna")
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.board.column_for("cold").view.selectAll()
    window.merge_action.trigger()
    assert "Select the two cards" in window.statusBar().currentMessage()


def test_merge_from_a_new_lead_saves_it_and_merges_it_into_the_existing_one(
    qtbot, runner, ctx, make_lead
):
    existing = make_lead("Anna", email="anna@nordlicht.example", company="Nordlicht")
    form = LeadForm(runner)
    qtbot.addWidget(form)
    form.edits["first_name"].setText("Anna")
    form.edits["email"].setText("anna@nordlicht.example")
    form.edits["job_title"].setText("Head of Sales")
    seen: list[tuple[int, int]] = []
    _answer_merge(seen)

    kept = merge_with_duplicate(runner, form, existing, None)

    assert kept == existing
    (created,) = [other for keep, other in seen]
    assert seen == [(existing, created)]
    assert _lead(ctx, created).deleted_at is not None
    assert _lead(ctx, existing).job_title == "Head of Sales"
    assert form.lead_id == existing


def test_merge_from_an_edited_lead_keeps_it_and_cancel_keeps_both(qtbot, runner, ctx, make_lead):
    edited = make_lead("Anna", email="anna@nordlicht.example")
    other = make_lead("Anna", phone="+49 30 1234567")
    form = LeadForm(runner)
    qtbot.addWidget(form)
    form.load(edited)
    form.edits["job_title"].setText("Head of Sales")  # unsaved: saved before the merge
    seen: list[tuple[int, int]] = []
    _answer_merge(seen, merge=False)

    assert merge_with_duplicate(runner, form, other, None) is None

    assert seen == [(edited, other)]
    assert _lead(ctx, edited).job_title == "Head of Sales"
    assert _lead(ctx, other).deleted_at is None


def test_names_with_markup_characters_read_as_typed(qtbot, runner, make_lead):
    keep = make_lead("Tom & <Jerry>", "cold")
    other = make_lead("<b>Spike</b>", "hot")
    dialog = _dialog(qtbot, runner, keep, other)

    heading = QTextDocument()
    heading.setHtml(dialog.heading.text())
    assert heading.toPlainText().startswith(
        f"<b>Spike</b> (lead {other}) will be merged into Tom & <Jerry> (lead {keep})."
    )
    assert "<b>Spike</b> goes to the trash" in dialog.note.text()
    assert dialog.note.textFormat() == Qt.TextFormat.PlainText
    dialog.swap_button.click()
    heading.setHtml(dialog.heading.text())
    assert heading.toPlainText().startswith(f"Tom & <Jerry> (lead {keep}) will be merged")
