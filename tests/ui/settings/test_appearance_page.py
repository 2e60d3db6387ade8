"""Settings → Appearance: Dark shows at once on every window, OK keeps it, Cancel undoes it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from leaddesk.ui.board.view import BoardWidget
from leaddesk.ui.settings.dialog import SettingsDialog
from leaddesk.ui.theme import apply_theme, is_dark, set_theme_choice, theme_choice
from tests.ui.board.board_helpers import shown_board


@pytest.fixture(autouse=True)
def _system_colours_after(qapp) -> Iterator[None]:
    # The application is shared by the whole suite: give back the platform's colours.
    yield
    apply_theme(qapp, "system")


def column_background(qtbot, board: BoardWidget) -> QColor:
    """A pixel of the Hot column below its (empty) cards, as painted on screen."""
    view = board.column_for("hot").view
    qtbot.wait(10)  # let the palette change's repaint happen
    image = view.viewport().grab().toImage()
    return image.pixelColor(QPoint(image.width() // 2, image.height() - 5))


def open_settings(qtbot, runner) -> SettingsDialog:
    dialog = SettingsDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_tab("appearance")
    return dialog


def test_choosing_dark_repaints_the_board_dark_and_ok_keeps_it(qtbot, runner, data_dir):
    board = shown_board(qtbot, runner)
    assert column_background(qtbot, board).lightness() > 128
    dialog = open_settings(qtbot, runner)
    assert dialog.appearance.buttons["system"].isChecked()

    dialog.appearance.buttons["dark"].click()

    assert is_dark(QApplication.palette())
    colour = column_background(qtbot, board)
    assert colour.lightness() < 80
    assert colour == QApplication.palette().color(QPalette.ColorRole.AlternateBase)
    assert theme_choice(data_dir) == "system"  # not kept until OK
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert theme_choice(data_dir) == "dark"
    assert is_dark(QApplication.palette())


def test_cancel_brings_back_the_colours_the_dialog_opened_with(qtbot, runner, data_dir):
    board = shown_board(qtbot, runner)
    light = column_background(qtbot, board)
    dialog = open_settings(qtbot, runner)
    dialog.appearance.buttons["dark"].click()
    assert column_background(qtbot, board).lightness() < 80

    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()

    assert column_background(qtbot, board) == light
    assert theme_choice(data_dir) == "system"


def test_the_stored_choice_opens_checked_and_light_repaints_light(qtbot, qapp, runner, data_dir):
    set_theme_choice(data_dir, "dark")
    apply_theme(qapp, theme_choice(data_dir))
    board = shown_board(qtbot, runner)
    dialog = open_settings(qtbot, runner)
    assert dialog.appearance.buttons["dark"].isChecked()
    dark = column_background(qtbot, board)

    dialog.appearance.buttons["light"].click()

    assert column_background(qtbot, board).lightness() > dark.lightness() + 100
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert theme_choice(data_dir) == "light"


def test_an_unknown_stored_theme_reads_as_system(data_dir):
    set_theme_choice(data_dir, "purple")
    assert theme_choice(data_dir) == "system"
