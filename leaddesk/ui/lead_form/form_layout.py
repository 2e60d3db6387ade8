"""How the lead form arranges its parts: the two scrolling sides and the error line.

Plain functions over the parts' widgets; the form (form.LeadForm) builds the
parts, owns them and passes them in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from leaddesk.ui.theme import error_color


def error_line(palette: QPalette) -> QLabel:
    """The line under the header that says why a save was refused (hidden until then)."""
    error = QLabel()
    error.setObjectName("formError")
    error.setWordWrap(True)
    error.setStyleSheet(f"color: {error_color(palette).name()}; font-weight: bold;")
    error.hide()
    return error


def profile_side(pipeline: QWidget, questions: QWidget, sections: QWidget) -> QScrollArea:
    """The pipeline row, the next questions and the fields, scrolling."""
    return _scrolling_column("profilePanel", (0, 0, 6, 0), [pipeline, questions, sections])


def activity_side(
    score: QWidget, follow_ups: QWidget, history: QWidget, timeline: QWidget
) -> QScrollArea:
    """The score, follow-ups, stage history and timeline (taking the room left), scrolling."""
    return _scrolling_column(
        "activityPanel", (6, 0, 6, 0), [score, follow_ups, history, timeline], last_fills=True
    )


def _scrolling_column(
    name: str,
    margins: tuple[int, int, int, int],
    parts: list[QWidget],
    *,
    last_fills: bool = False,
) -> QScrollArea:
    """``parts`` one under another, scrolling; the room left goes to the last part
    (``last_fills``) or stays empty below them."""
    column = QWidget()
    column.setObjectName(name)
    layout = QVBoxLayout(column)
    layout.setContentsMargins(*margins)
    for part in parts[:-1]:
        layout.addWidget(part)
    layout.addWidget(parts[-1], 1 if last_fills else 0)
    if not last_fills:
        layout.addStretch(1)
    return _scrolling(column)


def _scrolling(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll
