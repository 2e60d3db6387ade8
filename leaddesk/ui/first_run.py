"""The first start: who are you? That team member owns the leads you add.

Asked only by the interactive start (``leaddesk.ui.app.run_app``) while no team
member is marked as you, never by tests or ``leaddesk screenshot``; setting
LEADDESK_SKIP_FIRST_RUN=1 skips it too (kiosks, demos, automation).
"""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.operations.context import OperationContext
from leaddesk.operations.owners import introduce_myself, my_owner_id
from leaddesk.ui.runner import OperationRunner

SKIP_ENV = "LEADDESK_SKIP_FIRST_RUN"


def needs_first_run(ctx: OperationContext) -> bool:
    """No team member is marked as the person using this copy (and nobody said skip)."""
    if os.environ.get(SKIP_ENV, "").strip() not in ("", "0"):
        return False
    with ctx.db.reading() as connection:
        return my_owner_id(connection) is None


def suggested_name(login: str | None) -> str:
    """'sam.seller' -> 'Sam Seller': a login name as a person's name, to correct."""
    if not login:
        return ""
    words = login.replace(".", " ").replace("_", " ").replace("-", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words)


class FirstRunDialog(QDialog):
    """Asks the user's name; OK makes that team member "me" (added if new)."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRun")
        self.setWindowTitle("Welcome to LeadDesk")
        self._runner = runner
        self.owner_id: int | None = None
        question = QLabel("<b>What is your name?</b>")
        explanation = QLabel(
            "The leads you add will be yours, and “My leads” (Ctrl+M) shows them. "
            "Teammates can be added later in Edit → Settings → Team."
        )
        explanation.setWordWrap(True)
        self.name = QLineEdit(suggested_name(runner.ctx.actor))
        self.name.setObjectName("yourName")
        self.name.setPlaceholderText("e.g. Sam Seller")
        self.name.selectAll()
        self.name.textChanged.connect(self._update_ok)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.skip_button = QPushButton("Later")
        self.skip_button.setObjectName("skipFirstRun")
        self.skip_button.setToolTip("Ask again next time")
        self.buttons.addButton(self.skip_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(explanation)
        layout.addWidget(self.name)
        layout.addWidget(self.buttons)
        self._update_ok()
        self.setMinimumWidth(420)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name.text().strip()))

    def accept(self) -> None:
        result = self._runner.run(introduce_myself, self.name.text())
        if result is None:
            return  # the runner said why; the name can be corrected
        self.owner_id = result.value
        super().accept()


def ask_first_run(runner: OperationRunner, parent: QWidget | None = None) -> int | None:
    """Ask who the user is when nobody is marked as them yet; their owner id or None."""
    if not needs_first_run(runner.ctx):
        return None
    dialog = FirstRunDialog(runner, parent)
    dialog.exec()
    owner_id = dialog.owner_id
    dialog.deleteLater()
    return owner_id
