"""Settings → Appearance: System, Light or Dark colours.

A choice shows at once on every window; OK keeps it (in window.ini beside the
data: this machine's taste, not the team's database), Cancel goes back to the
colours the dialog opened with.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.theme import (
    THEMES,
    apply_theme,
    current_theme,
    set_theme_choice,
    theme_choice,
)


class AppearanceSettingsPage(QWidget):
    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("appearanceSettingsPage")
        self._data_dir = runner.ctx.db.location.data_dir
        self._stored = theme_choice(self._data_dir)
        # What shows now: the stored choice, or this run's --theme.
        self._opened = self._shown = current_theme()
        box = QGroupBox("Colours")
        box_layout = QVBoxLayout(box)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for name, label in THEMES:
            button = QRadioButton(label)
            button.setObjectName(f"theme-{name}")
            button.setChecked(name == self._opened)
            self.group.addButton(button)
            self.buttons[name] = button
            box_layout.addWidget(button)
        note = QLabel("System follows this computer's colours; Light and Dark are LeadDesk's own.")
        note.setWordWrap(True)
        box_layout.addWidget(note)
        self.group.buttonToggled.connect(self._toggled)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)

    def theme(self) -> str:
        return next(name for name, button in self.buttons.items() if button.isChecked())

    def _toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self._apply(self.theme())

    def _apply(self, theme: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and theme != self._shown:
            apply_theme(app, theme)
            self._shown = theme

    def save(self) -> bool:
        # Only a choice made here is stored (not a --theme this run was started with).
        if self.theme() != self._opened and self.theme() != self._stored:
            set_theme_choice(self._data_dir, self.theme())
            self._stored = self.theme()
        self._opened = self.theme()
        return True

    def revert(self) -> None:
        """Cancel: the colours the dialog opened with."""
        self._apply(self._opened)
