"""The lead form as a dialog: the progressive form with Save and Cancel.

Saving goes through the operations layer; a problem is shown next to the field
and the dialog stays open, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import display_name
from leaddesk.ui.lead_form.form import LeadForm
from leaddesk.ui.runner import OperationRunner

TEXT_FIELDS = ("first_name", "last_name", "job_title", "email", "phone", "company")


class LeadFormDialog(QDialog):
    """Create a lead (``lead_id`` None) or edit one."""

    def __init__(
        self,
        runner: OperationRunner,
        lead_id: int | None = None,
        parent: QWidget | None = None,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.saved_lead_id: int | None = None
        # Replaceable so tests can answer instead of a message box.
        self.confirm_discard: Callable[[], bool] = lambda: ask_to_discard(self)
        self.setObjectName("leadForm")
        self.setMinimumWidth(760)
        self.resize(1040, 720)
        self.form = LeadForm(runner, self)
        if lead_id is not None:
            self.form.load(lead_id)
            values = self.form.values()
            title = display_name(values["first_name"], values["last_name"], values["email"])
            self.setWindowTitle(f"Lead — {title}")
        else:
            self.setWindowTitle("New lead")
            self.form.new(initial or {})

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.form.open_requested.connect(self._open_other)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)  # Ctrl+S, as in the panel

        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.buttons)
        if lead_id is None:
            self.edits["first_name"].setFocus()
        else:
            # Reading a lead must not start by overwriting its name: the questions
            # list takes the focus (Enter on one jumps to its field).
            self.form.questions.setFocus()

    # The form's parts, as tests and callers knew them.
    @property
    def lead_id(self) -> int | None:
        return self.form.lead_id

    @property
    def edits(self) -> dict[str, QLineEdit]:
        return self.form.edits

    @property
    def temperature(self) -> QComboBox:
        return self.form.temperature

    @property
    def stage(self) -> QComboBox:
        return self.form.stage

    @property
    def owner(self) -> QComboBox:
        return self.form.owner

    @property
    def notes(self) -> QPlainTextEdit:
        return self.form.notes

    @property
    def score(self) -> QLabel:
        return self.form.score

    @property
    def error(self) -> QLabel:
        return self.form.error

    def values(self) -> dict[str, Any]:
        """What the form holds now, as lead field values (owner as a name)."""
        return self.form.values()

    def _open_other(self, lead_id: int) -> None:
        """A duplicate's *Open*: that lead in a dialog over this one (nothing here is lost)."""
        other = LeadFormDialog(self._runner, lead_id, parent=self)
        other.exec()
        other.deleteLater()

    def save(self) -> None:
        if self.form.save():
            self.saved_lead_id = self.form.lead_id
            self.accept()

    def reject(self) -> None:
        """Cancel or Escape: unsaved edits are kept unless the user discards them."""
        if self.form.is_dirty() and not self.confirm_discard():
            return
        super().reject()

    def keyPressEvent(self, event: Any) -> None:
        # Enter in a line edit saves, as users expect from a form; Escape cancels.
        focused = self.focusWidget()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(focused, QLineEdit):
            if focused is self.form.log_text:
                # Enter there logs the activity (the line edit's own signal) and
                # nothing more: it must not reach the default button and close.
                event.accept()
                return
            self.save()
            return
        super().keyPressEvent(event)


def ask_to_discard(parent: QWidget) -> bool:
    """True when the user chose to throw away the lead's unsaved changes."""
    answer = QMessageBox.question(
        parent,
        "Unsaved changes",
        "Discard the changes to this lead?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard
