"""The small forms a bulk action asks once for all the selected leads.

Every one has the same shape (``BulkFormDialog``): a title naming how many
leads it acts on, labelled fields, and OK (named after the action) / Cancel.
A form adds its fields with ``add_field`` and reads them in ``answer``;
``ask`` shows it and returns the answer, or None when cancelled. A form that
needs something entered says so in ``is_valid`` and calls ``revalidate`` when
a field changes: OK (and Enter) waits until it is valid.
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from leaddesk.core.fields import ActivityKind

Answer = TypeVar("Answer")


class BulkFormDialog(QDialog, Generic[Answer]):
    """A title, labelled fields (``add_field``), and OK (``ok_text``) / Cancel."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form.addRow(self.buttons)
        self.setMinimumWidth(380)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def is_valid(self) -> bool:
        """Whether the fields make an answer (every form without rules: always)."""
        return True

    def revalidate(self, *_args: object) -> None:
        self.ok_button.setEnabled(self.is_valid())

    def accept(self) -> None:
        """Answer only with valid fields: Enter in a field must not slip past OK."""
        if self.is_valid():
            super().accept()

    def add_field(self, label: str, widget: QWidget) -> None:
        """A labelled field, above the buttons."""
        self.form.insertRow(self.form.rowCount() - 1, label, widget)

    def answer(self) -> Answer:
        """What the user entered, read from the fields."""
        raise NotImplementedError

    def ask(self) -> Answer | None:
        """Show the form until answered; None when cancelled. The dialog is deleted after."""
        try:
            return self.answer() if self.exec() else None
        finally:
            self.deleteLater()


class FollowUpDialog(BulkFormDialog[tuple[dt.datetime, str]]):
    """One due time and one note for every selected lead (tomorrow 9:00 to start with).

    The note has the keyboard: the due time is usually right as it is, and keys
    typed into it were lost (then Enter planned follow-ups with no note). A note
    is needed: the same blank follow-up on hundreds of leads says nothing.
    """

    def __init__(self, count: str, now: dt.datetime, parent: QWidget | None = None) -> None:
        super().__init__(f"Plan follow-up for {count}", "Plan", parent)
        self.due = QDateTimeEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd HH:mm")
        day = now.astimezone().date() + dt.timedelta(days=1)
        self.due.setDateTime(QDateTime(QDate(day.year, day.month, day.day), QTime(9, 0)))
        self.note = QLineEdit()
        self.note.setPlaceholderText("Call back, send proposal…")
        self.add_field("&Due", self.due)
        self.add_field("&Note", self.note)
        self.note.setFocus()
        QWidget.setTabOrder(self.note, self.due)
        self.note.textChanged.connect(self.revalidate)
        self.revalidate()

    def is_valid(self) -> bool:
        return bool(self.note.text().strip()) and self.due.hasAcceptableInput()

    def due_at(self) -> dt.datetime:
        moment = self.due.dateTime().toPython()
        assert isinstance(moment, dt.datetime)
        # The editor shows local time: read it as such.
        return moment.astimezone()

    def answer(self) -> tuple[dt.datetime, str]:
        return self.due_at(), self.note.text()


class ActivityDialog(BulkFormDialog[tuple[str, str]]):
    """One activity (text and kind) logged on every selected lead, now.

    The text comes first and has the keyboard, as the follow-up's note does:
    the kind box had it, so typed keys picked a kind and Enter logged an empty
    activity on every lead. Tab then reads down the form: text, kind, buttons.
    A text is needed: the same blank activity on hundreds of leads says nothing.
    """

    def __init__(self, count: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Log activity for {count}", "Log", parent)
        self.text = QLineEdit()
        self.text.setPlaceholderText("What happened")
        self.kind = QComboBox()
        for kind in ActivityKind:
            self.kind.addItem(kind.label, kind.value)
        self.add_field("&Text", self.text)
        self.add_field("&Kind", self.kind)
        self.text.setFocus()
        # Spelled out: otherwise the order is whichever widget was made first,
        # and the buttons are made before any field (in the base form).
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        QWidget.setTabOrder(self.text, self.kind)
        QWidget.setTabOrder(self.kind, self.ok_button)
        QWidget.setTabOrder(self.ok_button, cancel)
        self.text.textChanged.connect(self.revalidate)
        self.revalidate()

    def is_valid(self) -> bool:
        return bool(self.text.text().strip())

    def answer(self) -> tuple[str, str]:
        return str(self.kind.currentData()), self.text.text()
