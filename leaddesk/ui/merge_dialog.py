"""Merging two leads that are one person: a choice per field where they differ.

Each differing field shows both values side by side with a radio button each;
the proposal (core/merge_policy.py) is preselected. Merging keeps the history of
both leads, puts the other one in the trash, and is one step of Edit › Undo.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import (
    FIELDS_BY_NAME,
    Consent,
    FieldKind,
    Stage,
    Temperature,
    display_name,
)
from leaddesk.core.merge_policy import Side, differing_fields
from leaddesk.operations.merge import field_values, merge_leads, proposed_choices
from leaddesk.storage.lead_rows import stored_rows
from leaddesk.storage.queries import all_owner_names
from leaddesk.ui.runner import OperationRunner

# Longer values are cut in the radio's text (a radio button does not wrap); the
# tooltip has them whole.
_LONGEST_SHOWN = 44


def _shown(name: str, value: Any, owner_names: dict[int, str]) -> str:
    """A stored value as the user knows it ("Hot", "12,500", "Yes", "(empty)")."""
    if value is None or value == "":
        return "(empty)"
    field = FIELDS_BY_NAME[name]
    if field.kind is FieldKind.OWNER:
        return owner_names.get(int(value), "(unknown)")
    if field.kind is FieldKind.MONEY:
        return f"{value / 100:,.2f}"
    if field.kind is FieldKind.BOOL:
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime | dt.date):
        return (
            value.isoformat(sep=" ", timespec="minutes")
            if isinstance(value, dt.datetime)
            else value.isoformat()
        )
    for enum in (Temperature, Stage, Consent):
        if name == enum.__name__.lower():
            return enum(value).label
    text = " ".join(str(value).split())
    return text if len(text) <= _LONGEST_SHOWN else text[: _LONGEST_SHOWN - 1] + "…"


class MergeDialog(QDialog):
    """Merge ``other_id`` into ``keep_id``; Swap exchanges which one is kept."""

    def __init__(
        self, runner: OperationRunner, keep_id: int, other_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.keep_id, self.other_id = keep_id, other_id
        self.groups: dict[str, QButtonGroup] = {}
        self.setObjectName("mergeDialog")
        self.setWindowTitle("Merge duplicates")
        self.setMinimumWidth(640)

        self.heading = QLabel()
        self.heading.setObjectName("mergeHeading")
        self.heading.setWordWrap(True)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.grid_host)
        self.note = QLabel()
        self.note.setObjectName("mergeNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = QPushButton("&Merge")
        self.merge_button.setDefault(True)
        self.buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.swap_button = QPushButton("&Swap which is kept")
        self.buttons.addButton(self.swap_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        self.swap_button.clicked.connect(self.swap)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self._build()

    def _read(self) -> tuple[Any, Any, dict[int, str]]:
        with self._runner.ctx.db.reading() as connection:
            rows = stored_rows(connection, [self.keep_id, self.other_id])
            names = all_owner_names(connection)
        return rows[self.keep_id], rows[self.other_id], names

    def _build(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        for old in self.groups.values():
            old.deleteLater()
        self.groups = {}
        keep, other, names = self._read()
        self.keep_name = display_name(keep.first_name, keep.last_name, keep.email)
        self.other_name = display_name(other.first_name, other.last_name, other.email)
        # Names go into rich text: "Tom & <Jerry>" must read as typed.
        keep_html, other_html = html.escape(self.keep_name), html.escape(self.other_name)
        self.heading.setText(
            f"<b>{other_html}</b> (lead {other.id}) will be merged into "
            f"<b>{keep_html}</b> (lead {keep.id}). Choose the value to keep where they differ."
        )
        self.note.setText(
            "The activities, follow-ups and stage history of both leads are kept. "
            f"{self.other_name} goes to the trash; Edit › Undo takes the merge back."
        )
        for column, title in ((1, f"{keep_html} (kept)"), (2, other_html)):
            header = QLabel(f"<b>{title}</b>")
            self.grid.addWidget(header, 0, column)
        keep_values, other_values = field_values(keep), field_values(other)
        proposal = proposed_choices(keep, other)
        fields = differing_fields(keep_values, other_values)
        if not fields:
            self.grid.addWidget(QLabel("The two leads hold the same values."), 1, 0, 1, 3)
        for row, name in enumerate(fields, start=1):
            label = QLabel(FIELDS_BY_NAME[name].label)
            group = QButtonGroup(self)
            for column, side, value in (
                (1, Side.KEEP, keep_values[name]),
                (2, Side.OTHER, other_values[name]),
            ):
                button = QRadioButton(_shown(name, value, names))
                button.setObjectName(f"{name}_{side.value}")
                button.setToolTip("" if value is None else str(value))
                button.setChecked(proposal.get(name, Side.KEEP) is side)
                group.addButton(button)
                self.grid.addWidget(button, row, column)
            label.setBuddy(group.buttons()[0])
            self.grid.addWidget(label, row, 0)
            self.groups[name] = group
        self.grid.setRowStretch(len(fields) + 1, 1)

    def choices(self) -> dict[str, Side]:
        """The side chosen for every differing field."""
        result: dict[str, Side] = {}
        for name, group in self.groups.items():
            checked = group.checkedButton()
            result[name] = (
                Side.OTHER if checked is not None and checked is group.buttons()[1] else Side.KEEP
            )
        return result

    def swap(self) -> None:
        self.keep_id, self.other_id = self.other_id, self.keep_id
        self._build()

    def merge(self) -> None:
        result = self._runner.run_undoable(
            f"Merge {self.other_name} into {self.keep_name}",
            [self.keep_id, self.other_id],
            merge_leads,
            self.keep_id,
            self.other_id,
            self.choices(),
        )
        if result is not None:
            self.accept()


def offer_merge(
    runner: OperationRunner, parent: QWidget | None, keep_id: int, other_id: int
) -> int | None:
    """Show the merge dialog; the id of the lead kept when the user merged, else None."""
    dialog = MergeDialog(runner, keep_id, other_id, parent)
    merged = dialog.exec() == QDialog.DialogCode.Accepted
    kept = dialog.keep_id
    dialog.deleteLater()
    return kept if merged else None


class _MergeableForm(Protocol):
    """What ``merge_with_duplicate`` needs of a lead form (ui/lead_form/form.py)."""

    lead_id: int | None

    def is_dirty(self) -> bool: ...

    def save(self) -> bool: ...

    def load(self, lead_id: int) -> None: ...


def merge_with_duplicate(
    runner: OperationRunner, form: _MergeableForm, duplicate_id: int, parent: QWidget | None
) -> int | None:
    """The form's *Merge…*: save what was typed, then offer the merge.

    A lead being edited is kept and the duplicate merged into it; a new lead is
    saved and merged into the one it duplicates, which has the history. The form
    then shows the kept lead. Returns its id, or None when nothing was merged
    (the form's lead stays saved; both leads remain).
    """
    was_new = form.lead_id is None
    if (was_new or form.is_dirty()) and not form.save():
        return None
    lead_id = form.lead_id
    if lead_id is None or lead_id == duplicate_id:
        return None
    keep, other = (duplicate_id, lead_id) if was_new else (lead_id, duplicate_id)
    kept = offer_merge(runner, parent, keep, other)
    if kept is not None:
        form.load(kept)
    return kept
