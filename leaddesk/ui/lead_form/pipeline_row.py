"""The lead form's pipeline row: the temperature, stage and owner pickers at the top."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from leaddesk.core.fields import FIELDS_BY_NAME, Stage, Temperature
from leaddesk.ui.lead_form.field_editors import ChoiceEditor

_DEFAULTS = {"temperature": Temperature.COLD.value, "stage": Stage.LEAD.value}


class PipelineRow(QWidget):
    """Temperature, stage and owner, laid out in a row.

    ``edited`` says one of them changed (picked, typed, loaded or put back).
    ``chosen(which, value)`` says the user picked a temperature or a stage; the
    choice is *settled* once the form accepts it (``settle``), or put back to the
    last settled one (``put_back``) when the user cancels the move.
    """

    edited = Signal()
    chosen = Signal(str, str)

    def __init__(self, owners: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pipelineRow")
        # Children from the start, so Tab goes temperature, stage, owner.
        self.temperature = QComboBox(self)
        self.temperature.setObjectName("temperature")
        self.temperature.setAccessibleName("Temperature")
        for temperature in Temperature:
            self.temperature.addItem(temperature.label, temperature.value)
        self.stage = QComboBox(self)
        self.stage.setObjectName("stage")
        self.stage.setAccessibleName("Stage")
        for stage in Stage:
            self.stage.addItem(stage.label, stage.value)
        self.owner_editor = ChoiceEditor(
            FIELDS_BY_NAME["owner"], self, choices=owners, editable=True
        )
        self.owner = self.owner_editor.combo
        self.owner.setObjectName("owner")
        # The combo sits in this row; the editor's own container (for a message
        # line the owner never shows) stays out of sight.
        self.owner_editor.container.hide()
        self._settled = dict(_DEFAULTS)
        # Set while a choice is put back: that is one edit, announced once.
        self._quiet = False
        self.owner_editor.changed.connect(self.edited)
        for which, combo in self._combos().items():
            combo.currentIndexChanged.connect(self._index_changed)
            combo.activated.connect(
                lambda _index, which=which, combo=combo: self.chosen.emit(
                    which, combo.currentData()
                )
            )

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(8)
        pickers = (("Temperature", self.temperature), ("Stage", self.stage), ("Owner", self.owner))
        for column, (label, widget) in enumerate(pickers):
            caption = QLabel(label)
            caption.setBuddy(widget)
            layout.addWidget(caption, 0, column)
            layout.addWidget(widget, 1, column)
            layout.setColumnStretch(column, 1)

    def _combos(self) -> dict[str, QComboBox]:
        return {"temperature": self.temperature, "stage": self.stage}

    def _index_changed(self, _index: int) -> None:
        if not self._quiet:
            self.edited.emit()

    # -- values ------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Owner (a name), temperature and stage as picked now."""
        return {
            "owner": self.owner_editor.value(),
            "temperature": self.temperature.currentData(),
            "stage": self.stage.currentData(),
        }

    def set_value(self, name: str, value: Any) -> None:
        """Show ``value`` as loaded: a temperature or stage set so counts as settled."""
        if name == "owner":
            self.owner_editor.set_value(value)
            return
        combo = self._combos()[name]
        self._settled[name] = str(value or _DEFAULTS[name])
        combo.setCurrentIndex(max(0, combo.findData(self._settled[name])))

    def set_owner_choices(self, owners: Sequence[str]) -> None:
        """The team as it is now (Settings → Team, an import); the owner shown stays."""
        self.owner_editor.set_choices(owners)

    # -- choosing ------------------------------------------------------------------

    def pick(self, which: str, value: str) -> None:
        """Show ``value`` as picked, not settled yet (the score's suggestion, accepted)."""
        combo = self._combos()[which]
        combo.setCurrentIndex(combo.findData(value))

    def picked_label(self, which: str) -> str:
        """What the user sees picked for ``which`` ("Hot", "Customer")."""
        return self._combos()[which].currentText()

    def settled(self, which: str) -> str:
        """The temperature or stage last loaded or accepted."""
        return self._settled[which]

    def settle(self, which: str) -> None:
        """Accept what is picked for ``which``."""
        self._settled[which] = self._combos()[which].currentData()

    def put_back(self, which: str) -> None:
        """Show the settled value of ``which`` again (the user cancelled the move)."""
        combo = self._combos()[which]
        self._quiet = True
        try:
            combo.setCurrentIndex(combo.findData(self._settled[which]))
        finally:
            self._quiet = False
        self.edited.emit()
