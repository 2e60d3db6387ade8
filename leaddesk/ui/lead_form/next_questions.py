"""The lead form's "Next questions to ask": the few missing fields that matter for the next step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
)

from leaddesk.core.profiling import next_questions
from leaddesk.ui.theme import is_dark

if TYPE_CHECKING:
    from leaddesk.ui.lead_form.form import LeadForm


def build_questions_box(form: LeadForm) -> QGroupBox:
    """The "Next questions to ask" box: a list of links, each to its field."""
    form.questions = QListWidget()
    form.questions.setObjectName("nextQuestions")
    form.questions.setAccessibleName("Next questions to ask")
    form.questions.setFrameShape(QFrame.Shape.NoFrame)
    form.questions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    form.questions.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    form.questions.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    form.questions.itemClicked.connect(form._question_clicked)
    form.questions.itemActivated.connect(form._question_clicked)
    form.questions.setCursor(Qt.CursorShape.PointingHandCursor)
    # Read as links: each one takes you to its field.
    link = "#60a5fa" if is_dark(form.palette()) else "#1d4ed8"
    form.questions.setStyleSheet(
        f"QListWidget#nextQuestions {{ background: transparent; color: {link}; }}"
    )
    form.questions_done = QLabel("Nothing left to ask for this step.")
    form.questions_done.setObjectName("questionsDone")
    questions_box = QGroupBox("Next questions to ask")
    questions_box.setObjectName("questionsBox")
    questions_layout = QVBoxLayout(questions_box)
    questions_layout.setContentsMargins(8, 4, 8, 6)
    questions_layout.addWidget(form.questions)
    questions_layout.addWidget(form.questions_done)
    return questions_box


def show_next_questions(form: LeadForm, values: Mapping[str, Any]) -> None:
    """List the questions that matter next for what the form holds, sized to fit."""
    form.questions.clear()
    for question in next_questions(values):
        item = QListWidgetItem(f"→  {question.prompt}")
        item.setData(Qt.ItemDataRole.UserRole, question.field)
        item.setToolTip(f"Fill in {question.label}")
        form.questions.addItem(item)
    count = form.questions.count()
    form.questions.setVisible(count > 0)
    form.questions_done.setVisible(count == 0)
    if count:
        height = sum(form.questions.sizeHintForRow(row) for row in range(count))
        form.questions.setFixedHeight(height + 2 * form.questions.frameWidth() + 2)
