"""`leaddesk screenshot`: a view rendered offscreen to a PNG file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QPalette

from leaddesk.core.fields import Temperature
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.ui.theme import TEMPERATURE_COLORS
from tests.cli.helpers import add_demo, assert_one_line_error, run, run_process
from tests.image_checks import (
    assert_board_columns,
    assert_not_blank,
    has_colour,
    load_png,
    mean_lightness,
    share_of,
)

HARMLESS_QT_MESSAGES = ("QFont::fromString", "This plugin does not support propagateSizeHints")


@pytest.fixture
def app(qapp: Any) -> Any:
    """The test QApplication, with the theme a screenshot applies undone afterwards."""
    from PySide6.QtGui import QPalette

    palette, style = QPalette(qapp.palette()), qapp.style().name()
    yield qapp
    qapp.setStyle(style)
    qapp.setPalette(palette)


@pytest.fixture
def qt_log(caplog: pytest.LogCaptureFixture) -> Any:
    """Qt messages go to LeadDesk's log during a screenshot; none may be a warning."""
    yield
    problems = [
        record.getMessage()
        for record in caplog.get_records("call")
        if record.name == "leaddesk.qt"
        and record.levelno >= logging.WARNING
        and not record.getMessage().startswith(HARMLESS_QT_MESSAGES)
    ]
    assert problems == []


@pytest.mark.usefixtures("qt_log")
def test_screenshot_of_the_board(
    app: Any, capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    add_demo(capsys, data_dir, 12)
    output = tmp_path / "board.png"

    result = run(capsys, "--data-dir", data_dir, "screenshot", output, "--size", "900x600")

    assert (result.code, result.err) == (0, ""), result.err
    assert str(output) in result.out
    image = load_png(output)
    assert (image.width(), image.height()) == (900, 600)
    assert_not_blank(image)
    assert_board_columns(image)
    # Cards (the Base colour) fill a good part of the columns; an empty board has none.
    base = app.palette().color(QPalette.ColorRole.Base)
    assert share_of(image, base, QRect(0, 100, 900, 440), tolerance=0) > 0.1


@pytest.mark.usefixtures("qt_log")
def test_screenshot_of_the_lead_table(
    app: Any, capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    add_demo(capsys, data_dir, 12)
    output = tmp_path / "table.png"

    result = run(capsys, "--data-dir", data_dir, "screenshot", output, "--view", "table")

    assert (result.code, result.err) == (0, ""), result.err
    image = load_png(output)
    assert_not_blank(image)
    # The table in place of the board: no coloured column stripes.
    with pytest.raises(AssertionError):
        assert_board_columns(image)


@pytest.mark.usefixtures("qt_log")
def test_screenshot_default_size(
    app: Any, capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "board.png"
    result = run(capsys, "screenshot", output, "--data-dir", data_dir)
    assert result.code == 0, result.err
    image = load_png(output)
    assert (image.width(), image.height()) == (1280, 800)
    assert_not_blank(image)
    assert_board_columns(image)


@pytest.mark.usefixtures("qt_log")
def test_screenshot_of_a_lead(
    app: Any,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    ctx: OperationContext,
    tmp_path: Path,
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Jürgen", "last_name": "Schäfer"}).value
    output = tmp_path / "lead.png"

    result = run(
        capsys, "--data-dir", data_dir, "screenshot", output, "--view", f"lead:{lead_id}",
        "--size", "900x700",
    )  # fmt: skip

    assert (result.code, result.err) == (0, ""), result.err
    image = load_png(output)
    assert (image.width(), image.height()) == (900, 700)
    assert_not_blank(image)
    # The lead's name as the title, top left; its score (0) in the colour of the
    # temperature it suggests (cold), in the score box on the right.
    text = app.palette().color(QPalette.ColorRole.WindowText)
    assert has_colour(image, text, QRect(0, 0, 450, 40), tolerance=0)
    cold = TEMPERATURE_COLORS[Temperature.COLD].darker(115)
    assert has_colour(image, cold, QRect(450, 50, 450, 80), tolerance=8)


def test_screenshot_of_the_settings_dialog(
    app: Any, capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "settings.png"
    result = run(
        capsys, "--data-dir", data_dir, "screenshot", output, "--view", "settings:team",
        "--size", "860x640",
    )  # fmt: skip
    assert (result.code, result.err) == (0, ""), result.err
    image = load_png(output)
    assert (image.width(), image.height()) == (860, 640)
    assert_not_blank(image)
    # The (empty) team list fills the middle; the buttons beside it have labels.
    palette = app.palette()
    base = palette.color(QPalette.ColorRole.Base)
    assert share_of(image, base, QRect(215, 210, 290, 210), tolerance=0) > 0.95
    text = palette.color(QPalette.ColorRole.ButtonText)
    assert has_colour(image, text, QRect(750, 80, 100, 110), tolerance=0)


@pytest.mark.usefixtures("qt_log")
def test_screenshot_dark_theme_is_dark(
    app: Any, capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    add_demo(capsys, data_dir, 6)
    light, dark = tmp_path / "light.png", tmp_path / "dark.png"
    base = ["--data-dir", str(data_dir), "screenshot", "--size", "800x500"]

    assert run(capsys, *base, light, "--theme", "light").code == 0
    assert run(capsys, *base, dark, "--theme", "dark").code == 0

    assert mean_lightness(load_png(dark)) + 60 < mean_lightness(load_png(light))


@pytest.mark.usefixtures("app", "qt_log")
def test_screenshot_leaves_the_window_layout_alone(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    """Rendering at --size must not change the size the real window opens at next time."""
    layout = data_dir / "window.ini"
    assert run(capsys, "--data-dir", data_dir, "screenshot", tmp_path / "a.png").code == 0
    assert not layout.exists()

    layout.write_text("[General]\ngrouping=temperature\n", encoding="utf-8")
    before = layout.read_bytes()
    result = run(
        capsys, "--data-dir", data_dir, "screenshot", tmp_path / "b.png", "--size", "640x400"
    )
    assert result.code == 0
    assert layout.read_bytes() == before


def test_screenshot_in_a_process_without_a_display(data_dir: Path, tmp_path: Path) -> None:
    """Offscreen by itself: no QT_QPA_PLATFORM, no DISPLAY, and a quiet terminal."""
    output = tmp_path / "board.png"
    result = run_process(
        "--data-dir", data_dir, "screenshot", output, "--size", "640x400",
        QT_QPA_PLATFORM=None, DISPLAY=None, WAYLAND_DISPLAY=None,
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (0, "")
    image = load_png(output)
    assert (image.width(), image.height()) == (640, 400)
    assert_not_blank(image)
    assert_board_columns(image)


@pytest.mark.usefixtures("app", "qt_log")
def test_screenshot_onto_a_folder(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "looks like a file.png"
    folder.mkdir()
    line = assert_one_line_error(run(capsys, "--data-dir", data_dir, "screenshot", folder), 2)
    assert str(folder) in line
    assert folder.is_dir()
