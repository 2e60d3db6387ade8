"""`leaddesk undo-merge MERGE_ID`: a merge from the command line, taken back exactly."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select

from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.leads import move_leads, update_lead
from leaddesk.storage.schema import activities, follow_ups, leads, stage_history
from tests.cli.helpers import assert_one_line_error, lead_row, run


@pytest.fixture
def pair(ctx: OperationContext, anna_berg_twice: tuple[int, int]) -> tuple[int, int]:
    """Anna Berg twice, each with her own history."""
    keep, _other = anna_berg_twice
    log_activity(ctx, keep, "webinar", "Attended the spring webinar")
    return anna_berg_twice


def _everything_of(ctx: OperationContext, lead_ids: tuple[int, int]) -> dict[str, Any]:
    """Every row of both leads and of their activities, follow-ups and stage changes."""
    with ctx.db.reading() as connection:
        return {
            table.name: sorted(
                tuple(row)
                for row in connection.execute(
                    select(table).where(
                        (table.c.id if table is leads else table.c.lead_id).in_(lead_ids)
                    )
                )
            )
            for table in (leads, activities, follow_ups, stage_history)
        }


def test_undo_merge_puts_both_leads_back_exactly(capsys, ctx, clock, data_dir, pair):
    keep, other = pair
    add_follow_up(ctx, other, clock.now() + dt.timedelta(days=1), "Call about the demo")
    move_leads(ctx, [other], BoardGrouping.STAGE, "sql")
    before = _everything_of(ctx, pair)

    merged = run(capsys, "--data-dir", data_dir, "merge", str(keep), str(other), "--json")
    assert merged.code == 0, merged.err
    merge_id = json.loads(merged.out)["merge_id"]
    assert _everything_of(ctx, pair) != before

    undone = run(capsys, "--data-dir", data_dir, "undo-merge", str(merge_id))

    assert (undone.code, undone.err) == (0, "")
    assert undone.out == (f"Undid merge {merge_id}: both leads are back as they were before it.\n")
    assert _everything_of(ctx, pair) == before
    with ctx.db.reading() as connection:
        on_other = connection.execute(
            select(activities.c.kind).where(activities.c.lead_id == other)
        ).scalars()
        assert list(on_other) == ["demo_request"]

    again = run(capsys, "--data-dir", data_dir, "undo-merge", str(merge_id))
    assert assert_one_line_error(again, 2) == f"leaddesk: Merge {merge_id} was undone already."
    unknown = run(capsys, "--data-dir", data_dir, "undo-merge", "99")
    assert assert_one_line_error(unknown, 2) == "leaddesk: There is no merge 99."


def test_undo_merge_refuses_once_the_merged_values_changed(capsys, ctx, data_dir, pair):
    keep, other = pair
    merged = run(capsys, "--data-dir", data_dir, "merge", str(keep), str(other), "--json")
    merge_id = json.loads(merged.out)["merge_id"]
    update_lead(ctx, keep, {"phone": "+49 30 7654321"})

    result = run(capsys, "--data-dir", data_dir, "undo-merge", str(merge_id))

    assert "can no longer be undone" in assert_one_line_error(result, 2)
    assert lead_row(ctx, keep).phone == "+49 30 7654321"
    assert lead_row(ctx, other).deleted_at is not None
