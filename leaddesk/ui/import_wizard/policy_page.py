"""Step 4: what to do with rows that match a lead already there."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from leaddesk.core.import_merge import DuplicatePolicy

_MNEMONICS = {
    DuplicatePolicy.SKIP: "&Skip duplicates",
    DuplicatePolicy.FILL: "&Fill empty fields only",
    DuplicatePolicy.OVERWRITE: "&Overwrite with the file's values",
    DuplicatePolicy.CREATE: "Create &anyway",
}


class PolicyPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Duplicates")
        self.setSubTitle(
            "A row is a duplicate when it has the email or phone of a lead you already have "
            "(or of an earlier row), or a very similar name at the same company."
        )
        # After this page the import runs; going back from its result makes no sense.
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")

        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        self.buttons: dict[DuplicatePolicy, QRadioButton] = {}
        for number, policy in enumerate(DuplicatePolicy):
            button = QRadioButton(_MNEMONICS.get(policy, policy.label))
            button.setObjectName(f"policy_{policy.value}")
            explanation = QLabel(policy.explanation)
            explanation.setWordWrap(True)
            explanation.setIndent(24)
            explanation.setBuddy(button)
            button.setAccessibleDescription(policy.explanation)
            self.group.addButton(button, number)
            self.buttons[policy] = button
            layout.addWidget(button)
            layout.addWidget(explanation)
            layout.addSpacing(6)
        layout.addStretch(1)
        self.buttons[DuplicatePolicy.SKIP].setChecked(True)

    def initializePage(self) -> None:
        checked = self.group.checkedButton()
        if checked is not None:
            checked.setFocus()

    @property
    def policy(self) -> DuplicatePolicy:
        for policy, button in self.buttons.items():
            if button.isChecked():
                return policy
        return DuplicatePolicy.SKIP
