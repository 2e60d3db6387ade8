"""A card painted into an image: the name always shows, nothing is drawn outside it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QImage,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from leaddesk.core.clock import FixedClock
from leaddesk.storage.queries import Card
from leaddesk.ui.board.card_style import MARGIN_X, MARGIN_Y, PADDING, is_narrow
from leaddesk.ui.board.delegate import LeadCardDelegate
from leaddesk.ui.board.model import AWAITING_CONTACT_ROLE, CARD_ROLE, COMPLETENESS_ROLE
from tests.conftest import TEST_NOW

SENTINEL = QColor("#ff00ff")


def _card(**values: object) -> Card:
    fields: dict[str, object] = {
        "id": 1,
        "first_name": "Fatima",
        "last_name": "Al-Sayed Abdelrahman",
        "email": None,
        "company": "Very Long Company Name International GmbH",
        "job_title": "Head of Procurement",
        "temperature": "cold",
        "stage": "mql",
        # 55 suggests Warm on a cold card: the "▲ Warm" hint is shown.
        "score": 55,
        "consent": "granted",
        "deal_value_cents": None,
        "owner": "Sam Lee",
        "next_follow_up": TEST_NOW - dt.timedelta(days=3),
    }
    fields.update(values)
    return Card(**fields)  # type: ignore[arg-type]


def _dark_palette() -> QPalette:
    palette = QPalette(QApplication.palette())
    palette.setColor(QPalette.ColorRole.Base, QColor("#1f2329"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    palette.setColor(QPalette.ColorRole.Window, QColor("#2b2f36"))
    return palette


def paint_card(roles: dict[int, object], width: int, palette: QPalette) -> tuple[QImage, QRect]:
    """A card item with these ``roles`` painted at ``width`` in a bigger image filled
    with a sentinel colour; returns the image and the item's rect."""
    delegate = LeadCardDelegate(FixedClock(TEST_NOW))
    model = QStandardItemModel()
    item = QStandardItem()
    for role, value in roles.items():
        item.setData(value, role)
    model.appendRow(item)
    index = model.index(0, 0)
    option = QStyleOptionViewItem()
    option.font = QApplication.font()
    option.palette = palette
    option.rect = QRect(30, 20, width, 10)
    rect = QRect(30, 20, width, delegate.sizeHint(option, index).height())
    option.rect = rect
    image = QImage(width + 60, rect.height() + 40, QImage.Format.Format_ARGB32)
    image.fill(SENTINEL)
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    return image, QRect(rect)


def _paint(card: Card, width: int, palette: QPalette) -> tuple[QImage, QRect, int]:
    """The card painted at ``width``; also the height of one text line."""
    roles: dict[int, object] = {
        CARD_ROLE: card,
        # A new lead never contacted: "SLA overdue 149 d" (the badge that spilled over).
        AWAITING_CONTACT_ROLE: TEST_NOW - dt.timedelta(days=149),
        COMPLETENESS_ROLE: 0.6,
    }
    image, rect = paint_card(roles, width, palette)
    return image, rect, QFontMetrics(QApplication.font()).height()


def _near(color: QColor, other: QColor, tolerance: int = 70) -> bool:
    return all(
        abs(a - b) <= tolerance for a, b in zip(color.getRgb()[:3], other.getRgb()[:3], strict=True)
    )


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", [150, 170, 220, 249, 250, 420])
def test_the_name_shows_and_nothing_is_painted_outside_the_card(qapp, width: int, dark: bool):
    palette = _dark_palette() if dark else QPalette(QApplication.palette())
    image, rect, line = _paint(_card(), width, palette)

    outside = [
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if not rect.contains(x, y) and image.pixelColor(x, y) != SENTINEL
    ]
    assert outside == []

    # The name's first letters, in the text colour, at the start of the first line.
    text = palette.color(QPalette.ColorRole.Text)
    name_box = QRect(
        rect.left() + MARGIN_X + PADDING + 2, rect.top() + MARGIN_Y + PADDING - 2, 40, line
    )
    name_pixels = sum(
        _near(image.pixelColor(x, y), text)
        for y in range(name_box.top(), name_box.bottom() + 1)
        for x in range(name_box.left(), name_box.right() + 1)
    )
    assert name_pixels >= 25, f"no name at {width} px"


def test_a_narrow_card_gives_its_badges_their_own_line(qapp):
    palette = QPalette(QApplication.palette())
    _image, narrow_rect, line = _paint(_card(), 220, palette)
    _image, wide_rect, _line = _paint(_card(), 420, palette)

    assert is_narrow(220)
    assert not is_narrow(420)
    assert narrow_rect.height() == wide_rect.height() + line + 4
