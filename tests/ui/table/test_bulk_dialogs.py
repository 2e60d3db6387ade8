"""The bulk actions' forms: one shape, answers read from what was entered."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit

from leaddesk.core.fields import ActivityKind
from leaddesk.ui.table.bulk_dialogs import ActivityDialog, BulkFormDialog, FollowUpDialog

NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)


def _ok_text(dialog: BulkFormDialog) -> str:  # type: ignore[type-arg]
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text()


def test_both_forms_share_one_shape_fields_above_named_buttons(qtbot) -> None:  # type: ignore[no-untyped-def]
    follow_up, activity = FollowUpDialog("3 leads", NOW), ActivityDialog("3 leads")
    for dialog in (follow_up, activity):
        qtbot.addWidget(dialog)
    assert (follow_up.windowTitle(), _ok_text(follow_up)) == ("Plan follow-up for 3 leads", "Plan")
    assert (activity.windowTitle(), _ok_text(activity)) == ("Log activity for 3 leads", "Log")
    for dialog in (follow_up, activity):
        # Two labelled fields, then the buttons on the last row.
        assert dialog.form.rowCount() == 3
        last = dialog.form.itemAt(2, dialog.form.ItemRole.SpanningRole)
        assert last is not None
        assert last.widget() is dialog.buttons


def test_ok_answers_what_was_entered_and_cancel_answers_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = FollowUpDialog("2 leads", NOW)
    dialog.due.setDateTime(QDateTime(QDate(2026, 12, 3), QTime(14, 15)))
    dialog.note.setText("Send the proposal")
    QTimer.singleShot(0, dialog.accept)
    due, note = dialog.ask() or (None, None)
    assert note == "Send the proposal"
    assert due is not None
    assert due.astimezone().replace(tzinfo=None) == dt.datetime(2026, 12, 3, 14, 15)

    activity = ActivityDialog("2 leads")
    activity.kind.setCurrentIndex(activity.kind.findData("email"))
    activity.findChild(QLineEdit).setText("Sent the brochure")
    QTimer.singleShot(0, activity.reject)
    assert activity.ask() is None


def _typed_into(qtbot, dialog: BulkFormDialog, text: str) -> tuple[object, list]:  # type: ignore[no-untyped-def,type-arg]
    """Open ``dialog``, type ``text`` and Enter where the keyboard is, as a user would.

    Returns the answer and [where the keyboard was, whether OK was enabled after typing].
    """
    seen: list = []

    def type_and_enter() -> None:
        focused = QApplication.focusWidget()
        seen.append(focused)
        if text:
            QTest.keyClicks(focused, text)
        QTest.keyClick(focused, Qt.Key.Key_Return)
        seen.append(dialog.ok_button.isEnabled())
        if dialog.isVisible():
            # Enter did not answer: the user gives up.
            dialog.reject()

    def when_shown() -> None:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
        type_and_enter()

    QTimer.singleShot(0, when_shown)
    return dialog.ask(), seen


def test_the_follow_up_form_takes_the_note_first_and_enter_plans_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = FollowUpDialog("200 leads", NOW)
    note = dialog.note
    answer, (focused, ok_enabled) = _typed_into(qtbot, dialog, "Spring offer call")
    assert focused is note
    assert ok_enabled
    assert isinstance(answer, tuple)
    due, text = answer
    assert text == "Spring offer call"
    # The due time as it was offered: tomorrow 9:00.
    assert due.astimezone().replace(tzinfo=None).time() == dt.time(9, 0)


def test_enter_with_no_note_plans_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = FollowUpDialog("200 leads", NOW)
    note = dialog.note
    answer, (focused, ok_enabled) = _typed_into(qtbot, dialog, "   ")
    assert focused is note
    assert not ok_enabled
    assert answer is None


def test_the_activity_form_takes_the_text_first_and_enter_logs_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ActivityDialog("200 leads")
    text = dialog.text
    answer, (focused, ok_enabled) = _typed_into(qtbot, dialog, "Met at the trade fair")
    assert focused is text
    assert ok_enabled
    # The kind as it was offered (the first one), the text as typed.
    assert answer == (ActivityKind.CALL.value, "Met at the trade fair")


def test_enter_with_no_activity_text_logs_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ActivityDialog("200 leads")
    text = dialog.text
    answer, (focused, ok_enabled) = _typed_into(qtbot, dialog, "  ")
    assert answer is None
    assert focused is text
    assert not ok_enabled


def test_tab_reads_the_activity_form_top_to_bottom(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ActivityDialog("3 leads")
    qtbot.addWidget(dialog)
    # The first row is the text, so the order on screen is the order Tab takes.
    assert dialog.form.itemAt(0, dialog.form.ItemRole.FieldRole).widget() is dialog.text
    assert dialog.form.itemAt(1, dialog.form.ItemRole.FieldRole).widget() is dialog.kind
    assert not dialog.ok_button.isEnabled()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.text, timeout=5000)
    QTest.keyClicks(dialog.text, "Called")
    visited = []
    for _ in range(4):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert visited == [dialog.kind, dialog.ok_button, cancel, dialog.text]
