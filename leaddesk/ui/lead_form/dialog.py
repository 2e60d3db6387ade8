"""The lead form: identity, contact, company, pipeline and notes.

Saving goes through the operations layer; a problem is shown next to the field
and the dialog stays open, so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import (
    FIELDS_BY_NAME,
    SOURCES,
    Consent,
    Stage,
    Temperature,
    display_name,
)
from leaddesk.core.lead_values import identity_problem, soft_problems
from leaddesk.operations.leads import create_lead, update_lead
from leaddesk.storage.queries import lead_row, owner_names
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
        self.lead_id = lead_id
        self.saved_lead_id: int | None = None
        self._version: int | None = None
        self._original: dict[str, Any] = {}
        self.setObjectName("leadForm")
        self.setMinimumWidth(640)

        self.edits: dict[str, QLineEdit] = {}
        for name in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setAccessibleName(FIELDS_BY_NAME[name].label)
            self.edits[name] = edit
        self.edits["email"].setPlaceholderText("name@company.com")
        self.edits["phone"].setPlaceholderText("+44 20 7946 0000")
        self.email_problem = QLabel()
        self.email_problem.setObjectName("emailProblem")
        self.email_problem.setWordWrap(True)
        self.email_problem.setStyleSheet("color: #d97706;")
        self.email_problem.hide()

        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.addItems(["", *SOURCES])
        self.owner = QComboBox()
        self.owner.setEditable(True)
        self.owner.setObjectName("owner")
        self.temperature = QComboBox()
        for temperature in Temperature:
            self.temperature.addItem(temperature.label, temperature.value)
        self.stage = QComboBox()
        for stage in Stage:
            self.stage.addItem(stage.label, stage.value)
        self.consent = QComboBox()
        for consent in Consent:
            self.consent.addItem(consent.label, consent.value)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("What was said, what they need, anything worth remembering")
        self.score = QLabel()
        self.score.setObjectName("score")

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #dc2626; font-weight: bold;")
        self.error.hide()

        person = QGroupBox("Person")
        person_form = QFormLayout(person)
        person_form.addRow("First name", self.edits["first_name"])
        person_form.addRow("Last name", self.edits["last_name"])
        person_form.addRow("Job title", self.edits["job_title"])
        person_form.addRow("Company", self.edits["company"])

        contact = QGroupBox("Contact")
        contact_form = QFormLayout(contact)
        contact_form.addRow("Email", self.edits["email"])
        contact_form.addRow("", self.email_problem)
        contact_form.addRow("Phone", self.edits["phone"])
        contact_form.addRow("Consent", self.consent)

        pipeline = QGroupBox("Pipeline")
        pipeline_form = QFormLayout(pipeline)
        pipeline_form.addRow("Temperature", self.temperature)
        pipeline_form.addRow("Stage", self.stage)
        pipeline_form.addRow("Owner", self.owner)
        pipeline_form.addRow("Source", self.source)
        pipeline_form.addRow("Score", self.score)

        notes_box = QGroupBox("Notes")
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(self.notes)

        grid = QGridLayout()
        grid.addWidget(person, 0, 0)
        grid.addWidget(contact, 0, 1)
        grid.addWidget(pipeline, 1, 0)
        grid.addWidget(notes_box, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addLayout(grid, 1)
        layout.addWidget(self.buttons)

        self.edits["email"].textChanged.connect(self._check_email)
        self._load_owners()
        if lead_id is not None:
            self._load(lead_id)
        else:
            self.setWindowTitle("New lead")
            self.score.setText("Calculated when saved")
            self._fill(initial or {})
        self.edits["first_name"].setFocus()

    # -- loading -----------------------------------------------------------

    def _load_owners(self) -> None:
        with self._runner.ctx.db.reading() as connection:
            names = [name for _id, name in owner_names(connection)]
        self.owner.addItems(["", *names])

    def _load(self, lead_id: int) -> None:
        with self._runner.ctx.db.reading() as connection:
            row = lead_row(connection, lead_id)
        if row is None:
            raise LookupError(f"There is no lead with id {lead_id}.")
        values = row._mapping
        self._version = values["version"]
        self._fill(values)
        self.score.setText(str(values["score"]))
        title = display_name(values["first_name"], values["last_name"], values["email"])
        self.setWindowTitle(f"Lead — {title}")
        self._original = self.values()

    def _fill(self, values: Any) -> None:
        for name, edit in self.edits.items():
            edit.setText(values.get(name) or "")
        self.source.setCurrentText(values.get("source") or "")
        self.owner.setCurrentText(values.get("owner") or "")
        self.notes.setPlainText(values.get("notes") or "")
        for combo, name, default in (
            (self.temperature, "temperature", Temperature.COLD.value),
            (self.stage, "stage", Stage.LEAD.value),
            (self.consent, "consent", Consent.UNKNOWN.value),
        ):
            combo.setCurrentIndex(max(0, combo.findData(values.get(name) or default)))

    # -- saving ------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form holds now, as lead field values (owner as a name)."""
        values: dict[str, Any] = {name: edit.text().strip() for name, edit in self.edits.items()}
        values["source"] = self.source.currentText().strip()
        values["owner"] = self.owner.currentText().strip()
        values["notes"] = self.notes.toPlainText().strip()
        values["temperature"] = self.temperature.currentData()
        values["stage"] = self.stage.currentData()
        values["consent"] = self.consent.currentData()
        return values

    def _check_email(self, text: str) -> None:
        problem = soft_problems({"email": text.strip()}).get("email")
        self.email_problem.setText(problem or "")
        self.email_problem.setVisible(bool(problem))

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)

    def save(self) -> None:
        values = self.values()
        if problem := identity_problem(values):
            self._show_error(problem)
            self.edits["first_name"].setFocus()
            return
        changed = {k: v for k, v in values.items() if self._original.get(k, "") != v}
        if self.lead_id is not None and not changed:
            self.accept()
            return
        owner_name = changed.pop("owner", None)
        messages: list[str] = []
        runner = self._runner
        previous_reporter = runner.report_error
        runner.report_error = lambda _parent, message: messages.append(message)
        try:
            # One undo step per save (see leaddesk/ui/undo.py); a new lead is covered too.
            text = "Create {leads}" if self.lead_id is None else "Edit {leads}"
            lead_ids = [] if self.lead_id is None else [self.lead_id]
            result = runner.run_undoable(
                text, lead_ids, _save_lead, self.lead_id, changed, owner_name, self._version
            )
        finally:
            runner.report_error = previous_reporter
        if result is None:
            self._show_error(messages[0] if messages else "The lead could not be saved.")
            return
        self.saved_lead_id = result[0]
        self.accept()

    def keyPressEvent(self, event: Any) -> None:
        # Enter in a line edit saves, as users expect from a form; Escape cancels.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.notes.hasFocus():
            self.save()
            return
        super().keyPressEvent(event)


def _save_lead(
    ctx: Any,
    lead_id: int | None,
    changed: dict[str, Any],
    owner_name: str | None,
    version: int | None,
) -> tuple[int, Any]:
    """Create or update; an owner's name new to the team adds them to it."""
    values = dict(changed)
    if owner_name is not None:
        values["owner"] = owner_name or None
    if lead_id is None:
        return create_lead(ctx, values)
    return lead_id, update_lead(ctx, lead_id, values, expected_version=version)
