"""Rough edges in Settings: the points spin box has room, the Reminders hint reads,
and Settings → Lists keeps the trash setting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QSpinBox

from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.settings.dialog import SettingsDialog
from leaddesk.ui.settings.lists_page import ListsSettingsPage
from leaddesk.ui.settings.reminders_page import RemindersSettingsPage
from leaddesk.ui.settings.rule_editor import RuleEditorDialog
from leaddesk.ui.settings.rules_model import POINTS, points_editor_width
from leaddesk.ui.theme import _dark_palette, _light_palette
from tests.ui.contrast import contrast_ratio


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp) -> Iterator[QPalette]:
    before = QApplication.palette()
    chosen = _dark_palette() if request.param == "dark" else _light_palette()
    QApplication.setPalette(chosen)
    yield chosen
    QApplication.setPalette(before)


def _needed_width(spin: QSpinBox) -> int:
    """The widest value's text plus the arrows, as the style lays them out."""
    text = QFontMetrics(spin.font()).horizontalAdvance("−100")
    return text + 16


def test_the_rule_editors_points_box_fits_the_number_beside_its_arrows(qtbot) -> None:
    editor = RuleEditorDialog()
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    spin = editor.points
    assert spin.width() >= spin.sizeHint().width()
    assert spin.width() >= _needed_width(spin)


def test_the_points_column_and_its_editor_fit_the_spin_box(qtbot, runner) -> None:
    dialog = SettingsDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.scoring.table
    width = points_editor_width()
    assert width >= QSpinBox().sizeHint().width() - 8
    assert table.columnWidth(POINTS) >= width
    index = dialog.scoring.model.index(0, POINTS)
    table.edit(index)
    editor = table.indexWidget(index) or table.focusWidget()
    assert isinstance(editor, QSpinBox)
    assert editor.width() >= width


def test_the_reminders_hints_use_readable_text(qtbot, runner, palette) -> None:
    page = RemindersSettingsPage(runner, None)
    qtbot.addWidget(page)
    hints = [label for label in page.findChildren(QLabel) if label.wordWrap()]
    assert hints
    background = palette.color(QPalette.ColorRole.Window)
    for label in hints:
        assert label.isEnabled()
        shown = label.palette().color(QPalette.ColorGroup.Active, label.foregroundRole())
        assert contrast_ratio(shown, background) >= 4.5, label.text()


def test_lists_page_stores_how_long_the_trash_keeps_leads(qtbot, runner, ctx) -> None:
    page = ListsSettingsPage(runner)
    qtbot.addWidget(page)
    assert page.trash_days.value() == 30
    page.trash_days.setValue(0)
    assert page.trash_days.text() == "Forever"
    assert page.save()
    with ctx.db.reading() as connection:
        assert read_settings(connection)["trash_days"] == 0
    assert ListsSettingsPage(runner).trash_days.value() == 0
