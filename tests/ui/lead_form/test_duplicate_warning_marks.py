"""The form's "Possible duplicate of …" line: recorded on save, dismissed (undoably),
merged through the merge dialog, gone when the other lead is deleted."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from leaddesk.operations.duplicate_marks import mark_possible_duplicates
from leaddesk.operations.leads import delete_leads
from leaddesk.storage.duplicates import open_pairs
from leaddesk.ui.lead_form.dialog import LeadFormDialog
from leaddesk.ui.lead_form.duplicate_warning import DuplicateWarning
from leaddesk.ui.merge_dialog import MergeDialog

PHONE = "+49301234560"


def _open_pairs(ctx) -> list[tuple[int, int]]:
    with ctx.db.reading() as connection:
        return [(pair.lead_id, pair.other_id) for pair in open_pairs(connection)]


def _form(qtbot, runner, lead_id: int | None = None) -> tuple[LeadFormDialog, DuplicateWarning]:
    dialog = LeadFormDialog(runner, lead_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    banner = dialog.findChild(DuplicateWarning)
    banner.check_now()
    return dialog, banner


def test_saving_a_colleague_records_the_pair_and_the_form_names_it(
    qtbot, runner, ctx, make_lead
) -> None:
    anna = make_lead("Anna", last_name="Berg", email="anna@x.example", phone=PHONE)
    dialog, banner = _form(qtbot, runner)

    qtbot.keyClicks(dialog.edits["first_name"], "Hanna")
    qtbot.keyClicks(dialog.edits["email"], "hanna@x.example")
    qtbot.keyClicks(dialog.edits["phone"], PHONE)
    assert dialog.form.save()

    hanna = dialog.form.lead_id
    assert _open_pairs(ctx) == [(hanna, anna)]
    banner.check_now()
    text = banner.label.text()
    assert "Possible duplicate of <b>Anna Berg</b> (same phone)" in text
    assert f'href="dismiss:{anna}"' in text
    assert f'href="merge:{anna}"' in text
    # Shown once: not again as a match typed in the form.
    assert "Possibly the same person" not in text


def test_not_a_duplicate_hides_the_line_and_undo_brings_it_back(
    qtbot, runner, ctx, make_lead
) -> None:
    anna = make_lead("Anna", email="anna@x.example", phone=PHONE)
    hanna = make_lead("Hanna", email="hanna@x.example", phone=PHONE)
    runner.run(mark_possible_duplicates, [hanna])
    _dialog, banner = _form(qtbot, runner, hanna)
    assert [mark.other_id for mark in banner.marks] == [anna]

    banner.label.linkActivated.emit(f"dismiss:{anna}")

    assert banner.isHidden()
    assert _open_pairs(ctx) == []
    assert runner.undo_stack.undoText() == "Not a duplicate: Hanna and Anna"
    runner.undo_stack.undo()
    assert _open_pairs(ctx) == [(hanna, anna)]
    qtbot.waitUntil(banner.isVisible, timeout=2000)
    runner.undo_stack.redo()
    assert _open_pairs(ctx) == []


def test_a_match_never_recorded_can_be_dismissed_from_a_saved_lead(
    qtbot, runner, ctx, make_lead
) -> None:
    anna = make_lead("Anna", email="anna@x.example", phone=PHONE)
    hanna = make_lead("Hanna", email="hanna@x.example", phone=PHONE)
    _dialog, banner = _form(qtbot, runner, hanna)
    assert "Possibly the same person (another email)" in banner.label.text()

    assert banner.dismiss(anna)

    assert banner.isHidden()
    assert runner.errors == []


def test_merge_from_the_line_opens_the_merge_dialog_and_clears_the_pair(
    qtbot, runner, ctx, make_lead
) -> None:
    anna = make_lead("Anna", email="anna@x.example", phone=PHONE)
    hanna = make_lead("Hanna", email="hanna@x.example", phone=PHONE)
    runner.run(mark_possible_duplicates, [hanna])
    _dialog, banner = _form(qtbot, runner, hanna)
    seen: list[tuple[int, int]] = []

    def answer() -> None:
        merge = QApplication.activeModalWidget()
        if not isinstance(merge, MergeDialog):
            QTimer.singleShot(10, answer)
            return
        seen.append((merge.keep_id, merge.other_id))
        merge.merge_button.click()

    QTimer.singleShot(0, answer)
    banner.label.linkActivated.emit(f"merge:{anna}")

    assert seen == [(hanna, anna)]
    assert _open_pairs(ctx) == []
    runner.undo_stack.undo()
    assert _open_pairs(ctx) == [(hanna, anna)]


def test_deleting_the_other_lead_removes_the_line(qtbot, runner, make_lead) -> None:
    anna = make_lead("Anna", email="anna@x.example", phone=PHONE)
    hanna = make_lead("Hanna", email="hanna@x.example", phone=PHONE)
    runner.run(mark_possible_duplicates, [hanna])
    _dialog, banner = _form(qtbot, runner, hanna)
    assert banner.isVisible()

    runner.run(delete_leads, [anna])

    qtbot.waitUntil(banner.isHidden, timeout=2000)
