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
from tests.ui.contrast import contrast_ratio


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
        assert contrast_ratio(error_color(dark), background) >= 4.5
        assert contrast_ratio(warning_color(dark), background) >= 4.5


def test_the_rule_editors_problem_reads_on_the_dark_palette(qtbot, dark) -> None:
    editor = RuleEditorDialog()
    qtbot.addWidget(editor)
    shown = _stylesheet_color(editor.problem.styleSheet())
    assert contrast_ratio(shown, dark.color(QPalette.ColorRole.Window)) >= 4.5


def test_the_lead_forms_error_reads_on_the_dark_palette(qtbot, runner, dark) -> None:
    form = LeadForm(runner)
    qtbot.addWidget(form)
    shown = _stylesheet_color(form.error.styleSheet())
    assert contrast_ratio(shown, dark.color(QPalette.ColorRole.Window)) >= 4.5
