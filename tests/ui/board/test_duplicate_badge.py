"""The "Possible duplicate" badge: read with the cards, painted inside the card, and
gone from both cards when the pair is dismissed, merged or one lead deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication

from leaddesk.operations.duplicate_marks import (
    dismiss_possible_duplicate,
    mark_possible_duplicates,
)
from leaddesk.operations.leads import delete_leads, restore_leads
from leaddesk.ui.board.model import AWAITING_CONTACT_ROLE, CARD_ROLE, POSSIBLE_DUPLICATE_ROLE
from leaddesk.ui.board.view import BoardWidget
from tests.conftest import TEST_NOW
from tests.ui.board.test_card_delegate_layout import (
    SENTINEL,
    _card,
    _dark_palette,
    paint_card,
)

PHONE = "+49301234560"


def _paint(
    width: int, palette: QPalette, duplicate: bool, awaiting: object = None
) -> tuple[QImage, QRect]:
    roles: dict[int, object] = {
        CARD_ROLE: _card(score=10, temperature="cold"),
        POSSIBLE_DUPLICATE_ROLE: duplicate,
        AWAITING_CONTACT_ROLE: awaiting,
    }
    return paint_card(roles, width, palette)


def _violet_pixels(image: QImage) -> int:
    """Pixels of the badge's hue (violet: blue and red well above green)."""
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            color = image.pixelColor(x, y)
            if color == SENTINEL:
                continue
            red, green, blue = color.red(), color.green(), color.blue()
            if blue - green > 40 and red - green > 15:
                count += 1
    return count


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", [170, 220, 250, 420])
def test_the_badge_is_painted_inside_the_card(qapp, width: int, dark: bool) -> None:
    palette = _dark_palette() if dark else QPalette(QApplication.palette())
    marked, rect = _paint(width, palette, duplicate=True)
    plain, _rect = _paint(width, palette, duplicate=False)

    outside = [
        (x, y)
        for y in range(marked.height())
        for x in range(marked.width())
        if not rect.contains(x, y) and marked.pixelColor(x, y) != SENTINEL
    ]
    assert outside == []
    assert _violet_pixels(marked) > 40 + _violet_pixels(plain), f"no badge at {width} px"


@pytest.mark.parametrize("width", [250, 300, 420])
def test_a_lead_just_imported_shows_the_mark_beside_its_reply_badge(qapp, width: int) -> None:
    palette = QPalette(QApplication.palette())
    just_now = TEST_NOW - dt.timedelta(minutes=5)  # a cold lead's deadline is days away
    marked, _rect = _paint(width, palette, duplicate=True, awaiting=just_now)
    plain, _rect = _paint(width, palette, duplicate=False, awaiting=just_now)
    assert _violet_pixels(marked) > 40 + _violet_pixels(plain), f"no mark at {width} px"


def _board(qtbot, runner) -> BoardWidget:
    board = BoardWidget(runner)
    qtbot.addWidget(board)
    board.resize(1000, 700)
    board.show()
    qtbot.waitExposed(board)
    return board


def _marked(board: BoardWidget, lead_id: int) -> bool:
    for column in board.columns:
        row = column.model.row_of(lead_id)
        if row is not None:
            return bool(column.model.index(row).data(POSSIBLE_DUPLICATE_ROLE))
    raise AssertionError(f"lead {lead_id} is not on the board")


def _text(board: BoardWidget, lead_id: int) -> str:
    """What a screen reader says for the card."""
    for column in board.columns:
        row = column.model.row_of(lead_id)
        if row is not None:
            return str(column.model.index(row).data(Qt.ItemDataRole.AccessibleTextRole))
    raise AssertionError(f"lead {lead_id} is not on the board")


def test_both_cards_show_the_mark_until_the_pair_is_dismissed(qtbot, runner, make_lead) -> None:
    anna = make_lead("Anna", "cold", email="anna@x.example", phone=PHONE)
    hanna = make_lead("Hanna", "warm", email="hanna@x.example", phone=PHONE)
    other = make_lead("Ola", "cold")
    board = _board(qtbot, runner)
    assert not _marked(board, anna)

    runner.run(mark_possible_duplicates, [hanna])
    board.flush()
    assert (_marked(board, anna), _marked(board, hanna), _marked(board, other)) == (
        True,
        True,
        False,
    )
    assert _text(board, anna).endswith(", possible duplicate")
    assert "possible duplicate" not in _text(board, other)

    runner.run(dismiss_possible_duplicate, anna, hanna)
    board.flush()
    assert not _marked(board, anna)
    assert not _marked(board, hanna)


def test_deleting_one_lead_clears_the_other_card_and_restoring_brings_it_back(
    qtbot, runner, make_lead
) -> None:
    anna = make_lead("Anna", "cold", email="anna@x.example", phone=PHONE)
    hanna = make_lead("Hanna", "warm", email="hanna@x.example", phone=PHONE)
    runner.run(mark_possible_duplicates, [hanna])
    board = _board(qtbot, runner)
    assert _marked(board, anna)

    runner.run(delete_leads, [hanna])
    board.flush()
    assert not _marked(board, anna)

    runner.run(restore_leads, [hanna])
    board.flush()
    assert _marked(board, anna)
