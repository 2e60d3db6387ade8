"""View → Possible duplicates…: the open pairs, merged or dismissed from the list."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from leaddesk.operations.duplicate_marks import mark_possible_duplicates
from leaddesk.storage.duplicates import open_pairs
from leaddesk.ui.merge_dialog import MergeDialog
from leaddesk.ui.possible_duplicates import PossibleDuplicatesDialog
from tests.ui.windows import active_main_window

PHONE = "+49301234560"


def _pairs(ctx) -> list[tuple[int, int]]:
    with ctx.db.reading() as connection:
        return [(pair.lead_id, pair.other_id) for pair in open_pairs(connection)]


def _three_colleagues(runner, make_lead) -> tuple[int, int, int]:
    anna = make_lead("Anna", email="anna@x.example", phone=PHONE, company="Nordlicht")
    hanna = make_lead("Hanna", email="hanna@x.example", phone=PHONE)
    bo = make_lead("Bo", email="bo@x.example", phone=PHONE)
    runner.run(mark_possible_duplicates, [hanna, bo])
    return anna, hanna, bo


def _dialog(qtbot, runner) -> PossibleDuplicatesDialog:
    dialog = PossibleDuplicatesDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_list_shows_each_open_pair_with_why(qtbot, qtmodeltester, runner, make_lead) -> None:
    _three_colleagues(runner, make_lead)
    dialog = _dialog(qtbot, runner)

    qtmodeltester.check(dialog.model, force_py=True)
    shown = [
        [dialog.model.index(row, column).data() for column in range(3)]
        for row in range(dialog.model.rowCount())
    ]
    assert sorted(shown) == [
        ["Bo", "Anna (Nordlicht)", "same phone"],
        ["Bo", "Hanna", "same phone"],
        ["Hanna", "Anna (Nordlicht)", "same phone"],
    ]
    assert dialog.empty.isHidden()


def test_not_a_duplicate_removes_the_pair_from_the_list_as_one_undo_step(
    qtbot, runner, ctx, make_lead
) -> None:
    _three_colleagues(runner, make_lead)
    dialog = _dialog(qtbot, runner)
    first = dialog.selected_pair()
    assert first is not None

    qtbot.mouseClick(dialog.dismiss_button, Qt.MouseButton.LeftButton)

    assert dialog.model.rowCount() == 2
    assert (first.lead_id, first.other_id) not in _pairs(ctx)
    runner.undo_stack.undo()
    assert dialog.model.rowCount() == 3


def test_merge_keeps_the_lead_found_first_and_clears_its_pairs(
    qtbot, runner, ctx, make_lead
) -> None:
    anna, hanna, bo = _three_colleagues(runner, make_lead)
    dialog = _dialog(qtbot, runner)
    row = next(
        r
        for r in range(dialog.model.rowCount())
        if (dialog.model.record_at(r).lead_id, dialog.model.record_at(r).other_id) == (hanna, anna)
    )
    dialog.view.selectRow(row)
    seen: list[tuple[int, int]] = []

    def answer() -> None:
        merge = QApplication.activeModalWidget()
        if not isinstance(merge, MergeDialog):
            QTimer.singleShot(10, answer)
            return
        seen.append((merge.keep_id, merge.other_id))
        merge.merge_button.click()

    QTimer.singleShot(0, answer)
    dialog.merge_button.click()

    assert seen == [(anna, hanna)]
    # Hanna is in the trash: her pairs with Anna and with Bo are no longer open.
    assert _pairs(ctx) == [(bo, anna)]
    assert dialog.model.rowCount() == 1


def test_double_click_opens_the_lead_and_an_empty_list_says_so(qtbot, runner, make_lead) -> None:
    dialog = _dialog(qtbot, runner)
    assert dialog.view.isHidden()
    assert dialog.empty.isVisible()
    assert not dialog.merge_button.isEnabled()

    _anna, hanna, _bo = _three_colleagues(runner, make_lead)
    row = next(
        r for r in range(dialog.model.rowCount()) if dialog.model.record_at(r).lead_id == hanna
    )
    with qtbot.waitSignal(dialog.open_requested) as opened:
        dialog.view.doubleClicked.emit(dialog.model.index(row, 0))
    assert opened.args == [hanna]


def test_view_possible_duplicates_opens_it_from_the_window(qtbot, runner, monkeypatch) -> None:
    window = active_main_window(qtbot, runner)
    opened: list[PossibleDuplicatesDialog] = []
    monkeypatch.setattr(PossibleDuplicatesDialog, "exec", lambda self: opened.append(self) or 0)
    qtbot.keyClick(
        window,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(opened) == 1
    assert window.duplicates_action in window.view_menu.actions()
