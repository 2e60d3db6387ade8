"""An import gives a speed-to-lead countdown only to leads that arrive new."""

from __future__ import annotations

import datetime as dt

from leaddesk.core.clock import FixedClock
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import DuplicatePolicy
from leaddesk.storage.agenda_queries import awaiting_first_contact
from tests.operations.importing.import_helpers import FIXTURES, lead_rows, run_import

HISTORY = FIXTURES / "duplicates" / "historical_leads.csv"


def test_only_the_fresh_enquiry_of_a_history_file_gets_a_countdown(
    ctx: OperationContext, clock: FixedClock
) -> None:
    result = run_import(ctx, HISTORY)

    assert (result.created, result.countdowns) == (5, 1)
    stored = {lead["first_name"] + " " + lead["last_name"]: lead for lead in lead_rows(ctx)}
    assert {name for name, lead in stored.items() if lead["sla_applies"]} == {"Fresh Enquiry"}
    clock.advance(dt.timedelta(minutes=1))
    with ctx.db.reading() as connection:
        waiting = awaiting_first_contact(connection, [lead["id"] for lead in stored.values()])
    assert set(waiting) == {stored["Fresh Enquiry"]["id"]}


def test_rows_created_anyway_follow_the_same_rule(ctx: OperationContext) -> None:
    result = run_import(ctx, HISTORY, DuplicatePolicy.CREATE)
    assert result.countdowns == 1
