"""Settings → Scoring: the rules table, the qualification threshold and the cut-offs."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.rule_text import is_default_rule, score_settings_problem
from leaddesk.core.scoring import ScoreRule, ScoreSettings
from leaddesk.operations.scoring import load_rules, load_score_settings
from leaddesk.ui.flat_table import select_only_row
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.settings.rule_editor import RuleEditorDialog
from leaddesk.ui.settings.rules_model import (
    CONDITION,
    POINTS,
    RULE,
    PointsDelegate,
    ScoreRulesModel,
)
from leaddesk.ui.theme import warning_color


def _score_spin(name: str, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(0, 100)
    spin.setValue(value)
    spin.setSuffix(" points")
    return spin


class ScoringSettingsPage(QWidget):
    """Edits a copy of the rules and cut-offs; the dialog saves them with one rescore."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoringSettings")
        self._runner = runner
        with runner.ctx.db.reading() as connection:
            self._saved_rules = load_rules(connection)
            self._saved_settings = load_score_settings(connection)
        self.model = ScoreRulesModel(self._saved_rules, self)

        intro = QLabel(
            "A lead's score adds the points of every rule that applies to it, from 0 to 100. "
            "Untick a rule to switch it off; double-click its points to change them."
        )
        intro.setWordWrap(True)

        self.table = QTableView()
        self.table.setObjectName("scoreRules")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(POINTS, PointsDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(RULE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(CONDITION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(POINTS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(RULE, 280)
        self.table.doubleClicked.connect(self._on_double_clicked)

        self.add_button = QPushButton("&Add…")
        self.add_button.setObjectName("addRule")
        self.add_button.clicked.connect(self.add_rule)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setObjectName("editRule")
        self.edit_button.clicked.connect(self.edit_rule)
        self.toggle_button = QPushButton("&Disable")
        self.toggle_button.setObjectName("toggleRule")
        self.toggle_button.clicked.connect(self.toggle_rule)
        self.delete_button = QPushButton("De&lete")
        self.delete_button.setObjectName("deleteRule")
        self.delete_button.clicked.connect(self.delete_rule)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.toggle_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        table_row = QHBoxLayout()
        table_row.addWidget(self.table, 1)
        table_row.addLayout(buttons)

        settings = self._saved_settings
        self.hot_cutoff = _score_spin("hotCutoff", settings.hot_cutoff)
        self.warm_cutoff = _score_spin("warmCutoff", settings.warm_cutoff)
        self.threshold = _score_spin("qualificationThreshold", settings.qualification_threshold)
        self.cutoff_problem = QLabel()
        self.cutoff_problem.setObjectName("cutoffProblem")
        self.cutoff_problem.setStyleSheet(f"color: {warning_color(self.palette()).name()};")
        self.cutoff_problem.hide()
        cutoffs = QGroupBox("What the score suggests")
        cutoff_form = QFormLayout(cutoffs)
        cutoff_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        cutoff_form.addRow("Suggest hot from", self.hot_cutoff)
        cutoff_form.addRow("Suggest warm from", self.warm_cutoff)
        cutoff_form.addRow("", QLabel("Below the warm cut-off the score suggests cold."))
        cutoff_form.addRow("Sales qualified from", self.threshold)
        cutoff_form.addRow("", self.cutoff_problem)
        for spin in (self.hot_cutoff, self.warm_cutoff, self.threshold):
            spin.valueChanged.connect(self._check_cutoffs)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(table_row, 1)
        layout.addWidget(cutoffs)

        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.dataChanged.connect(lambda *_args: self._update_buttons())
        self._update_buttons()

    # -- what is edited ------------------------------------------------------

    def score_settings(self) -> ScoreSettings:
        return ScoreSettings(
            qualification_threshold=self.threshold.value(),
            hot_cutoff=self.hot_cutoff.value(),
            warm_cutoff=self.warm_cutoff.value(),
        )

    def rules(self) -> list[ScoreRule]:
        return self.model.rules()

    def has_changes(self) -> bool:
        return self.rules() != self._saved_rules or self.score_settings() != self._saved_settings

    def problem(self) -> str | None:
        return score_settings_problem(self.score_settings())

    def mark_saved(self) -> None:
        self._saved_rules = self.rules()
        self._saved_settings = self.score_settings()

    # -- buttons -------------------------------------------------------------

    def current_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select_row(self, row: int) -> None:
        select_only_row(self.table, row)

    def _update_buttons(self, *_args: QItemSelection) -> None:
        row = self.current_row()
        self.edit_button.setEnabled(row is not None)
        self.toggle_button.setEnabled(row is not None)
        if row is None:
            self.delete_button.setEnabled(False)
            self.delete_button.setToolTip("")
            return
        rule = self.model.rule(row)
        self.toggle_button.setText("&Enable" if not rule.enabled else "&Disable")
        own = bool(rule.key) and is_default_rule(rule.key)
        self.delete_button.setEnabled(not own)
        self.delete_button.setToolTip(
            "LeadDesk's own rules can be disabled, not deleted." if own else "Delete this rule"
        )

    def _on_double_clicked(self, index: QModelIndex) -> None:
        # The points column edits in place; elsewhere a double click opens the rule.
        if index.column() != POINTS:
            self.edit_rule()

    def add_rule(self) -> None:
        dialog = RuleEditorDialog(parent=self)
        if dialog.exec() and (rule := dialog.rule()) is not None:
            self.select_row(self.model.append(rule))

    def edit_rule(self) -> None:
        row = self.current_row()
        if row is None:
            return
        dialog = RuleEditorDialog(self.model.rule(row), parent=self)
        if dialog.exec() and (rule := dialog.rule()) is not None:
            self.model.replace(row, rule)

    def toggle_rule(self) -> None:
        row = self.current_row()
        if row is not None:
            self.model.set_enabled(row, not self.model.rule(row).enabled)

    def delete_rule(self) -> None:
        row = self.current_row()
        if row is None:
            return
        rule = self.model.rule(row)
        if rule.key and is_default_rule(rule.key):
            return
        answer = QMessageBox.question(
            self,
            "Delete rule",
            f"Delete the rule “{rule.label}”?\nLeads will be rescored without it.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.model.remove(row)

    def _check_cutoffs(self) -> None:
        problem = self.problem()
        self.cutoff_problem.setText(problem or "")
        self.cutoff_problem.setVisible(problem is not None)
