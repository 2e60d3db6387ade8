"""Settings → Lists: the disqualification reasons, the default phone region, the trash."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import DISQUALIFICATION_REASONS
from leaddesk.operations.settings import (
    set_default_region,
    set_disqualification_reasons,
    update_settings,
)
from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.runner import OperationRunner


def region_choices() -> list[tuple[str, str]]:
    """(code, "Germany (DE)") for every region whose numbers can be normalised, by name."""
    import phonenumbers

    choices = []
    for code in phonenumbers.SUPPORTED_REGIONS:
        if code == "001":  # non-geographic numbers
            continue
        territory = QLocale.codeToTerritory(code)
        name = QLocale.territoryToString(territory) if territory.value else code
        choices.append((code, f"{name} ({code})"))
    return sorted(choices, key=lambda choice: choice[1].casefold())


class ListsSettingsPage(QWidget):
    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("listsSettings")
        self._runner = runner
        with runner.ctx.db.reading() as connection:
            values = read_settings(connection)
        self._saved_reasons: list[str] = list(values["disqualification_reasons"])
        self._saved_region: str = values["default_region"] or ""
        self._saved_trash_days = int(values["trash_days"])

        self.reasons = QListWidget()
        self.reasons.setObjectName("disqualificationReasons")
        self.reasons.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.reasons.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self._fill(self._saved_reasons)
        self.add_button = QPushButton("&Add")
        self.add_button.setObjectName("addReason")
        self.add_button.clicked.connect(self.add_reason)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setObjectName("removeReason")
        self.remove_button.clicked.connect(self.remove_reason)
        self.up_button = QPushButton("Move &up")
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button = QPushButton("Move do&wn")
        self.down_button.clicked.connect(lambda: self._move(1))
        self.defaults_button = QPushButton("Restore &defaults")
        self.defaults_button.clicked.connect(lambda: self._fill(list(DISQUALIFICATION_REASONS)))
        buttons = QVBoxLayout()
        for button in (
            self.add_button,
            self.remove_button,
            self.up_button,
            self.down_button,
            self.defaults_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        reasons_box = QGroupBox("Disqualification reasons")
        reasons_layout = QVBoxLayout(reasons_box)
        hint = QLabel(
            "Offered when a lead is moved to Disqualified. Double-click a reason to rename it; "
            "leads keep the reason they were given."
        )
        hint.setWordWrap(True)
        reasons_layout.addWidget(hint)
        reasons_row = QHBoxLayout()
        reasons_row.addWidget(self.reasons, 1)
        reasons_row.addLayout(buttons)
        reasons_layout.addLayout(reasons_row)

        self.region = QComboBox()
        self.region.setObjectName("defaultRegion")
        self.region.addItem("None: numbers must start with + or 00", "")
        for code, label in region_choices():
            self.region.addItem(label, code)
        index = self.region.findData(self._saved_region)
        self.region.setCurrentIndex(max(0, index))
        phone_box = QGroupBox("Phone numbers")
        phone_form = QFormLayout(phone_box)
        phone_form.addRow("Default country", self.region)
        region_hint = QLabel(
            "Phone numbers typed without a country code are read as numbers of this country "
            "and stored in international form: with Germany, 030 1234567 becomes +49 30 1234567."
        )
        region_hint.setWordWrap(True)
        phone_form.addRow("", region_hint)

        self.trash_days = QSpinBox()
        self.trash_days.setObjectName("trashDays")
        self.trash_days.setRange(0, 3650)
        self.trash_days.setSuffix(" days")
        self.trash_days.setSpecialValueText("Forever")
        self.trash_days.setValue(self._saved_trash_days)
        # A number, not a line of text: as wide as "3650 days" needs.
        self.trash_days.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.trash_days.setToolTip("0 keeps deleted leads until you delete them forever")
        trash_box = QGroupBox("Trash")
        trash_form = QFormLayout(trash_box)
        trash_form.addRow("Keep deleted leads for", self.trash_days)

        layout = QVBoxLayout(self)
        layout.addWidget(reasons_box, 1)
        layout.addWidget(phone_box)
        layout.addWidget(trash_box)

    def _fill(self, reasons: list[str]) -> None:
        self.reasons.clear()
        for reason in reasons:
            self._append(reason)

    def _append(self, reason: str) -> QListWidgetItem:
        item = QListWidgetItem(reason)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.reasons.addItem(item)
        return item

    def add_reason(self) -> None:
        item = self._append("New reason")
        self.reasons.setCurrentItem(item)
        self.reasons.editItem(item)

    def remove_reason(self) -> None:
        row = self.reasons.currentRow()
        if row >= 0:
            self.reasons.takeItem(row)

    def _move(self, step: int) -> None:
        row = self.reasons.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.reasons.count():
            return
        item = self.reasons.takeItem(row)
        self.reasons.insertItem(target, item)
        self.reasons.setCurrentRow(target)

    def reason_texts(self) -> list[str]:
        return [self.reasons.item(row).text() for row in range(self.reasons.count())]

    def region_code(self) -> str:
        return str(self.region.currentData() or "")

    def save(self) -> bool:
        if self.reason_texts() != self._saved_reasons:
            if self._runner.run(set_disqualification_reasons, self.reason_texts()) is None:
                return False
            self._saved_reasons = self.reason_texts()
        if self.region_code() != self._saved_region:
            if self._runner.run(set_default_region, self.region_code()) is None:
                return False
            self._saved_region = self.region_code()
        if self.trash_days.value() != self._saved_trash_days:
            if self._runner.run(update_settings, {"trash_days": self.trash_days.value()}) is None:
                return False
            self._saved_trash_days = self.trash_days.value()
        return True
