"""The status bar counts the table's selection: '200 selected · 300 leads'."""

from __future__ import annotations

from leaddesk.operations.demo import add_demo_leads
from leaddesk.ui.board.search_feedback import lead_count_text
from tests.ui.windows import active_main_window


def test_the_status_bar_says_how_many_rows_are_selected_in_the_table(qtbot, runner, ctx):
    add_demo_leads(ctx, 300, seed=5)
    window = active_main_window(qtbot, runner)
    assert window.lead_count.text() == "300 leads"
    window.table_action.trigger()
    table = window.views.table
    assert table is not None
    assert window.views.table_shown
    table.select_leads(table.model.lead_ids[:200])
    assert window.lead_count.text() == "200 selected · 300 leads"
    # One row is where the user is, not a selection to count.
    table.select_leads(table.model.lead_ids[:1])
    assert window.lead_count.text() == "300 leads"
    table.select_leads(table.model.lead_ids[10:14])
    assert window.lead_count.text() == "4 selected · 300 leads"
    # A search narrows the count; the selected leads it hides are no longer selected.
    window.search.setText(table.model.index(10, 0).data())
    window.apply_search()
    shown = table.model.rowCount()
    assert 0 < shown < 300
    assert window.lead_count.text() == lead_count_text(
        shown, 300, filtered=True, selected=table.selected_count()
    )
    window.search.clear()
    window.apply_search()
    table.select_leads(table.model.lead_ids[10:14])
    assert window.lead_count.text() == "4 selected · 300 leads"
    # Back on the board the table's selection is not what the user sees.
    window.by_temperature.trigger()
    assert not window.views.table_shown
    assert window.lead_count.text() == "300 leads"
    window.table_action.trigger()
    assert window.lead_count.text() == "4 selected · 300 leads"
    table.select_leads([])
    assert window.lead_count.text() == "300 leads"


def test_count_text_with_a_selection() -> None:
    assert lead_count_text(300, 300, filtered=False, selected=200) == "200 selected · 300 leads"
    assert (
        lead_count_text(12, 45000, filtered=True, selected=2) == "2 selected · 12 of 45,000 leads"
    )
    assert lead_count_text(300, 300, filtered=False, selected=1) == "300 leads"
