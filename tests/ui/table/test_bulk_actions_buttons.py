"""The table toolbar's Move to ▸ and Assign to ▸ buttons: usable only with leads selected."""

from __future__ import annotations

from PySide6.QtWidgets import QStyle, QToolButton

from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.ui.table.view import LeadTableWidget


def _menu_buttons(table: LeadTableWidget) -> dict[str, QToolButton]:
    return {
        b.text().strip(): b
        for b in table.toolbar.findChildren(QToolButton)
        if b.text().startswith(("Move", "Assign"))
    }


def test_move_and_assign_buttons_are_disabled_until_leads_are_selected(
    qtbot, runner, ctx: OperationContext
) -> None:  # type: ignore[no-untyped-def]
    add_demo_leads(ctx, 20, seed=2)
    table = LeadTableWidget(runner)
    qtbot.addWidget(table)
    table.show()
    buttons = _menu_buttons(table)
    assert sorted(buttons) == ["Assign to", "Move to"]
    table.select_leads([])
    assert [b.isEnabled() for b in buttons.values()] == [False, False]
    table.select_leads(table.model.lead_ids[:2])
    assert [b.isEnabled() for b in buttons.values()] == [True, True]
    table.select_leads([])
    assert [b.isEnabled() for b in buttons.values()] == [False, False]


def test_move_and_assign_buttons_have_room_for_their_arrows(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    table = LeadTableWidget(runner)
    qtbot.addWidget(table)
    for button in _menu_buttons(table).values():
        arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
        text = button.fontMetrics().horizontalAdvance(button.text())
        assert max(button.sizeHint().width(), button.minimumWidth()) >= text + 2 * arrow + 8
