"""`leaddesk screenshot --view lead:ID` and `--view panel:ID` render the form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from leaddesk.cli.commands.screenshot import parse_view
from leaddesk.core.fields import Temperature
from leaddesk.errors import UserError
from leaddesk.ui.screenshot import render_screenshot
from leaddesk.ui.theme import TEMPERATURE_COLORS
from tests.image_checks import assert_board_columns, assert_not_blank, has_colour, load_png


def test_views_that_name_a_lead_are_parsed():
    assert parse_view("lead:12") == ("lead", "12")
    assert parse_view("panel:7") == ("panel", "7")
    with pytest.raises(UserError, match="panel:ID"):
        parse_view("panel:x")


@pytest.mark.parametrize("view", ["lead", "panel"])
def test_a_lead_renders_in_the_form_and_in_the_panel(qapp, ctx, make_lead, tmp_path, view):
    lead = make_lead("Ada", "hot", email="ada@example.com")
    output = tmp_path / f"{view}.png"
    palette, style = QPalette(qapp.palette()), qapp.style().name()
    try:
        render_screenshot(ctx, output, view=view, lead_id=lead, size=(1300, 820))
        shown = QApplication.palette()  # the screenshot's (light) theme
    finally:
        qapp.setStyle(style)
        qapp.setPalette(palette)
    image = load_png(output)
    assert (image.width(), image.height()) == (1300, 820)
    assert_not_blank(image)
    text = shown.color(QPalette.ColorRole.WindowText)
    if view == "lead":
        # The name as the title, top left; the score (5, which suggests cold) in the
        # colour of that temperature, in the score box on the right.
        assert has_colour(image, text, QRect(0, 0, 650, 40), tolerance=0)
        cold = TEMPERATURE_COLORS[Temperature.COLD].darker(115)
        assert has_colour(image, cold, QRect(650, 60, 650, 80), tolerance=8)
    else:
        # The board on the left, Ada's card selected in the Hot column, and the
        # panel on the right titled with her name.
        assert_board_columns(image, QRect(0, 0, 866, 820))
        highlight = shown.color(QPalette.ColorRole.Highlight)
        assert has_colour(image, highlight, QRect(577, 90, 289, 200), tolerance=0)
        assert has_colour(image, text, QRect(920, 60, 380, 40), tolerance=0)
