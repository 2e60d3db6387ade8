"""Reading the agenda: which follow-ups and leads it lists, and that it uses the indexes."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from sqlalchemy import Connection

from leaddesk.core.agenda import LeadRef, agenda_window
from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import add_follow_up, complete_follow_up
from leaddesk.operations.leads import create_lead, delete_leads
from leaddesk.storage.agenda_queries import (
    agenda_counts,
    follow_up_lead,
    leads_without_next_step,
    load_agenda,
    no_next_step_query,
    open_follow_ups,
    open_follow_ups_query,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
HOUR = dt.timedelta(hours=1)


def add_lead(ctx: OperationContext, **values: Any) -> int:
    return create_lead(ctx, values).value


def test_open_follow_ups_leave_out_done_ones_and_leads_in_the_trash(
    ctx: OperationContext,
) -> None:
    now = ctx.clock.now()
    anna = add_lead(ctx, first_name="Anna", last_name="Berg")
    mail_only = add_lead(ctx, email="x@acme.io")
    trashed = add_lead(ctx, first_name="Gone")
    late = add_follow_up(ctx, anna, now + 3 * HOUR, "Second").value
    soon = add_follow_up(ctx, mail_only, now + HOUR, "First").value
    done = add_follow_up(ctx, anna, now - HOUR).value
    add_follow_up(ctx, trashed, now)
    complete_follow_up(ctx, done)
    delete_leads(ctx, [trashed])

    with ctx.db.reading() as connection:
        entries = open_follow_ups(connection)
        bounded = open_follow_ups(connection, due_before=now + 2 * HOUR)
        annas = open_follow_ups(connection, lead_id=anna)

    assert [(e.follow_up_id, e.lead_id, e.name, e.note) for e in entries] == [
        (soon, mail_only, "x@acme.io", "First"),
        (late, anna, "Anna Berg", "Second"),
    ]
    assert entries[0].due_at == now + HOUR
    assert [e.follow_up_id for e in bounded] == [soon]
    assert [e.follow_up_id for e in annas] == [late]


def test_no_next_step_lists_open_leads_without_an_open_follow_up(ctx: OperationContext) -> None:
    now = ctx.clock.now()
    cold = add_lead(ctx, first_name="Cold")
    hot = add_lead(ctx, first_name="Hot", temperature="hot")
    warm = add_lead(ctx, first_name="Warm", temperature="warm")
    planned = add_lead(ctx, first_name="Planned")
    overdue = add_lead(ctx, first_name="Overdue")
    all_done = add_lead(ctx, first_name="All done")
    add_lead(ctx, first_name="Customer", stage="customer")
    add_lead(ctx, first_name="Disqualified", stage="disqualified")
    trashed = add_lead(ctx, first_name="Trashed")
    add_follow_up(ctx, planned, now + HOUR)
    add_follow_up(ctx, overdue, now - 24 * HOUR)
    done = add_follow_up(ctx, all_done, now + HOUR).value
    complete_follow_up(ctx, done)
    delete_leads(ctx, [trashed])

    with ctx.db.reading() as connection:
        found = leads_without_next_step(connection)
        first_two = leads_without_next_step(connection, limit=2)

    # Hot first, then warm, then cold; oldest first within each.
    assert found == [
        LeadRef(hot, "Hot"),
        LeadRef(warm, "Warm"),
        LeadRef(cold, "Cold"),
        LeadRef(all_done, "All done"),
    ]
    assert first_two == found[:2]


def test_counts_match_the_agenda(ctx: OperationContext) -> None:
    now = ctx.clock.now()  # Tuesday 11:30 in Berlin
    lead_id = add_lead(ctx, first_name="Anna")
    add_lead(ctx, first_name="Nothing planned")
    for offset in (-30, -2, 1, 5, 20, 24 * 3, 24 * 30):
        add_follow_up(ctx, lead_id, now + offset * HOUR)

    with ctx.db.reading() as connection:
        agenda = load_agenda(connection, now, BERLIN)
        counts = agenda_counts(connection, agenda_window(now, BERLIN))

    assert (len(agenda.overdue), len(agenda.today), len(agenda.upcoming)) == (2, 2, 2)
    assert counts == {"overdue": 2, "today": 2, "upcoming": 2, "no_next_step": 1}


def test_counts_leave_out_done_follow_ups_and_leads_in_the_trash(ctx: OperationContext) -> None:
    now = ctx.clock.now()  # Tuesday 11:30 in Berlin
    kept, trashed = add_lead(ctx, first_name="Kept"), add_lead(ctx, first_name="Gone")
    for lead_id in (kept, trashed):
        for offset in (-2, 1, 24 * 3):  # overdue, today, upcoming
            add_follow_up(ctx, lead_id, now + offset * HOUR)
    done = add_follow_up(ctx, kept, now - 5 * HOUR).value
    complete_follow_up(ctx, done)
    delete_leads(ctx, [trashed])

    with ctx.db.reading() as connection:
        counts = agenda_counts(connection, agenda_window(now, BERLIN))

    assert counts == {"overdue": 1, "today": 1, "upcoming": 1, "no_next_step": 0}


def query_plan(connection: Connection, statement: Any) -> str:
    compiled = statement.compile(connection, compile_kwargs={"literal_binds": True})
    rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
    return "\n".join(str(row[-1]) for row in rows)


def test_the_agenda_queries_use_the_follow_up_indexes(ctx: OperationContext) -> None:
    end = ctx.clock.now() + 8 * 24 * HOUR
    with ctx.db.reading() as connection:
        due_plan = query_plan(connection, open_follow_ups_query(due_before=end))
        no_next_step_plan = query_plan(connection, no_next_step_query())
    assert "USING INDEX ix_follow_ups_open_due (done_at=? AND due_at<?)" in due_plan
    assert "USING INTEGER PRIMARY KEY" in due_plan  # each lead looked up, not scanned
    assert "TEMP B-TREE" not in due_plan, "sorted by the index, not afterwards"
    assert "USING COVERING INDEX ix_follow_ups_lead_open (lead_id=? AND done_at=?)" in (
        no_next_step_plan
    )


def test_follow_up_lead_is_the_lead_a_follow_up_is_for(ctx: OperationContext) -> None:
    anna = add_lead(ctx, first_name="Anna")
    follow_up = add_follow_up(ctx, anna, ctx.clock.now() + HOUR).value
    with ctx.db.reading() as connection:
        assert follow_up_lead(connection, follow_up) == anna
        assert follow_up_lead(connection, 9_999) is None
