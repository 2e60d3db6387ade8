"""A lead as plain data: the record `leaddesk list --json` prints."""

from __future__ import annotations

import datetime as dt
import json

from leaddesk.core.fields import LEAD_FIELDS
from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.leads import create_lead
from leaddesk.storage.queries import lead_row
from leaddesk.storage.records import lead_record
from tests.conftest import TEST_NOW


def test_a_record_is_the_id_every_field_then_the_lead_s_own_data(ctx: OperationContext) -> None:
    lead = create_lead(
        ctx,
        {"first_name": "Ada", "deal_value": 99, "won_date": dt.date(2026, 1, 31), "owner": "Sam"},
    ).value
    add_follow_up(ctx, lead, TEST_NOW + dt.timedelta(days=1))
    with ctx.db.reading() as connection:
        record = lead_record(lead_row(connection, lead))

    assert list(record) == [
        "id",
        *(field.name for field in LEAD_FIELDS),
        "score",
        "next_follow_up",
        "first_contacted_at",
        "created_at",
        "updated_at",
        "version",
    ]
    assert record["id"] == lead
    assert record["deal_value"] == 0.99
    assert record["won_date"] == "2026-01-31"
    assert record["owner"] == "Sam"
    assert record["next_follow_up"] == "2026-11-18T10:30:00+00:00"
    assert record["first_contacted_at"] is None
    assert record["created_at"] == "2026-11-17T10:30:00+00:00"
    assert record["version"] == 1
    assert isinstance(record["score"], int)
    json.dumps(record)
