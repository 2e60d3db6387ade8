"""The score rules as a table: rule (with its on/off box), condition in words, points.

The model edits a working copy; nothing is stored until Settings is saved.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QSize, Qt
from PySide6.QtWidgets import QSpinBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from leaddesk.core.rule_text import describe_condition, is_default_rule
from leaddesk.core.scoring import ScoreRule
from leaddesk.ui.settings.working_copy import (
    Index,
    WorkingCopyTableModel,
    bold_font,
    dimmed_text,
)

RULE, CONDITION, POINTS = range(3)
HEADERS = ("Rule", "Condition", "Points")
MIN_POINTS, MAX_POINTS = -100, 100


def format_points(points: int) -> str:
    """'+20', '−5' (a real minus sign), '0'."""
    if points > 0:
        return f"+{points}"
    if points < 0:
        return f"\N{MINUS SIGN}{-points}"
    return "0"


class ScoreRulesModel(WorkingCopyTableModel):
    """A working copy of the rules; ``rules()`` is what Settings saves."""

    HEADERS = HEADERS

    def __init__(self, rules: list[ScoreRule], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rules = list(rules)

    # -- Qt model API ------------------------------------------------------

    def row_total(self) -> int:
        """One row per rule."""
        return len(self._rules)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not self.has_row(index):
            return None
        rule = self._rules[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == RULE:
                return rule.label
            if column == CONDITION:
                return describe_condition(rule.kind, rule.parameters)
            if column == POINTS:
                return format_points(rule.points)
        elif role == Qt.ItemDataRole.EditRole:
            if column == POINTS:
                return rule.points
            if column == RULE:
                return rule.label
        elif role == Qt.ItemDataRole.CheckStateRole and column == RULE:
            return Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == POINTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.ForegroundRole and not rule.enabled:
            return dimmed_text()
        elif role == Qt.ItemDataRole.FontRole and column == POINTS:
            return bold_font(rule.enabled)
        elif role == Qt.ItemDataRole.ToolTipRole:
            state = "" if rule.enabled else " (switched off: gives no points)"
            origin = "" if not rule.key or is_default_rule(rule.key) else "\nA rule you added."
            return (
                f"{rule.label}{state}\n{describe_condition(rule.kind, rule.parameters)}: "
                f"{format_points(rule.points)} points{origin}"
            )
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == RULE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == POINTS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not self.has_row(index):
            return False
        rule = self._rules[index.row()]
        if index.column() == RULE and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
            self.replace(index.row(), _with(rule, enabled=checked))
            return True
        if index.column() == POINTS and role == Qt.ItemDataRole.EditRole:
            if not isinstance(value, int) or not MIN_POINTS <= value <= MAX_POINTS:
                return False
            self.replace(index.row(), _with(rule, points=value))
            return True
        return False

    # -- editing the working copy -------------------------------------------

    def rules(self) -> list[ScoreRule]:
        return list(self._rules)

    def rule(self, row: int) -> ScoreRule:
        return self._rules[row]

    def replace(self, row: int, rule: ScoreRule) -> None:
        self._rules[row] = rule
        self.row_changed(row)

    def append(self, rule: ScoreRule) -> int:
        row = len(self._rules)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rules.append(rule)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rules[row]
        self.endRemoveRows()

    def set_enabled(self, row: int, enabled: bool) -> None:
        self.replace(row, _with(self._rules[row], enabled=enabled))


def _with(rule: ScoreRule, *, points: int | None = None, enabled: bool | None = None) -> ScoreRule:
    return ScoreRule(
        rule.key,
        rule.label,
        rule.kind,
        rule.points if points is None else points,
        rule.parameters,
        rule.enabled if enabled is None else enabled,
    )


class PointsDelegate(QStyledItemDelegate):
    """Points are typed in a spin box limited to what a score can hold."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QSpinBox(parent)
        editor.setRange(MIN_POINTS, MAX_POINTS)
        editor.setFrame(False)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        # A frameless spin box leaves its arrows' area unpainted: the cell's own
        # "+20" showed through beside the typed number, as if under the arrows.
        editor.setAutoFillBackground(True)
        return editor

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """At least as wide as the spin box, so the column fits the editor's arrows."""
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), points_editor_width()), hint.height())

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        """The cell's rectangle, widened leftwards if the column is narrower than the editor."""
        rect = option.rect
        width = max(rect.width(), points_editor_width())
        editor.setGeometry(rect.right() + 1 - width, rect.top(), width, rect.height())


_EDITOR_WIDTH: list[int] = []


def points_editor_width() -> int:
    """The width a frameless points spin box needs for "−100" and its arrows (measured once)."""
    if not _EDITOR_WIDTH:
        probe = QSpinBox()
        probe.setRange(MIN_POINTS, MAX_POINTS)
        probe.setFrame(False)
        _EDITOR_WIDTH.append(max(88, probe.sizeHint().width() + 16))
        probe.deleteLater()
    return _EDITOR_WIDTH[0]
