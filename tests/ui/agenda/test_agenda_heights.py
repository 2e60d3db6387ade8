"""The agenda's sections share the dock's height by their rows (issue 12: cramped at 768 px)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.ui.agenda.dock import AgendaPanel
from leaddesk.ui.agenda.model import Section
from leaddesk.ui.agenda.section_widgets import MIN_ROWS, share_heights
from tests.conftest import TEST_NOW


@given(
    st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 300)), min_size=1, max_size=6),
    st.integers(-50, 3000),
)
def test_shared_heights_meet_small_needs_and_never_exceed_a_need(pairs, available) -> None:
    needs = [need for need, _floor in pairs]
    floors = [min(floor, need) for need, floor in pairs]
    heights = share_heights(needs, available, floors)
    for height, need, floor in zip(heights, needs, floors, strict=True):
        assert floor <= height <= need
    if sum(floors) <= available:
        assert sum(heights) <= available
    if sum(needs) <= available:
        assert heights == needs  # everything fits: every list shows all its rows
    elif available >= sum(floors):
        # What is left over is not wasted while a list still needs more.
        assert available - sum(heights) < len(needs)


def test_short_sections_take_what_they_need_and_the_long_one_the_rest(
    qtbot, runner, ctx, make_lead
) -> None:
    for hours in range(40):
        add_follow_up(ctx, make_lead(f"Late {hours}"), TEST_NOW - dt.timedelta(hours=hours + 1))
    add_follow_up(ctx, make_lead("Soon"), TEST_NOW + dt.timedelta(days=2))
    # Today has nothing; every lead has a next step.
    panel = AgendaPanel(runner, dt.UTC)
    qtbot.addWidget(panel)
    panel.resize(380, 620)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.wait(20)  # the heights are shared, and the sections laid out, once events run
    overdue, today, upcoming, _none = (panel.sections[s] for s in Section.ALL)
    row = overdue.view.sizeHintForRow(0)

    # Empty sections are their header and sentence; the short one shows its row whole.
    assert not today.view.isVisible()
    assert today.height() == today.chrome_height()
    assert upcoming.view.height() == upcoming.view.rows_height()
    assert upcoming.view.verticalScrollBar().maximum() == 0
    # The long one has every pixel left: no gap under the sections, no outer scrolling.
    area = panel.sections_area
    used = sum(section.height() for section in panel.sections.values())
    assert area.viewport().height() - used < 4
    assert area.verticalScrollBar().maximum() == 0
    assert overdue.view.height() >= 8 * row


def test_four_long_sections_at_768_px_show_four_rows_each_and_the_dock_scrolls(
    qtbot, runner, ctx, make_lead
) -> None:
    for i in range(12):
        add_follow_up(ctx, make_lead(f"Late {i}"), TEST_NOW - dt.timedelta(hours=i + 1))
        add_follow_up(ctx, make_lead(f"Today {i}"), TEST_NOW + dt.timedelta(minutes=i + 1))
        add_follow_up(ctx, make_lead(f"Soon {i}"), TEST_NOW + dt.timedelta(days=2))
        make_lead(f"Nothing {i}")
    panel = AgendaPanel(runner, dt.UTC)
    qtbot.addWidget(panel)
    panel.resize(380, 620)  # the dock's height in a 1366x768 window
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.wait(20)  # the heights are shared, and the sections laid out, once events run

    for section in panel.sections.values():
        assert section.view.height() >= section.view.rows_height(MIN_ROWS)
    assert panel.sections_area.verticalScrollBar().maximum() > 0


def test_a_folded_section_takes_only_its_header(qtbot, runner, ctx, make_lead) -> None:
    for i in range(12):
        add_follow_up(ctx, make_lead(f"Late {i}"), TEST_NOW - dt.timedelta(hours=i + 1))
    panel = AgendaPanel(runner, dt.UTC)
    qtbot.addWidget(panel)
    panel.resize(380, 620)
    panel.show()
    qtbot.waitExposed(panel)
    overdue = panel.sections[Section.OVERDUE]
    qtbot.wait(20)
    unfolded = overdue.view.height()
    assert unfolded > 4 * overdue.view.sizeHintForRow(0)

    overdue.header.toggle()
    qtbot.wait(20)

    assert overdue.height() == overdue.header.sizeHint().height()
    overdue.header.toggle()
    qtbot.wait(20)
    assert overdue.view.height() == unfolded
