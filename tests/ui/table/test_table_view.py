"""The lead table: a sane model, bulk actions as one undo step, filters, remembered layout."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.owners import add_owner
from leaddesk.storage.queries import LeadFilter
from leaddesk.storage.schema import activities, follow_ups, leads
from leaddesk.storage.table_queries import SortKey
from leaddesk.ui.table.model import COLUMNS, LEAD_ID_ROLE, SORT_VALUE_ROLE, LeadTableModel
from leaddesk.ui.table.view import LeadTableWidget


@pytest.fixture
def table(qtbot, runner, ctx: OperationContext) -> LeadTableWidget:  # type: ignore[no-untyped-def]
    add_demo_leads(ctx, 300, seed=7)
    widget = LeadTableWidget(runner)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    return widget


def _lead_rows(ctx: OperationContext) -> dict[int, tuple]:
    with ctx.db.reading() as connection:
        return {row.id: tuple(row) for row in connection.execute(select(leads))}


def _children(ctx: OperationContext, table) -> dict[int, int]:  # type: ignore[no-untyped-def]
    with ctx.db.reading() as connection:
        query = select(table.c.lead_id, func.count()).group_by(table.c.lead_id)
        return dict(connection.execute(query).all())


def test_the_model_passes_qtmodeltester(qtmodeltester, ctx: OperationContext) -> None:  # type: ignore[no-untyped-def]
    add_demo_leads(ctx, 120, seed=1)
    model = LeadTableModel(ctx.db)
    model.reload()
    qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)


def test_clicking_a_header_sorts_by_that_column(table: LeadTableWidget) -> None:
    company = [c.key for c in COLUMNS].index(SortKey.COMPANY)
    table.view.sortByColumn(company, Qt.SortOrder.AscendingOrder)
    values = [table.model.index(r, company).data(SORT_VALUE_ROLE) for r in range(50)]
    present = [v.lower() for v in values if v]
    assert present == sorted(present)


def test_selection_is_kept_by_lead_id_across_a_sort_and_a_change(
    qtbot, table: LeadTableWidget, runner
) -> None:  # type: ignore[no-untyped-def]
    chosen = [table.model.lead_id_at(r) for r in (2, 3, 10)]
    table.select_leads(chosen)
    table.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert sorted(table.selected_lead_ids()) == sorted(chosen)
    table.actions_.confirm_delete = lambda ids: True
    others = [table.model.lead_id_at(r) for r in range(20, 25)]
    table.select_leads(others)
    _finish(qtbot, table, table.actions_.delete)
    table.flush()
    assert not set(others) & set(table.model.lead_ids)


def _finish(qtbot, table: LeadTableWidget, action) -> None:  # type: ignore[no-untyped-def]
    """Run a bulk action and wait for its step (on a worker thread) to end."""
    with qtbot.waitSignal(table.actions_.step_finished, timeout=20_000):
        action()


def _select_rows(table: LeadTableWidget, rows: range) -> list[int]:
    ids = [table.model.lead_id_at(r) for r in rows]
    table.select_leads(ids)
    assert sorted(table.selected_lead_ids()) == sorted(ids)
    return ids


def _assert_one_undo_reverts(runner, ctx: OperationContext, before, read) -> None:  # type: ignore[no-untyped-def]
    assert runner.undo_stack.count() == 1
    runner.undo_stack.undo()
    assert read(ctx) == before
    assert not runner.errors


def test_bulk_move_changes_exactly_the_selected_leads_and_undoes_in_one_step(
    qtbot, table: LeadTableWidget, runner, ctx: OperationContext
) -> None:  # type: ignore[no-untyped-def]
    before = _lead_rows(ctx)
    ids = _select_rows(table, range(40))
    table.actions_.gate.ask = lambda *_args: {}  # type: ignore[method-assign]
    _finish(qtbot, table, lambda: table.actions_.move(*_grouping_and("opportunity")))
    after = _lead_rows(ctx)
    changed = {i for i in before if before[i] != after[i]}
    assert changed <= set(ids)
    with ctx.db.reading() as connection:
        stages = set(connection.execute(select(leads.c.stage).where(leads.c.id.in_(ids))).scalars())
    assert stages == {"opportunity"}
    _assert_one_undo_reverts(runner, ctx, before, _lead_rows)


def _grouping_and(value: str):  # type: ignore[no-untyped-def]
    from leaddesk.core.fields import BoardGrouping

    return BoardGrouping.STAGE, value


def test_bulk_assign_plan_and_log_change_exactly_the_selected_leads(
    qtbot, table: LeadTableWidget, runner, ctx: OperationContext
) -> None:  # type: ignore[no-untyped-def]
    colleague = add_owner(ctx, "Kim Colleague").value
    table.flush()
    ids = _select_rows(table, range(5, 60))
    before = (_lead_rows(ctx), _children(ctx, follow_ups), _children(ctx, activities))

    def state(c: OperationContext):  # type: ignore[no-untyped-def]
        return (_lead_rows(c), _children(c, follow_ups), _children(c, activities))

    _finish(qtbot, table, lambda: table.actions_.assign(colleague, "Kim Colleague"))
    with ctx.db.reading() as connection:
        owned = set(
            connection.execute(select(leads.c.id).where(leads.c.owner_id == colleague)).scalars()
        )
    assert owned == set(ids)
    _assert_one_undo_reverts(runner, ctx, before, state)

    due = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    table.actions_.ask_follow_up = lambda _count: (due, "Call back")
    _finish(qtbot, table, table.actions_.plan_follow_up)
    added = _children(ctx, follow_ups)
    assert {i for i in added if added[i] != before[1].get(i, 0)} == set(ids)
    runner.undo_stack.undo()
    assert state(ctx) == before

    table.actions_.ask_activity = lambda _count: ("call", "Left a voicemail")
    _finish(qtbot, table, table.actions_.log_activity)
    logged = _children(ctx, activities)
    assert {i for i in logged if logged[i] != before[2].get(i, 0)} == set(ids)
    runner.undo_stack.undo()
    assert state(ctx) == before
    assert not runner.errors


def test_bulk_delete_goes_to_the_trash_and_one_undo_brings_all_back(
    qtbot, table: LeadTableWidget, runner, ctx: OperationContext
) -> None:  # type: ignore[no-untyped-def]
    before = _lead_rows(ctx)
    ids = _select_rows(table, range(100, 180))
    table.actions_.confirm_delete = lambda _ids: True
    _finish(qtbot, table, table.actions_.delete)
    table.flush()
    assert table.model.rowCount() == 300 - len(ids)
    _assert_one_undo_reverts(runner, ctx, before, _lead_rows)
    table.flush()
    assert table.model.rowCount() == 300


def test_search_and_my_leads_filter_the_table(
    table: LeadTableWidget, ctx: OperationContext
) -> None:
    with ctx.db.reading() as connection:
        owner_id, count = connection.execute(
            select(leads.c.owner_id, func.count()).group_by(leads.c.owner_id).limit(1)
        ).one()
    table.set_filter(LeadFilter(owner_id=owner_id))
    assert table.model.rowCount() == count
    name = table.model.index(0, 1).data()
    table.set_filter(LeadFilter(search=name))
    assert 0 < table.model.rowCount() < 300


def test_columns_widths_order_and_sort_are_remembered(qtbot, runner, ctx: OperationContext) -> None:  # type: ignore[no-untyped-def]
    add_demo_leads(ctx, 30, seed=4)
    first = LeadTableWidget(runner)
    qtbot.addWidget(first)
    header = first.view.horizontalHeader()
    header.setSectionHidden(1, True)
    header.resizeSection(0, 240)
    header.moveSection(2, 5)
    first.view.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    first.save_state()
    second = LeadTableWidget(runner)
    qtbot.addWidget(second)
    again = second.view.horizontalHeader()
    assert again.isSectionHidden(1)
    assert again.sectionSize(0) == 240
    assert again.visualIndex(2) == 5
    assert (again.sortIndicatorSection(), again.sortIndicatorOrder()) == (
        3,
        Qt.SortOrder.AscendingOrder,
    )
    assert second.model.sort_key is SortKey.TEMPERATURE
    assert second.model.lead_ids == first.model.lead_ids
    assert second.model.index(0, 0).data(LEAD_ID_ROLE) == first.model.lead_ids[0]


def test_a_search_that_finds_nothing_says_so_with_a_way_out(qtbot, table: LeadTableWidget) -> None:  # type: ignore[no-untyped-def]
    table.show()
    table.set_filter(LeadFilter(search="zzqx no such lead"))
    assert table.model.rowCount() == 0
    assert table.empty_search.isVisible()
    assert "No leads match ‘zzqx no such lead’" in table.empty_search.label.text()
    with qtbot.waitSignal(table.clear_search_requested):
        table.empty_search.label.linkActivated.emit("clear-search")
    table.set_filter(LeadFilter())
    assert not table.empty_search.isVisible()
    assert table.model.rowCount() == 300


def _arrow_points_up(table: LeadTableWidget, section: int) -> bool:
    """Whether the sort arrow drawn in ``section`` is wider at its bottom (▲) than its top."""
    header = table.view.horizontalHeader()
    image = header.grab().toImage()
    left = header.sectionViewportPosition(section)
    right = left + header.sectionSize(section)
    background = image.pixelColor(right - 4, 4).lightness()
    ys = range(2, image.height() - 3)  # clear of the bottom border

    def marked(x: int) -> bool:
        return any(abs(image.pixelColor(x, y).lightness() - background) > 50 for y in ys)

    # The arrow is the rightmost shape in the section, a gap away from the title.
    end = next(x for x in range(right - 3, left, -1) if marked(x))
    start = next(x for x in range(end, left, -1) if not marked(x)) + 1
    xs = range(start, end + 1)

    def width(y: int) -> int:
        return sum(1 for x in xs if abs(image.pixelColor(x, y).lightness() - background) > 50)

    drawn = [y for y in ys if width(y) > 0]
    assert drawn, "no sort arrow drawn"
    return width(drawn[-1]) > width(drawn[0])


def test_the_sort_arrow_points_up_for_smallest_first(table: LeadTableWidget) -> None:
    table.show()
    score = [c.key for c in COLUMNS].index(SortKey.SCORE)
    table.view.sortByColumn(score, Qt.SortOrder.AscendingOrder)
    assert table.model.index(0, score).data(SORT_VALUE_ROLE) <= table.model.index(
        table.model.rowCount() - 1, score
    ).data(SORT_VALUE_ROLE)
    assert _arrow_points_up(table, score)
    table.view.sortByColumn(score, Qt.SortOrder.DescendingOrder)
    assert not _arrow_points_up(table, score)
