"""The lead form as a side panel beside the board, following the selected card."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from leaddesk.operations.changes import Changes
from leaddesk.ui.lead_form.form import LeadForm
from leaddesk.ui.runner import OperationRunner

PANEL_WIDTH = 430


class LeadPanel(QWidget):
    """The selected lead in the compact form, with Save and Revert."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leadPanel")
        self._runner = runner
        self.form = LeadForm(runner, self, compact=True)
        self.placeholder = QLabel("Select a card to see the lead here.")
        self.placeholder.setObjectName("leadPanelPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)

        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("panelSave")
        self.save_button.setToolTip("Save the changes (Ctrl+S)")
        self.save_button.clicked.connect(self.form.save)
        self.revert_button = QPushButton("Revert")
        self.revert_button.setObjectName("panelRevert")
        self.revert_button.setToolTip("Drop the changes you have not saved")
        self.revert_button.clicked.connect(self.form.revert)
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.form.save)
        self.form.dirty_changed.connect(self._update_buttons)
        self.form.open_requested.connect(self.show_lead)

        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(8, 6, 8, 8)
        editor_layout.addWidget(self.form, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        editor_layout.addLayout(buttons)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        runner.changed.connect(self._on_changed)
        self._update_buttons(False)

    @property
    def lead_id(self) -> int | None:
        return self.form.lead_id

    def _update_buttons(self, dirty: bool) -> None:
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def confirm_leave(self) -> bool:
        """Unsaved edits: save, discard or stay. True when the panel may show another lead."""
        if not self.form.is_dirty():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "Save the changes to this lead first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.form.save()
        return answer == QMessageBox.StandardButton.Discard

    def show_lead(self, lead_id: int | None) -> bool:
        """Show ``lead_id`` (None: nothing); False when the user chose to stay."""
        if lead_id == self.form.lead_id and lead_id is not None:
            return True
        if not self.confirm_leave():
            return False
        if lead_id is None:
            self.form.new()
            self.stack.setCurrentWidget(self.placeholder)
            return True
        try:
            self.form.load(lead_id)
        except LookupError:
            self.form.new()
            self.stack.setCurrentWidget(self.placeholder)
            return True
        self.stack.setCurrentIndex(1)
        return True

    def _on_changed(self, changes: Changes) -> None:
        if self.form.lead_id is not None and self.form.lead_id in changes.deleted:
            self.form.new()
            self.stack.setCurrentWidget(self.placeholder)
        elif self.form.lead_id is None and self.stack.currentIndex() == 1:
            self.stack.setCurrentWidget(self.placeholder)


class LeadPanelDock(QDockWidget):
    """The dock that holds the panel, on the right of the board."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__("Lead", parent)
        self.setObjectName("leadDock")
        self.panel = LeadPanel(runner, self)
        self.setWidget(self.panel)
        self.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.setMinimumWidth(360)
