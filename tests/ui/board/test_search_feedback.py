"""Search feedback: Escape clears, the status bar counts matches, an empty result says so."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt

from leaddesk.ui.board.search_feedback import CLEAR_LINK, lead_count_text, no_match_text
from tests.ui.windows import active_main_window


def searched(qtbot, window, text: str) -> None:
    window.search.setFocus()
    qtbot.keyClicks(window.search, text)
    qtbot.waitUntil(lambda: window.board.lead_filter.search == text)


def shown_on_board(window) -> int:
    return sum(column.model.rowCount() for column in window.board.columns)


def test_the_status_bar_counts_matches_while_searching(qtbot, runner, make_lead):
    make_lead("Anna", last_name="Schäfer")
    make_lead("Jürgen", "hot", last_name="Schäfer")
    make_lead("Maria", "warm", last_name="Gómez")
    window = active_main_window(qtbot, runner)
    assert window.lead_count.text() == "3 leads"

    searched(qtbot, window, "schaf")
    assert window.lead_count.text() == "2 of 3 leads"
    assert not window.empty_search.isVisible()

    window.search.clear()
    qtbot.waitUntil(lambda: window.lead_count.text() == "3 leads")


def test_escape_in_the_search_box_clears_it(qtbot, runner, make_lead):
    make_lead("Anna")
    make_lead("Maria")
    window = active_main_window(qtbot, runner)
    searched(qtbot, window, "anna")
    assert shown_on_board(window) == 1

    qtbot.keyClick(window.search, Qt.Key.Key_Escape)

    assert window.search.text() == ""
    assert window.board.lead_filter.search == ""
    assert shown_on_board(window) == 2
    assert window.lead_count.text() == "2 leads"
    assert window.search.hasFocus()


def test_escape_on_the_board_clears_an_active_search(qtbot, runner, make_lead):
    make_lead("Anna")
    make_lead("Maria")
    window = active_main_window(qtbot, runner)
    searched(qtbot, window, "anna")
    cold = window.board.column_for("cold").view
    cold.setFocus()
    qtbot.waitUntil(cold.hasFocus)

    qtbot.keyClick(cold, Qt.Key.Key_Escape)

    assert window.search.text() == ""
    assert shown_on_board(window) == 2


def test_escape_without_a_search_is_left_alone(qtbot, runner, make_lead):
    make_lead("Anna")
    window = active_main_window(qtbot, runner)
    assert not window.clear_search_action.isEnabled()
    searched(qtbot, window, "a")
    assert window.clear_search_action.isEnabled()


def test_an_empty_result_says_so_and_its_link_clears_the_search(qtbot, runner, make_lead):
    make_lead("Anna")
    window = active_main_window(qtbot, runner)
    searched(qtbot, window, "xyz")

    overlay = window.empty_search
    assert overlay.isVisible()
    assert "No leads match ‘xyz’." in overlay.label.text()
    assert window.lead_count.text() == "0 of 1 lead"
    # Drawn over the board, inside it.
    assert window.board.rect().contains(overlay.geometry())

    overlay.label.linkActivated.emit(CLEAR_LINK)

    assert window.search.text() == ""
    assert shown_on_board(window) == 1
    assert not overlay.isVisible()


def test_the_clear_search_link_works_with_a_real_click(qtbot, runner, make_lead):
    make_lead("Anna")
    window = active_main_window(qtbot, runner)
    searched(qtbot, window, "nobody")
    label = window.empty_search.label
    # The link is the last line of the centred text: click the middle of it.
    document_height = label.sizeHint().height()
    top = (label.height() - document_height) // 2
    point = QPoint(label.width() // 2, top + document_height - 12)
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.search.text() == "")


def test_count_text() -> None:
    assert lead_count_text(120, 120, filtered=False) == "120 leads"
    assert lead_count_text(12, 120, filtered=True) == "12 of 120 leads"
    assert lead_count_text(1, 1, filtered=False) == "1 lead"
    assert lead_count_text(4, 45000, filtered=True) == "4 of 45,000 leads"


@given(st.text(max_size=200))
def test_the_message_shows_any_search_as_text_not_markup(search: str) -> None:
    message = no_match_text(search)
    assert message.count("<a ") == 1
    assert "<script" not in message.casefold().replace(f"{CLEAR_LINK}", "")
    if "<" in search:
        assert "&lt;" in message
