"""One editor per lead field, chosen by the field's kind, with its message line.

An editor turns what was typed into a lead value and explains, right under the
field, anything worth knowing about it: an email that looks wrong, a phone
number stored in E.164 (or kept as typed when it cannot be read), a website
that is not an address. Such values are kept and marked, never dropped. Only a
value that cannot be stored at all (a company size of "lots") blocks a save,
and says so in the same place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import FIELDS_BY_NAME, Consent, FieldKind, LeadField
from leaddesk.core.validation import email_problem, website_problem
from leaddesk.ui.theme import error_color, warning_color

_PLACEHOLDERS = {
    "email": "name@company.com",
    "website": "example.com",
    "company_size": "Number of employees",
    "deal_value": "e.g. 12,000",
    "won_value": "e.g. 12,000",
    "budget_range": "e.g. 10–20k a year",
    "need": "What problem are they trying to solve?",
    "enquiry": "What they first wrote or said",
    "next_step": "e.g. Demo with their team on Friday",
}
_EMPTY_DATE = QDate(1900, 1, 1)


class FieldEditor(QObject):
    """The editing widget of one field plus a message line beneath it."""

    changed = Signal()

    def __init__(self, field: LeadField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.input = self._make_input()
        self.input.setObjectName(field.name)
        self.input.setAccessibleName(field.label)
        self.message = QLabel()
        self.message.setObjectName(f"{field.name}Message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        # What the row of a form layout shows: the input, the message under it.
        self.container = QWidget(parent)
        self.box = QVBoxLayout(self.container)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(2)
        self.box.addWidget(self.input)
        self.box.addWidget(self.message)
        self._severity = ""

    # -- to override -------------------------------------------------------

    def _make_input(self) -> QWidget:
        raise NotImplementedError

    def value(self) -> Any:
        """The lead value the input holds now (None when empty)."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def problem(self) -> str | None:
        """Why the input cannot be saved, or None."""
        return None

    def note(self) -> tuple[str, str] | None:
        """(text, 'warning' or 'info') worth showing under a value that can be saved."""
        return None

    # -- shared ------------------------------------------------------------

    def refresh_message(self) -> None:
        """Show the problem, else the note, under the field, and mark the input."""
        problem = self.problem()
        if problem:
            self.show_message(problem, "error")
            return
        note = self.note()
        if note:
            self.show_message(*note)
        else:
            self.show_message("", "")

    def show_message(self, text: str, severity: str) -> None:
        self._severity = severity if text else ""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        palette = self.container.palette()
        color = {
            "error": error_color(palette).name(),
            "warning": warning_color(palette).name(),
        }.get(severity)
        self.message.setStyleSheet(f"color: {color};" if color else "color: palette(mid);")
        if severity == "info":
            self.message.setStyleSheet("")
            self.message.setForegroundRole(self.message.foregroundRole())
        self.input.setProperty("severity", self._severity)
        marked = self._severity in ("error", "warning")
        self.input.setToolTip(text if marked else "")
        if marked:
            self.input.setStyleSheet(
                f"#{self.field.name} {{ border: 1px solid {color}; border-radius: 3px; }}"
            )
        else:
            self.input.setStyleSheet("")

    @property
    def severity(self) -> str:
        return self._severity

    def focus(self) -> None:
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(self.input, QLineEdit):
            self.input.selectAll()

    def is_empty(self) -> bool:
        value = self.value()
        return value is None or value == ""


class TextEditor(FieldEditor):
    def _make_input(self) -> QWidget:
        self.line = QLineEdit()
        self.line.setPlaceholderText(_PLACEHOLDERS.get(self.field.name, ""))
        self.line.textChanged.connect(self._on_text)
        return self.line

    def _on_text(self, _text: str) -> None:
        self.refresh_message()
        self.changed.emit()

    def text(self) -> str:
        return self.line.text().strip()

    def value(self) -> Any:
        return self.text() or None

    def set_value(self, value: Any) -> None:
        self.line.setText("" if value is None else str(value))
        # A long address reads from its start, not its end.
        self.line.setCursorPosition(0)


class EmailEditor(TextEditor):
    def note(self) -> tuple[str, str] | None:
        problem = email_problem(self.text())
        if problem:
            return f"{problem} It is saved as typed and counts against the score.", "warning"
        return None


class WebsiteEditor(TextEditor):
    def note(self) -> tuple[str, str] | None:
        problem = website_problem(self.text())
        return (f"{problem} It is saved as typed.", "warning") if problem else None


# Without a default country a number must carry its code; no country is suggested.
NEUTRAL_PHONE_PLACEHOLDER = "+ country code first"


def phone_placeholder(region: str | None) -> str:
    """An example number of the default country as people there write it ('030 123456')."""
    if not region:
        return NEUTRAL_PHONE_PLACEHOLDER
    import phonenumbers

    example = phonenumbers.example_number_for_type(
        region, phonenumbers.PhoneNumberType.FIXED_LINE
    ) or phonenumbers.example_number(region)
    if example is None:
        return NEUTRAL_PHONE_PLACEHOLDER
    return "e.g. " + phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)


class PhoneEditor(TextEditor):
    """Stores E.164 when the number can be read, else exactly what was typed."""

    default_region: str | None = None

    def set_default_region(self, region: str | None) -> None:
        """Numbers typed without +code are this country's; the placeholder shows one."""
        self.default_region = region or None
        self.line.setPlaceholderText(phone_placeholder(self.default_region))

    def _reading(self) -> tuple[str | None, str | None]:
        """(E.164 or None, why it cannot be read or None)."""
        typed = self.text()
        if not typed:
            return None, None
        from leaddesk.core.csv_import.value_contacts import parse_phone
        from leaddesk.core.csv_import.values import CellValueError

        try:
            return parse_phone(typed, self.default_region or None), None
        except CellValueError as error:
            return None, error.reason

    def value(self) -> Any:
        typed = self.text()
        e164, _reason = self._reading()
        return e164 or typed or None

    def note(self) -> tuple[str, str] | None:
        e164, reason = self._reading()
        if reason:
            return reason[0].upper() + reason[1:], "warning"
        if e164 and e164 != self.text():
            return f"Saved as {e164}", "info"
        return None


class NumberEditor(TextEditor):
    """Whole numbers (company size) or money (stored as cents)."""

    def _parsed(self) -> tuple[int | None, str | None]:
        typed = self.text()
        if not typed:
            return None, None
        from leaddesk.core.csv_import.value_numbers import parse_integer, parse_money_cents
        from leaddesk.core.csv_import.values import CellValueError

        try:
            if self.field.kind is FieldKind.MONEY:
                return parse_money_cents(typed), None
            number = parse_integer(typed)
        except CellValueError:
            example = "12,000 or 12000.50" if self.field.kind is FieldKind.MONEY else "50"
            kind = "an amount" if self.field.kind is FieldKind.MONEY else "a whole number"
            return None, f"{self.field.label} must be {kind}, like {example}."
        if number < 0:
            return None, f"{self.field.label} cannot be negative."
        return number, None

    def value(self) -> Any:
        number, problem = self._parsed()
        return self.text() if problem else number

    def set_value(self, value: Any) -> None:
        if value is None or value == "":
            self.line.setText("")
        elif self.field.kind is FieldKind.MONEY and isinstance(value, int):
            units, cents = divmod(value, 100)
            self.line.setText(f"{units:,}" if not cents else f"{units:,}.{cents:02d}")
        else:
            self.line.setText(str(value))

    def problem(self) -> str | None:
        return self._parsed()[1]


class LongTextEditor(FieldEditor):
    def _make_input(self) -> QWidget:
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText(_PLACEHOLDERS.get(self.field.name, ""))
        line = self.edit.fontMetrics().lineSpacing()
        self.edit.setFixedHeight(line * 3 + 14)
        self.edit.textChanged.connect(self.changed.emit)
        return self.edit

    def value(self) -> Any:
        return self.edit.toPlainText().strip() or None

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class ChoiceEditor(FieldEditor):
    """A list of choices; an editable one (source) also takes what is typed."""

    def __init__(
        self,
        field: LeadField,
        parent: QWidget | None = None,
        choices: Sequence[str] | None = None,
        editable: bool = False,
    ) -> None:
        self._choices = tuple(choices if choices is not None else field.choices)
        self._editable = editable
        super().__init__(field, parent)

    def _make_input(self) -> QWidget:
        self.combo = QComboBox()
        self.combo.setEditable(self._editable)
        if self.field.name == "consent":
            for consent in Consent:
                self.combo.addItem(consent.label, consent.value)
        else:
            self.combo.addItem("", None)
            for choice in self._choices:
                self.combo.addItem(choice, choice)
        self.combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        if self._editable:
            self.combo.editTextChanged.connect(lambda _text: self.changed.emit())
        return self.combo

    def set_choices(self, choices: Sequence[str]) -> None:
        current = self.value()
        self._choices = tuple(choices)
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("", None)
        for choice in self._choices:
            self.combo.addItem(choice, choice)
        self.combo.blockSignals(False)
        self.set_value(current)

    def value(self) -> Any:
        if self._editable:
            return self.combo.currentText().strip() or None
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        if value is None or value == "":
            value = Consent.UNKNOWN.value if self.field.name == "consent" else None
        index = self.combo.findData(value)
        if index < 0 and value is not None:
            # A value from an import or an older list: keep it, offered as it is.
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        if self._editable and index < 0:
            self.combo.setCurrentText("")
        self.combo.setCurrentIndex(max(0, index))

    def is_empty(self) -> bool:
        value = self.value()
        return value is None or (self.field.name == "consent" and value == Consent.UNKNOWN)


class BoolEditor(FieldEditor):
    """Yes / No / not known yet: a 'no' is an answer, an empty field is not."""

    def _make_input(self) -> QWidget:
        self.combo = QComboBox()
        self.combo.addItem("Not known yet", None)
        self.combo.addItem("Yes", True)
        self.combo.addItem("No", False)
        self.combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        return self.combo

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        self.combo.setCurrentIndex({None: 0, True: 1, False: 2}.get(value, 0))


class DateEditor(FieldEditor):
    """A date with a calendar, or no date (shown as a dash)."""

    def _make_input(self) -> QWidget:
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setMinimumDate(_EMPTY_DATE)
        self.date.setSpecialValueText("—")
        self.date.setDisplayFormat("d MMM yyyy")
        self.date.setDate(_EMPTY_DATE)
        self.date.dateChanged.connect(lambda _date: self.changed.emit())
        # The popup opens on this month, not on the 1900 that stands for "no date".
        self.date.calendarWidget().installEventFilter(self)
        return self.date

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.date.date() == _EMPTY_DATE:
            today = QDate.currentDate()
            self.date.calendarWidget().setCurrentPage(today.year(), today.month())
        return False

    def value(self) -> Any:
        date = self.date.date()
        if date == _EMPTY_DATE:
            return None
        return dt.date(date.year(), date.month(), date.day())

    def set_value(self, value: Any) -> None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str) and value:
            value = dt.date.fromisoformat(value[:10])
        if isinstance(value, dt.date):
            self.date.setDate(QDate(value.year, value.month, value.day))
        else:
            self.date.setDate(_EMPTY_DATE)


def make_editor(
    name: str,
    parent: QWidget | None = None,
    *,
    choices: Sequence[str] | None = None,
    default_region: str | None = None,
) -> FieldEditor:
    """The editor for lead field ``name``."""
    field = FIELDS_BY_NAME[name]
    match field.kind:
        case FieldKind.EMAIL:
            return EmailEditor(field, parent)
        case FieldKind.URL:
            return WebsiteEditor(field, parent)
        case FieldKind.PHONE:
            editor = PhoneEditor(field, parent)
            editor.set_default_region(default_region)
            return editor
        case FieldKind.INTEGER | FieldKind.MONEY:
            return NumberEditor(field, parent)
        case FieldKind.LONG_TEXT:
            return LongTextEditor(field, parent)
        case FieldKind.BOOL:
            return BoolEditor(field, parent)
        case FieldKind.DATE:
            return DateEditor(field, parent)
        case FieldKind.CHOICE | FieldKind.OWNER:
            editable = field.name == "source" or field.kind is FieldKind.OWNER
            return ChoiceEditor(field, parent, choices=choices, editable=editable)
    return TextEditor(field, parent)
