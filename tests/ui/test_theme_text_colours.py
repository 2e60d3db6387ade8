"""Problem and warning text stays readable on the dark palette (it was ~3:1 there)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from leaddesk.ui.lead_form.form import LeadForm
from leaddesk.ui.settings.rule_editor import RuleEditorDialog
from leaddesk.ui.theme import _dark_palette, error_color, warning_color


def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in (color.redF(), color.greenF(), color.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _stylesheet_color(style: str) -> QColor:
    match = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", style)
    assert match, style
    return QColor(match.group(1))


@pytest.fixture
def dark(qapp) -> Iterator[QPalette]:
    before = QApplication.palette()
    palette = _dark_palette()
    QApplication.setPalette(palette)
    yield palette
    QApplication.setPalette(before)


def test_error_and_warning_colours_read_on_the_dark_palette(dark) -> None:
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        background = dark.color(role)
        assert _contrast(error_color(dark), background) >= 4.5
        assert _contrast(warning_color(dark), background) >= 4.5


def test_the_rule_editors_problem_reads_on_the_dark_palette(qtbot, dark) -> None:
    editor = RuleEditorDialog()
    qtbot.addWidget(editor)
    shown = _stylesheet_color(editor.problem.styleSheet())
    assert _contrast(shown, dark.color(QPalette.ColorRole.Window)) >= 4.5


def test_the_lead_forms_error_reads_on_the_dark_palette(qtbot, runner, dark) -> None:
    form = LeadForm(runner)
    qtbot.addWidget(form)
    shown = _stylesheet_color(form.error.styleSheet())
    assert _contrast(shown, dark.color(QPalette.ColorRole.Window)) >= 4.5
