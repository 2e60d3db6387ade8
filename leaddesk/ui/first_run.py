"""The first start: who are you, and where are your phone numbers from?

The team member named owns the leads you add; the country reads phone numbers
typed without a country code.

Asked only by the interactive start (``leaddesk.ui.app.run_app``) while no team
member is marked as you, never by tests or ``leaddesk screenshot``; setting
LEADDESK_SKIP_FIRST_RUN=1 skips it too (kiosks, demos, automation).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.operations.context import OperationContext
from leaddesk.operations.owners import introduce_myself, my_owner_id
from leaddesk.operations.settings import set_default_region
from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.settings.lists_page import region_choices

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


def locale_region(locale: QLocale | None = None) -> str:
    """The country of the system's locale as a code ('DE'), '' when it names none."""
    territory = (locale or QLocale()).territory()
    if territory == QLocale.Country.AnyTerritory:
        return ""
    return QLocale.territoryToCode(territory)


class FirstRunDialog(QDialog):
    """Asks the user's name and phone country; OK makes that team member "me"."""

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
        self.region = QComboBox()
        self.region.setObjectName("firstRunRegion")
        self.region.addItem("None: numbers must start with + or 00", "")
        for code, label in region_choices():
            self.region.addItem(label, code)
        with runner.ctx.db.reading() as connection:
            stored = str(read_settings(connection)["default_region"] or "")
        self.region.setCurrentIndex(max(0, self.region.findData(stored or locale_region())))
        self.region.setToolTip(
            "Phone numbers typed without +code are read as this country's "
            "(Settings → Lists changes it later)"
        )
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
        phone = QFormLayout()
        phone.addRow("Phone numbers are from", self.region)
        layout.addLayout(phone)
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
        region = str(self.region.currentData() or "")
        if self._runner.run(set_default_region, region) is None:
            return
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
