"""The lead form's fields: a section per tier under a header that folds, and the notes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import FIELDS_BY_NAME, Tier
from leaddesk.core.profiling import (
    TIER_LABELS,
    TIER_ORDER,
    is_filled,
    key_fields,
    reached_tiers,
)
from leaddesk.ui.lead_form.field_editors import FieldEditor, LongTextEditor
from leaddesk.ui.lead_form.field_layout import SECTION_FIELDS, WIDE_FIELDS


class TierSection(QWidget):
    """A tier's fields under a header that folds, with the tier's completeness meter."""

    def __init__(self, tier: Tier, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tier = tier
        self.setObjectName(f"section_{tier.value}")
        self.toggle = QToolButton()
        self.toggle.setObjectName(f"toggle_{tier.value}")
        self.toggle.setText(TIER_LABELS[tier])
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        font = QFont(self.toggle.font())
        font.setBold(True)
        self.toggle.setFont(font)
        self.toggle.toggled.connect(self.set_expanded)
        self.meter = QProgressBar()
        self.meter.setObjectName(f"meter_{tier.value}")
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setFixedSize(72, 8)
        self.meter_label = QLabel()
        self.meter_label.setObjectName(f"meterLabel_{tier.value}")
        self.meter_label.setMinimumWidth(34)
        self.meter_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.toggle)
        header.addStretch(1)
        header.addWidget(self.meter)
        header.addWidget(self.meter_label)
        self.body = QFrame()
        self.body.setObjectName(f"body_{tier.value}")
        # label, field (and in two columns: label, field again)
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(14, 2, 4, 8)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(6)
        self._row = 0
        self._column = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.body)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setForegroundRole(QPalette.ColorRole.Mid)
        layout.addWidget(line)
        self.set_expanded(False)

    def add_field(
        self, label: str, widget: QWidget, *, columns: int, label_width: int, wide: bool
    ) -> None:
        """One field; short ones pair up when there are two columns, ``wide`` ones span."""
        caption = QLabel(label)
        caption.setWordWrap(True)
        caption.setMinimumWidth(label_width)
        caption.setMaximumWidth(max(label_width, 125))
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        caption.setContentsMargins(0, 4, 0, 0)
        if self._column and (wide or self._column >= columns):
            self._row += 1
            self._column = 0
        top = Qt.AlignmentFlag.AlignTop
        if wide:
            self.grid.addWidget(caption, self._row, 0)
            self.grid.addWidget(widget, self._row, 1, 1, 2 * columns - 1, top)
            self._row += 1
            return
        self.grid.addWidget(caption, self._row, 2 * self._column)
        self.grid.addWidget(widget, self._row, 2 * self._column + 1, top)
        self.grid.setColumnStretch(2 * self._column + 1, 1)
        self._column += 1
        if self._column >= columns:
            self._row += 1
            self._column = 0

    def set_expanded(self, expanded: bool) -> None:
        if self.toggle.isChecked() != expanded:
            self.toggle.setChecked(expanded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_progress(self, fraction: float, filled: int, total: int, reached: bool) -> None:
        self.meter.setValue(round(fraction * 100))
        self.meter_label.setText(f"{filled}/{total}")
        state = "reached" if reached else "not reached yet"
        self.meter.setToolTip(f"{TIER_LABELS[self.tier]}: {filled} of {total} key fields ({state})")
        self.meter_label.setToolTip(self.meter.toolTip())
        self.toggle.setToolTip(
            "" if reached else "The lead has not reached this tier yet; open it to fill in early."
        )


class FieldSections(QWidget):
    """Each tier's fields in its section (``sections``), then the notes.

    The tiers a lead has reached are open and later ones folded; each section's
    meter shows how many of its key fields are filled.
    """

    def __init__(
        self,
        editors: Mapping[str, FieldEditor],
        notes: FieldEditor,
        *,
        columns: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fieldSections")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        # One label width for every section, so the fields line up down the form.
        label_width = min(
            125,
            max(
                self.fontMetrics().horizontalAdvance(FIELDS_BY_NAME[name].label)
                for names in SECTION_FIELDS.values()
                for name in names
            ),
        )
        self.sections: dict[Tier, TierSection] = {}
        for tier in TIER_ORDER:
            section = TierSection(tier)
            for name in SECTION_FIELDS[tier]:
                editor = editors[name]
                section.add_field(
                    FIELDS_BY_NAME[name].label,
                    editor.container,
                    columns=columns,
                    label_width=label_width,
                    wide=isinstance(editor, LongTextEditor) or name in WIDE_FIELDS,
                )
            self.sections[tier] = section
            layout.addWidget(section)
        notes_box = QGroupBox("Notes")
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.setContentsMargins(8, 4, 8, 8)
        notes_layout.addWidget(notes.container)
        layout.addWidget(notes_box)

    def fold_to(self, values: Mapping[str, Any]) -> None:
        """Open the tiers ``values`` have reached, fold the later ones."""
        reached = reached_tiers(values)
        for tier, section in self.sections.items():
            section.set_expanded(tier in reached)

    def open_reached(self, values: Mapping[str, Any]) -> None:
        """Open the tiers ``values`` have reached; leave the others as they are."""
        for tier in reached_tiers(values):
            self.sections[tier].set_expanded(True)

    def open_tier(self, tier: Tier) -> None:
        if tier in self.sections:
            self.sections[tier].set_expanded(True)

    def show_progress(self, values: Mapping[str, Any], completeness: Mapping[str, float]) -> None:
        """Each section's meter for ``values`` (``completeness``: lead_completeness of them)."""
        reached = reached_tiers(values)
        for tier, section in self.sections.items():
            names = key_fields(tier, values)
            filled = sum(is_filled(values, name) for name in names)
            section.set_progress(completeness[tier.value], filled, len(names), tier in reached)
