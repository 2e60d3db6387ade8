"""Add or edit one score rule: a name, what it looks at (kind + a few values), points.

Each kind shows only the values it uses (words, a size range, activity kinds
and how many, days), and the sentence the rule table will show is previewed
as the user types.
"""

from __future__ import annotations

import html
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import ActivityKind
from leaddesk.core.rule_text import KIND_LABELS, RuleProblem, clean_rule, describe_condition
from leaddesk.core.scoring import RuleKind, ScoreRule
from leaddesk.ui.settings.rules_model import MAX_POINTS, MIN_POINTS
from leaddesk.ui.theme import warning_color

_WORDS_KINDS = {RuleKind.JOB_TITLE_MATCHES: "words", RuleKind.COUNTRY_IN: "countries"}
_WORDS_HINTS = {
    RuleKind.JOB_TITLE_MATCHES: "owner, founder, CEO, head of",
    RuleKind.COUNTRY_IN: "Germany, DE, Austria, AT",
}
_NO_VALUES_TEXT = {
    RuleKind.BUSINESS_EMAIL: "Fires when the email address is valid and not from a free-mail "
    "provider.",
    RuleKind.FREE_MAIL: "Fires for Gmail, Yahoo, Outlook.com, GMX and other free-mail addresses.",
    RuleKind.INVALID_EMAIL: "Fires when the email address cannot be a real address.",
    RuleKind.CONSENT_DENIED: "Fires when the lead said no to being contacted or unsubscribed.",
}


class RuleEditorDialog(QDialog):
    """``rule()`` is the edited rule once the dialog was accepted."""

    def __init__(self, rule: ScoreRule | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ruleEditor")
        self.setWindowTitle("Edit score rule" if rule else "Add score rule")
        self._key = rule.key if rule else ""
        self._enabled = rule.enabled if rule else True
        self._result: ScoreRule | None = None

        self.name = QLineEdit(rule.label if rule else "")
        self.name.setObjectName("ruleName")
        self.name.setPlaceholderText("e.g. Asked for a callback")
        self.kind = QComboBox()
        self.kind.setObjectName("ruleKind")
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)

        self.no_values = QLabel()
        self.no_values.setWordWrap(True)
        self.values = QStackedWidget()
        self._page_widgets: dict[str, QWidget] = {
            "words": self._words_page(),
            "size": self._size_page(),
            "activity": self._activity_page(),
            "days": self._days_page(),
            "none": self.no_values,
        }
        self._pages = {name: self.values.addWidget(w) for name, w in self._page_widgets.items()}
        self._lay_out(rule)

        if rule is not None:
            self._load(rule)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        for signal in (
            self.words.textChanged,
            self.size_min.valueChanged,
            self.size_max.valueChanged,
            self.min_count.valueChanged,
            self.days.valueChanged,
            self.points.valueChanged,
            self.activity_kinds.itemChanged,
        ):
            signal.connect(self._update_preview)
        self._on_kind_changed()
        self.resize(520, 420)

    def _words_page(self) -> QWidget:
        """Job-title words or countries, comma-separated."""
        # Several lines: the default title list has twenty words, all worth seeing.
        self.words = QPlainTextEdit()
        self.words.setObjectName("ruleWords")
        self.words.setTabChangesFocus(True)
        self.words.setFixedHeight(self.words.fontMetrics().lineSpacing() * 4 + 12)
        self.words_hint = QLabel("Separate them with commas; whole words, any capitals.")
        self.words_hint.setWordWrap(True)
        words_page = QWidget()
        words_layout = QVBoxLayout(words_page)
        words_layout.setContentsMargins(0, 0, 0, 0)
        words_layout.addWidget(self.words)
        words_layout.addWidget(self.words_hint)
        return words_page

    def _size_page(self) -> QWidget:
        """A company size range, from and to."""
        self.size_min = QSpinBox()
        self.size_min.setObjectName("ruleSizeMin")
        self.size_max = QSpinBox()
        self.size_max.setObjectName("ruleSizeMax")
        for spin in (self.size_min, self.size_max):
            spin.setRange(0, 10**9)
            spin.setGroupSeparatorShown(True)
        self.size_min.setValue(10)
        self.size_max.setValue(1000)
        size_page = QWidget()
        size_layout = QHBoxLayout(size_page)
        size_layout.setContentsMargins(0, 0, 0, 0)
        size_layout.addWidget(QLabel("from"))
        size_layout.addWidget(self.size_min)
        size_layout.addWidget(QLabel("to"))
        size_layout.addWidget(self.size_max)
        size_layout.addWidget(QLabel("people"))
        size_layout.addStretch(1)
        return size_page

    def _activity_page(self) -> QWidget:
        """Which activity kinds count, and how many of them together."""
        self.activity_kinds = QListWidget()
        self.activity_kinds.setObjectName("ruleActivityKinds")
        for activity in ActivityKind:
            item = QListWidgetItem(activity.label)
            item.setData(Qt.ItemDataRole.UserRole, activity.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.activity_kinds.addItem(item)
        self.activity_kinds.setMaximumHeight(150)
        self.min_count = QSpinBox()
        self.min_count.setObjectName("ruleMinCount")
        self.min_count.setRange(1, 1000)
        self.min_count.setSuffix(" times or more")
        activity_page = QWidget()
        activity_layout = QVBoxLayout(activity_page)
        activity_layout.setContentsMargins(0, 0, 0, 0)
        activity_layout.addWidget(self.activity_kinds)
        count_row = QHBoxLayout()
        count_row.addWidget(QLabel("Logged, together,"))
        count_row.addWidget(self.min_count)
        count_row.addStretch(1)
        activity_layout.addLayout(count_row)
        return activity_page

    def _days_page(self) -> QWidget:
        """How many days without contact."""
        self.days = QSpinBox()
        self.days.setObjectName("ruleDays")
        self.days.setRange(1, 3650)
        self.days.setValue(30)
        self.days.setSuffix(" days")
        days_page = QWidget()
        days_layout = QHBoxLayout(days_page)
        days_layout.setContentsMargins(0, 0, 0, 0)
        days_layout.addWidget(QLabel("No call, email, meeting, note or signal for"))
        days_layout.addWidget(self.days)
        days_layout.addStretch(1)
        return days_page

    def _lay_out(self, rule: ScoreRule | None) -> None:
        """Points, the preview and the problem line, then the form and the buttons."""
        self.points = QSpinBox()
        self.points.setObjectName("rulePoints")
        self.points.setRange(MIN_POINTS, MAX_POINTS)
        self.points.setValue(rule.points if rule else 10)
        # Wide enough for "−100" beside its arrows in any style (the arrows sat over
        # the number before); the spin box's own hint measures the widest value.
        self.points.setMinimumWidth(max(96, self.points.sizeHint().width()))
        self.points.setMaximumWidth(160)
        points_hint = QLabel("Negative points lower the score (e.g. −10 for no consent).")

        self.preview = QLabel()
        self.preview.setObjectName("rulePreview")
        self.preview.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("ruleProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {warning_color(self.palette()).name()};")
        self.problem.hide()

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("When", self.kind)
        form.addRow("", self.values)
        form.addRow("Points", self.points)
        form.addRow("", points_hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def _load(self, rule: ScoreRule) -> None:
        self.kind.setCurrentIndex(self.kind.findData(rule.kind.value))
        parameters = rule.parameters
        if rule.kind in _WORDS_KINDS:
            self.words.setPlainText(", ".join(parameters.get(_WORDS_KINDS[rule.kind], ())))
        elif rule.kind is RuleKind.COMPANY_SIZE_BETWEEN:
            self.size_min.setValue(int(parameters.get("min", 0)))
            self.size_max.setValue(min(10**9, int(parameters.get("max", 10**9))))
        elif rule.kind is RuleKind.ACTIVITY_COUNT:
            wanted = set(parameters.get("kinds", ()))
            for row in range(self.activity_kinds.count()):
                item = self.activity_kinds.item(row)
                checked = item.data(Qt.ItemDataRole.UserRole) in wanted
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.min_count.setValue(int(parameters.get("min_count", 1)))
        elif rule.kind is RuleKind.INACTIVE_DAYS:
            self.days.setValue(int(parameters.get("days", 30)))

    def current_kind(self) -> RuleKind:
        return RuleKind(self.kind.currentData())

    def _on_kind_changed(self) -> None:
        kind = self.current_kind()
        if kind in _WORDS_KINDS:
            page = "words"
            self.words.setPlaceholderText("e.g. " + _WORDS_HINTS[kind])
        elif kind is RuleKind.COMPANY_SIZE_BETWEEN:
            page = "size"
        elif kind is RuleKind.ACTIVITY_COUNT:
            page = "activity"
        elif kind is RuleKind.INACTIVE_DAYS:
            page = "days"
        else:
            page = "none"
            self.no_values.setText(_NO_VALUES_TEXT.get(kind, ""))
        self.values.setCurrentIndex(self._pages[page])
        # The stack is as tall as the page shown, not as its tallest page.
        for name, widget in self._page_widgets.items():
            shown = name == page
            policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
            widget.setSizePolicy(policy, policy)
        self.values.adjustSize()
        self._update_preview()

    def parameters(self) -> dict[str, Any]:
        kind = self.current_kind()
        if kind in _WORDS_KINDS:
            return {_WORDS_KINDS[kind]: self.words.toPlainText().replace("\n", ",")}
        if kind is RuleKind.COMPANY_SIZE_BETWEEN:
            return {"min": self.size_min.value(), "max": self.size_max.value()}
        if kind is RuleKind.ACTIVITY_COUNT:
            kinds = [
                self.activity_kinds.item(row).data(Qt.ItemDataRole.UserRole)
                for row in range(self.activity_kinds.count())
                if self.activity_kinds.item(row).checkState() == Qt.CheckState.Checked
            ]
            return {"kinds": kinds, "min_count": self.min_count.value()}
        if kind is RuleKind.INACTIVE_DAYS:
            return {"days": self.days.value()}
        return {}

    def _candidate(self) -> ScoreRule:
        return ScoreRule(
            self._key,
            self.name.text(),
            self.current_kind(),
            self.points.value(),
            self.parameters(),
            self._enabled,
        )

    def _update_preview(self) -> None:
        try:
            # Named or not: the preview shows the condition as the table will.
            rule = clean_rule(replace(self._candidate(), label="preview"))
        except RuleProblem:
            self.preview.setText("")
            return
        points = rule.points
        sign = "+" if points > 0 else "\N{MINUS SIGN}" if points < 0 else ""
        # Typed words go into rich text: "R&D" and "<cto>" must read as typed.
        condition = html.escape(describe_condition(rule.kind, rule.parameters))
        self.preview.setText(f"In the rules table: <b>{condition}</b>: {sign}{abs(points)} points")

    def accept(self) -> None:
        try:
            self._result = clean_rule(self._candidate())
        except RuleProblem as problem:
            self.problem.setText(str(problem))
            self.problem.show()
            return
        self.problem.hide()
        super().accept()

    def rule(self) -> ScoreRule | None:
        return self._result
