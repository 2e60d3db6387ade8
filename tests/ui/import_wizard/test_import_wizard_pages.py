"""Single pages of the import wizard: drop a file, pick the header row, the README image."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication
from wizard_helpers import FIXTURES, HUBSPOT

from leaddesk.ui.import_wizard.screenshot import render_mapping_page
from leaddesk.ui.import_wizard.session import Verdict
from leaddesk.ui.import_wizard.widgets import problem_background
from tests.image_checks import assert_not_blank, has_colour, load_png, mean_lightness


def test_a_file_dropped_on_the_first_page_is_read(open_wizard):
    wizard = open_wizard()
    page = wizard.file_page
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(HUBSPOT))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    page.dropEvent(event)
    assert event.isAccepted()
    assert wizard.session.path == HUBSPOT
    assert page.isComplete()


def test_a_preamble_is_skipped_and_the_header_row_can_be_changed(qtbot, open_wizard):
    wizard = open_wizard(FIXTURES / "linkedin_connections.csv")
    wizard.next()
    page = wizard.settings_page
    detected = wizard.session.fmt
    assert detected.header_line_number > 1  # LinkedIn's "Notes:" paragraph comes first
    assert "First Name" in detected.headers
    raw = page.raw.toPlainText().splitlines()
    assert raw[0].split(maxsplit=1)[1].startswith("Notes")

    page.header_line.setValue(detected.header_line_number + 1)  # a data row
    assert wizard.session.fmt.header_line_number == detected.header_line_number + 1
    assert "First Name" not in wizard.session.fmt.headers
    qtbot.mouseClick(page.detect_button, Qt.MouseButton.LeftButton)
    assert wizard.session.fmt == detected
    assert page.header_line.value() == detected.header_line_number


def test_the_mapping_step_renders_for_the_readme(ctx, tmp_path: Path, qapp):
    style, palette = qapp.style().name(), QApplication.palette()
    lightness: dict[str, float] = {}
    try:
        for theme in ("light", "dark"):
            out = tmp_path / f"mapping-{theme}.png"
            render_mapping_page(ctx, HUBSPOT, out, size=(1100, 700), theme=theme)
            image = load_png(out)
            assert (image.width(), image.height()) == (1100, 700)
            assert_not_blank(image)
            lightness[theme] = mean_lightness(image)
            # The preview under the mapping tints the cell HubSpot's sample cannot
            # read as it is (a phone without a country code): a warning.
            tint = problem_background(QApplication.palette(), Verdict.WARNING)
            assert has_colour(image, tint, QRect(0, 350, 1100, 250), tolerance=0), theme
    finally:
        qapp.setStyle(style)
        qapp.setPalette(palette)
    assert lightness["dark"] + 60 < lightness["light"]
