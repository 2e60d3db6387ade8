"""A header's first click sorts the way a user wants that column: highest or newest first.

Clicked with the mouse on the header (QTest), so the test also checks that this Qt's
QHeaderView asks the model for ``InitialSortOrderRole``.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.storage.table_queries import SortKey
from leaddesk.ui.table.model import COLUMNS, SORT_VALUE_ROLE
from leaddesk.ui.table.view import LeadTableWidget

DESC, ASC = Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder


@pytest.fixture
def table(qtbot, runner, ctx: OperationContext) -> LeadTableWidget:  # type: ignore[no-untyped-def]
    add_demo_leads(ctx, 200, seed=3)
    widget = LeadTableWidget(runner)
    qtbot.addWidget(widget)
    widget.resize(1900, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _click_header(qtbot, table: LeadTableWidget, key: SortKey) -> int:  # type: ignore[no-untyped-def]
    header = table.view.horizontalHeader()
    section = [c.key for c in COLUMNS].index(key)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    QTest.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(x, header.height() // 2),
    )
    # Two clicks close together would be a double-click, which the header ignores.
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    return section


@pytest.mark.parametrize(
    ("key", "first"),
    [
        (SortKey.SCORE, DESC),
        (SortKey.CREATED, DESC),
        (SortKey.LAST_ACTIVITY, DESC),
        (SortKey.NAME, ASC),
        (SortKey.COMPANY, ASC),
        (SortKey.NEXT_FOLLOW_UP, ASC),
        (SortKey.SLA_DUE, ASC),
    ],
)
def test_one_click_on_a_header_sorts_it_the_expected_way(
    qtbot, table: LeadTableWidget, key: SortKey, first: Qt.SortOrder
) -> None:  # type: ignore[no-untyped-def]
    # Sorted by another column before (Source: not one of those checked).
    _click_header(qtbot, table, SortKey.SOURCE)
    section = _click_header(qtbot, table, key)
    header = table.view.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (section, first)
    values = [
        v
        for r in range(table.model.rowCount())
        if (v := table.model.index(r, section).data(SORT_VALUE_ROLE)) is not None
    ]
    assert len(set(values)) > 1
    if key is SortKey.SCORE:
        assert values[0] == max(values)
    elif first is DESC:
        assert values == sorted(values, reverse=True)
    # A second click turns it round, as headers do.
    _click_header(qtbot, table, key)
    assert header.sortIndicatorOrder() == (ASC if first is DESC else DESC)
