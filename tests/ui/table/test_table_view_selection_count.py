"""The table's selected rows, read from the selection's ranges: overlaps and holes counted right."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel

from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.ui.table.view import LeadTableWidget

ROWS = QItemSelectionModel.SelectionFlag.Rows


def test_overlapping_and_deselected_rows_are_counted_once_and_left_out(
    qtbot, runner, ctx: OperationContext
) -> None:  # type: ignore[no-untyped-def]
    add_demo_leads(ctx, 40, seed=9)
    table = LeadTableWidget(runner)
    qtbot.addWidget(table)
    counts: list[int] = []
    table.selection_count_changed.connect(counts.append)
    selection = table.view.selectionModel()
    model = table.model
    last = model.columnCount() - 1

    def rows(first: int, end: int) -> QItemSelection:
        return QItemSelection(model.index(first, 0), model.index(end, last))

    table.select_leads(model.lead_ids[0:10])
    # Shift-click style: rows 5-14 added to 0-9 (overlapping), then Ctrl-click 7 off.
    selection.select(rows(5, 14), QItemSelectionModel.SelectionFlag.Select | ROWS)
    selection.select(model.index(7, 0), QItemSelectionModel.SelectionFlag.Deselect | ROWS)
    expected = [model.lead_id_at(r) for r in range(15) if r != 7]
    assert table.selected_lead_ids() == expected
    assert table.selected_count() == counts[-1] == 14
    # Sorted again: the same leads, wherever their rows went.
    table.view.sortByColumn(0, table.view.horizontalHeader().sortIndicatorOrder())
    assert sorted(table.selected_lead_ids()) == sorted(expected)
    table.select_leads([])
    assert table.selected_count() == counts[-1] == 0
