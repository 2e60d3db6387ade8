"""The lead form's "Next questions to ask": the few missing fields that matter for the next step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.profiling import next_questions
from leaddesk.ui.theme import is_dark


class NextQuestionsBox(QGroupBox):
    """A list of links, each to the field it asks for; ``field_requested`` names the field."""

    field_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Next questions to ask", parent)
        self.setObjectName("questionsBox")
        self.questions = QListWidget()
        self.questions.setObjectName("nextQuestions")
        self.questions.setAccessibleName("Next questions to ask")
        self.questions.setFrameShape(QFrame.Shape.NoFrame)
        self.questions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.questions.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.questions.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.questions.itemClicked.connect(self._item_chosen)
        self.questions.itemActivated.connect(self._item_chosen)
        self.questions.setCursor(Qt.CursorShape.PointingHandCursor)
        # Read as links: each one takes you to its field.
        link = "#60a5fa" if is_dark(self.palette()) else "#1d4ed8"
        self.questions.setStyleSheet(
            f"QListWidget#nextQuestions {{ background: transparent; color: {link}; }}"
        )
        self.done = QLabel("Nothing left to ask for this step.")
        self.done.setObjectName("questionsDone")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.addWidget(self.questions)
        layout.addWidget(self.done)

    def show_for(self, values: Mapping[str, Any]) -> None:
        """List the questions that matter next for ``values``, sized to fit."""
        self.questions.clear()
        for question in next_questions(values):
            item = QListWidgetItem(f"→  {question.prompt}")
            item.setData(Qt.ItemDataRole.UserRole, question.field)
            item.setToolTip(f"Fill in {question.label}")
            self.questions.addItem(item)
        count = self.questions.count()
        self.questions.setVisible(count > 0)
        self.done.setVisible(count == 0)
        if count:
            height = sum(self.questions.sizeHintForRow(row) for row in range(count))
            self.questions.setFixedHeight(height + 2 * self.questions.frameWidth() + 2)

    def fields(self) -> list[str]:
        """The fields asked for, in the order shown."""
        return [
            self.questions.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.questions.count())
        ]

    def _item_chosen(self, item: QListWidgetItem) -> None:
        name = item.data(Qt.ItemDataRole.UserRole)
        if name:
            self.field_requested.emit(name)
