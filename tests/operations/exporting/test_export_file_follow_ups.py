"""The export's "Next follow-up" is what the board, the lead table and the panel show.

All of them read the lead's stored ``next_follow_up_at`` (storage/lead_times.py).
These tests play a day at the desk -- follow-ups planned, done, put off, undone,
a call logged, the lead trashed and restored -- and after each step check that
the CSV and the Excel export, the board's card, the lead panel's row and the lead
table's row all name the lead's earliest open follow-up.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from leaddesk.core.fields import ActivityKind
from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.exporting import export_leads, export_leads_xlsx
from leaddesk.operations.exporting.export_file import NEXT_FOLLOW_UP_HEADER
from leaddesk.operations.follow_ups import add_follow_up, complete_follow_up, snooze_follow_up
from leaddesk.operations.leads import create_lead, delete_leads, restore_leads
from leaddesk.operations.undo_support import apply_undo_delta, diff_snapshots, read_snapshot
from leaddesk.storage.queries import cards, lead_row
from leaddesk.storage.table_queries import table_rows

# The time of the `clock` fixture (tests/conftest.py).
NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def csv_next_follow_ups(ctx: OperationContext, path: Path) -> dict[str, str]:
    """The CSV export's "Next follow-up" cell by first name."""
    export_leads(ctx, path)
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return {row["First name"]: row[NEXT_FOLLOW_UP_HEADER] for row in csv.DictReader(stream)}


def xlsx_next_follow_ups(ctx: OperationContext, path: Path) -> dict[str, Any]:
    """The workbook's "Next follow-up" cell by first name (UTC: naive datetimes)."""
    export_leads_xlsx(ctx, path, zone=dt.UTC)
    header, *rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()
    named = [dict(zip(header, row, strict=True)) for row in rows]
    return {row["First name"]: row[NEXT_FOLLOW_UP_HEADER] for row in named}


class Desk:
    """Two leads and the window's way of recording a step (one undo delta)."""

    def __init__(self, ctx: OperationContext, tmp_path: Path) -> None:
        self.ctx = ctx
        self.tmp_path = tmp_path
        self.ana = create_lead(ctx, {"first_name": "Ana", "email": "ana@example.com"}).value
        self.bo = create_lead(ctx, {"first_name": "Bo", "email": "bo@example.com"}).value

    def step(self, operation: Callable[..., Any], *args: Any) -> Any:
        """Run ``operation`` on Ana as one recorded step; its undo delta."""
        before = read_snapshot(self.ctx.db, [self.ana])
        operation(self.ctx, *args)
        return diff_snapshots(before, read_snapshot(self.ctx.db, [self.ana]), "step")

    def undo(self, delta: Any) -> None:
        apply_undo_delta(self.ctx, delta, undo=True)

    def check(self, expected: dt.datetime | None) -> None:
        """Every view names ``expected`` as Ana's next follow-up; Bo has none."""
        csv_cells = csv_next_follow_ups(self.ctx, self.tmp_path / "leads.csv")
        workbook = xlsx_next_follow_ups(self.ctx, self.tmp_path / "leads.xlsx")
        assert csv_cells == {"Ana": expected.isoformat() if expected else "", "Bo": ""}
        assert workbook == {"Ana": expected.replace(tzinfo=None) if expected else "", "Bo": ""}
        with self.ctx.db.reading() as connection:
            card = cards(connection, [self.ana])[self.ana]
            row = lead_row(connection, self.ana)
            table_row = table_rows(connection, [self.ana])[self.ana]
        assert card.next_follow_up == expected
        assert row is not None
        assert row.next_follow_up == expected
        assert table_row.next_follow_up == expected


@pytest.fixture
def desk(ctx: OperationContext, tmp_path: Path) -> Desk:
    return Desk(ctx, tmp_path)


def test_the_next_follow_up_follows_plans_and_their_undo(desk: Desk) -> None:
    desk.check(None)
    later = desk.step(add_follow_up, desk.ana, NOW + 3 * DAY, "Send the offer")
    desk.check(NOW + 3 * DAY)
    sooner = desk.step(add_follow_up, desk.ana, NOW + DAY, "Call back")
    desk.check(NOW + DAY)
    desk.undo(sooner)
    desk.check(NOW + 3 * DAY)
    desk.undo(later)
    desk.check(None)


def test_a_done_follow_up_gives_way_to_the_next_until_undone(desk: Desk) -> None:
    add_follow_up(desk.ctx, desk.ana, NOW + 3 * DAY, "Send the offer")
    call = add_follow_up(desk.ctx, desk.ana, NOW + DAY, "Call back").value
    done = desk.step(complete_follow_up, call)
    desk.check(NOW + 3 * DAY)
    desk.undo(done)
    desk.check(NOW + DAY)


def test_a_snoozed_follow_up_is_due_when_it_was_put_off_to(desk: Desk) -> None:
    add_follow_up(desk.ctx, desk.ana, NOW + 3 * DAY, "Send the offer")
    call = add_follow_up(desk.ctx, desk.ana, NOW + DAY, "Call back").value
    put_off = desk.step(snooze_follow_up, call, NOW + 5 * DAY)
    # The call now comes after the offer: the offer is next.
    desk.check(NOW + 3 * DAY)
    desk.undo(put_off)
    desk.check(NOW + DAY)
    desk.step(snooze_follow_up, call, NOW + 2 * DAY)
    desk.check(NOW + 2 * DAY)


def test_an_overdue_follow_up_stays_next_and_a_call_logged_changes_nothing(desk: Desk) -> None:
    add_follow_up(desk.ctx, desk.ana, NOW + DAY, "Call back")
    add_follow_up(desk.ctx, desk.ana, NOW - DAY, "Should have called")
    desk.check(NOW - DAY)
    logged = desk.step(log_activity, desk.ana, ActivityKind.CALL, "No answer")
    desk.check(NOW - DAY)
    desk.undo(logged)
    desk.check(NOW - DAY)


def test_a_lead_back_from_the_trash_keeps_its_next_follow_up(desk: Desk) -> None:
    add_follow_up(desk.ctx, desk.ana, NOW + DAY, "Call back")
    delete_leads(desk.ctx, [desk.ana])
    assert csv_next_follow_ups(desk.ctx, desk.tmp_path / "leads.csv") == {"Bo": ""}
    restore_leads(desk.ctx, [desk.ana])
    desk.check(NOW + DAY)
