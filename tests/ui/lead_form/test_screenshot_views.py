"""`leaddesk screenshot --view lead:ID` and `--view panel:ID` render the form."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from leaddesk.cli.commands.screenshot import parse_view
from leaddesk.errors import UserError
from leaddesk.ui.screenshot import render_screenshot


def test_views_that_name_a_lead_are_parsed():
    assert parse_view("lead:12") == ("lead", "12")
    assert parse_view("panel:7") == ("panel", "7")
    with pytest.raises(UserError, match="panel:ID"):
        parse_view("panel:x")


@pytest.mark.parametrize("view", ["lead", "panel"])
def test_a_lead_renders_in_the_form_and_in_the_panel(qapp, ctx, make_lead, tmp_path, view):
    lead = make_lead("Ada", "hot", email="ada@example.com")
    output = tmp_path / f"{view}.png"
    render_screenshot(ctx, output, view=view, lead_id=lead, size=(1300, 820))
    image = QImage(str(output))
    assert (image.width(), image.height()) == (1300, 820)
