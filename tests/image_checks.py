"""Checks on rendered screenshots: the PNG is a picture of the view, not just of its size.

A blank or half-painted image has the right size too, so screenshot tests ask what
is in it: many colours (not blank), and LeadDesk's own colours where the view puts
them (the temperature stripes over the board's columns, the agenda's section pills).
Colours are compared with a tolerance: antialiasing and a pill's slight
transparency shift them a little, never by this much.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage

from leaddesk.core.fields import Temperature

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TOLERANCE = 16
RGB = tuple[int, int, int]


def load_png(path: Path) -> QImage:
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    image = QImage(str(path))
    assert not image.isNull()
    return image


def _rgb(color: QColor) -> RGB:
    return color.red(), color.green(), color.blue()


def sampled(image: QImage, region: QRect | None = None, step: int = 4) -> Counter[RGB]:
    """The colours of every ``step``-th pixel of ``region`` (the whole image by default)."""
    area = image.rect() if region is None else region.intersected(image.rect())
    assert not area.isEmpty(), f"{region} is outside the {image.width()}x{image.height()} image"
    return Counter(
        _rgb(image.pixelColor(x, y))
        for x in range(area.left(), area.right() + 1, step)
        for y in range(area.top(), area.bottom() + 1, step)
    )


def mean_lightness(image: QImage) -> float:
    values = [
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), 15)
        for y in range(0, image.height(), 15)
    ]
    return sum(values) / len(values)


def assert_not_blank(image: QImage, *, min_colours: int = 40, max_share: float = 0.9) -> None:
    """Many distinct colours (text, borders, widgets), and no one colour covering it all."""
    colours = sampled(image)
    _colour, most = colours.most_common(1)[0]
    assert len(colours) >= min_colours, f"only {len(colours)} colours: a blank image?"
    assert most / colours.total() <= max_share, f"one colour covers {most / colours.total():.0%}"


def _near(a: RGB, b: RGB, tolerance: int) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def share_of(
    image: QImage, color: QColor, region: QRect | None = None, tolerance: int = TOLERANCE
) -> float:
    """The fraction of ``region`` painted in (about) ``color``."""
    colours = sampled(image, region, step=2)
    target = _rgb(color)
    hits = sum(count for rgb, count in colours.items() if _near(rgb, target, tolerance))
    return hits / colours.total()


def blend(color: QColor, background: QColor, alpha: float) -> QColor:
    """``color`` painted at ``alpha`` over ``background``."""
    return QColor(
        *(
            round(alpha * top + (1 - alpha) * bottom)
            for top, bottom in zip(_rgb(color), _rgb(background), strict=True)
        )
    )


def has_colour(
    image: QImage, color: QColor, region: QRect | None = None, tolerance: int = TOLERANCE
) -> bool:
    return share_of(image, color, region, tolerance) > 0


def assert_board_columns(image: QImage, board: QRect | None = None) -> None:
    """Cold, Warm and Hot stripes over the board's columns, left to right.

    ``board`` is where the board is (the whole image by default); each column's
    stripe is in the band just under the toolbar, in its third of the board.
    """
    from leaddesk.ui.theme import TEMPERATURE_COLORS

    board = image.rect() if board is None else board
    third = board.width() // 3
    for index, temperature in enumerate((Temperature.COLD, Temperature.WARM, Temperature.HOT)):
        band = QRect(board.left() + index * third, board.top() + 45, third, 30)
        assert has_colour(image, TEMPERATURE_COLORS[temperature], band), (
            f"no {temperature.value} stripe in {band}"
        )
