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
    profile = QWidget()
    profile.setObjectName("profilePanel")
    layout = QVBoxLayout(profile)
    layout.setContentsMargins(0, 0, 6, 0)
    layout.addWidget(pipeline)
    layout.addWidget(questions)
    layout.addWidget(sections)
    layout.addStretch(1)
    return _scrolling(profile)


def activity_side(
    score: QWidget, follow_ups: QWidget, history: QWidget, timeline: QWidget
) -> QScrollArea:
    """The score, follow-ups, stage history and timeline (taking the room left), scrolling."""
    activity = QWidget()
    activity.setObjectName("activityPanel")
    layout = QVBoxLayout(activity)
    layout.setContentsMargins(6, 0, 6, 0)
    layout.addWidget(score)
    layout.addWidget(follow_ups)
    layout.addWidget(history)
    layout.addWidget(timeline, 1)
    return _scrolling(activity)


def _scrolling(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll
