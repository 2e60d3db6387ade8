"""One row per column of the file: its header, what it fills, why, and sample values."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QFont, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from leaddesk.core.csv_import.mapping import ColumnMapping
from leaddesk.core.csv_import.mapping_explanation import ColumnReason
from leaddesk.ui.import_wizard.session import TARGET_CHOICES
from leaddesk.ui.import_wizard.widgets import ElidedLabel

_SEPARATOR_AFTER = {None, "keep_in_notes", "full_name", "notes"}
"""Targets after which the combo draws a separator: Ignore | names | fields | extras."""


class TargetCombo(QComboBox):
    """A combo box the mouse wheel changes only once the user has given it focus.

    In a scrolled list of combos the wheel is meant for the list: a combo that
    took it would silently change the mapping under the pointer (a known Qt
    pitfall). Unfocused, it hands the wheel to the scroll area around it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Not WheelFocus (QComboBox's default): wheeling over it must not focus it.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
            return
        area = self._scroll_area()
        if area is None:
            event.ignore()
            return
        # Handed over explicitly rather than ignored: Qt propagates an ignored wheel
        # event to the parents only when it came from the window system.
        viewport = area.viewport()
        forwarded = QWheelEvent(
            QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint())),
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
            event.source(),
        )
        QApplication.sendEvent(viewport, forwarded)
        event.accept()

    def _scroll_area(self) -> QAbstractScrollArea | None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QAbstractScrollArea):
            parent = parent.parentWidget()
        return parent


def target_combo() -> QComboBox:
    """A combo of every import target; item data is the target name ('' to ignore)."""
    combo = TargetCombo()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMaxVisibleItems(20)
    for target, label in TARGET_CHOICES:
        combo.addItem(label, target or "")
        if target in _SEPARATOR_AFTER:
            combo.insertSeparator(combo.count())
    return combo


class MappingEditor(QScrollArea):
    """Emits ``target_chosen(column, target)`` when the user picks a target for a column."""

    target_chosen = Signal(int, object)  # column, target name or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mappingEditor")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.combos: list[QComboBox] = []
        self._headers: list[QLabel] = []
        self._samples: list[QLabel] = []
        self.hints: list[QLabel] = []
        """Beside each choice: why the column's values do not fit (hidden when they do)."""
        self._grid_host = QWidget()
        self.setWidget(self._grid_host)

    def build(self, headers: tuple[str, ...], samples: list[list[str]]) -> None:
        """One row per header; ``samples[i]`` are the first values of column i."""
        self._grid_host = QWidget()
        grid = QGridLayout(self._grid_host)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        bold = QFont(self.font())
        bold.setBold(True)
        for column, title in ((0, "Column in the file"), (1, "Import as"), (3, "Sample values")):
            label = QLabel(title)
            label.setFont(bold)
            grid.addWidget(label, 0, column)
        self.combos, self._headers, self._samples, self.hints = [], [], [], []
        for column, header in enumerate(headers):
            name = ElidedLabel(header)
            name.setToolTip(header)
            combo = target_combo()
            combo.setAccessibleName(f"Import column {header} as")
            combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            values = samples[column] if column < len(samples) else []
            sample = ElidedLabel(" · ".join(values) if values else "(empty)")
            sample.setToolTip("\n".join(values))
            combo.activated.connect(
                lambda index, c=column, box=combo: self.target_chosen.emit(
                    c, box.itemData(index) or None
                )
            )
            hint = QLabel()
            hint.setObjectName("columnHint")
            italic = QFont(self.font())
            italic.setItalic(True)
            hint.setFont(italic)
            hint.hide()
            grid.addWidget(name, column + 1, 0)
            grid.addWidget(combo, column + 1, 1)
            grid.addWidget(hint, column + 1, 2)
            grid.addWidget(sample, column + 1, 3)
            self.combos.append(combo)
            self.hints.append(hint)
            self._headers.append(name)
            self._samples.append(sample)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(3, 3)
        grid.setRowStretch(len(headers) + 1, 1)
        self.setWidget(self._grid_host)  # deletes the previous grid
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        for before, after in zip(self.combos, self.combos[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def show_mapping(self, mapping: ColumnMapping, reasons: tuple[ColumnReason, ...] = ()) -> None:
        """Select each column's target without emitting ``target_chosen``, and say why."""
        for column, combo in enumerate(self.combos):
            target = mapping.targets[column] if column < len(mapping.targets) else None
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(target or ""))
            combo.blockSignals(False)
            reason = reasons[column] if column < len(reasons) else ColumnReason("")
            combo.setToolTip(reason.text)
            combo.setAccessibleDescription(reason.text)
            hint = self.hints[column]
            hint.setText(reason.hint)
            hint.setToolTip(reason.text)
            hint.setVisible(bool(reason.hint))
            # Ignored columns recede, so the eye runs down what will be imported.
            role = (
                QPalette.ColorRole.PlaceholderText
                if target is None
                else QPalette.ColorRole.WindowText
            )
            self._headers[column].setForegroundRole(role)
            self._samples[column].setForegroundRole(role)
            self._headers[column].update()
            self._samples[column].update()
