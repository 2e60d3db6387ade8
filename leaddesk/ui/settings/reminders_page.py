"""Settings → Reminders: speed-to-lead deadlines per temperature, and the tray option.

The deadlines are team data (in the database, through update_settings); keeping
LeadDesk in the tray is this machine's choice (in window.ini beside the data).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.agenda import sla_minutes_from_settings
from leaddesk.core.fields import Temperature
from leaddesk.operations.settings import update_settings
from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.agenda.tray import keep_in_tray, set_keep_in_tray, tray_available
from leaddesk.ui.runner import OperationRunner

UNITS: tuple[tuple[str, int], ...] = (("minutes", 1), ("hours", 60), ("days", 24 * 60))


def split_minutes(minutes: int) -> tuple[int, int]:
    """The largest unit that states ``minutes`` exactly: 1440 -> (1, days), 90 -> (90, minutes)."""
    for _name, size in reversed(UNITS):
        if minutes and minutes % size == 0:
            return minutes // size, size
    return minutes, 1


class DeadlineEdit(QWidget):
    """A number and a unit (minutes, hours, days), read as minutes."""

    def __init__(self, minutes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.amount = QSpinBox()
        self.amount.setRange(0, 9999)
        self.unit = QComboBox()
        for name, size in UNITS:
            self.unit.addItem(name, size)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.amount)
        layout.addWidget(self.unit)
        layout.addStretch(1)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        value, size = split_minutes(minutes)
        self.unit.setCurrentIndex(self.unit.findData(size))
        self.amount.setValue(value)

    def minutes(self) -> int:
        return int(self.amount.value()) * int(self.unit.currentData())


class RemindersSettingsPage(QWidget):
    """First-contact deadlines (hot, warm, cold) and "keep running in the tray"."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remindersSettingsPage")
        self._runner = runner
        self._data_dir = runner.ctx.db.location.data_dir
        with runner.ctx.db.reading() as connection:
            self._saved = sla_minutes_from_settings(read_settings(connection))

        deadlines = QGroupBox("Speed to lead: first contact within")
        form = QFormLayout(deadlines)
        self.deadlines: dict[Temperature, DeadlineEdit] = {}
        for temperature in (Temperature.HOT, Temperature.WARM, Temperature.COLD):
            edit = DeadlineEdit(self._saved[temperature])
            edit.setObjectName(f"sla-{temperature.value}")
            self.deadlines[temperature] = edit
            form.addRow(f"{temperature.label} leads", edit)
        explain = QLabel(
            "A new lead that nobody has called, emailed or met yet shows a countdown on "
            "its card, then an overdue badge once this time has passed since it arrived."
        )
        explain.setWordWrap(True)
        # Normal text, not a disabled label's grey: it was hard to read (issue 12),
        # and on the dark palette the disabled colour falls well below 4.5:1.
        form.addRow(explain)

        tray = QGroupBox("While LeadDesk runs")
        tray_layout = QVBoxLayout(tray)
        self.keep_in_tray = QCheckBox("Keep running in the tray when the window closes")
        self.keep_in_tray.setObjectName("keepInTray")
        self.keep_in_tray.setChecked(keep_in_tray(self._data_dir))
        tray_layout.addWidget(self.keep_in_tray)
        if not tray_available():
            self.keep_in_tray.setEnabled(False)
            note = QLabel(
                "This desktop has no system tray: reminders show as a banner in the window."
            )
            note.setWordWrap(True)
            tray_layout.addWidget(note)

        layout = QVBoxLayout(self)
        layout.addWidget(deadlines)
        layout.addWidget(tray)
        layout.addStretch(1)

    def values(self) -> dict[str, int]:
        return {
            f"sla_minutes_{temperature.value}": edit.minutes()
            for temperature, edit in self.deadlines.items()
        }

    def save(self) -> bool:
        """Store what changed; False when the database refused (the user was told)."""
        changed = {
            key: minutes
            for key, minutes in self.values().items()
            if self._saved[Temperature(key.removeprefix("sla_minutes_"))] != minutes
        }
        if changed:
            if self._runner.run(update_settings, changed) is None:
                return False
            for key, minutes in changed.items():
                self._saved[Temperature(key.removeprefix("sla_minutes_"))] = minutes
        if self.keep_in_tray.isEnabled():
            set_keep_in_tray(self._data_dir, self.keep_in_tray.isChecked())
        return True
