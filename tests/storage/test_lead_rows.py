"""Reading leads as field dicts: every kind of field, one lead, many leads, the trash."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from leaddesk.core.fields import LEAD_FIELDS, Consent, Stage, Temperature
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead, delete_leads
from leaddesk.storage import lead_rows
from leaddesk.storage.lead_rows import (
    FIELD_NAMES,
    JSON_READ_PLAN,
    json_fields,
    json_read_plan,
    lead_fields,
    live_leads_fields,
    stored_fields,
    stored_lead,
    stored_leads_fields,
    stored_rows,
)
from leaddesk.storage.queries import lead_row
from tests.conftest import TEST_NOW

CONSENTED_AT = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
# A value of every kind of field: text, long text, email, phone, url, date,
# datetime, bool, money, integer, choice (the enums among them) and owner.
FULL_LEAD: dict[str, Any] = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "phone": "+44 20 7946 0000",
    "company": "Engines Ltd",
    "source": "Referral",
    "enquiry": "Tell me more\nabout it.",
    "consent": Consent.GRANTED,
    "consent_date": CONSENTED_AT,
    "website": "https://engines.example",
    "company_size": 12,
    "budget_confirmed": True,
    "decision_maker": False,
    "expected_close_date": dt.date(2026, 12, 1),
    "deal_value": 1_250_050,
    "owner": "Sam Seller",
    "temperature": Temperature.HOT,
    "stage": Stage.OPPORTUNITY,
}


def add_lead(ctx: OperationContext, **values: Any) -> int:
    return create_lead(ctx, values).value


def _row(ctx: OperationContext, lead_id: int) -> Any:
    with ctx.db.reading() as connection:
        return lead_row(connection, lead_id)


def _owner_id(ctx: OperationContext, lead_id: int) -> int:
    with ctx.db.reading() as connection:
        return int(stored_rows(connection, [lead_id])[lead_id].owner_id)


def test_stored_fields_are_every_field_as_stored(ctx: OperationContext) -> None:
    lead = add_lead(ctx, **FULL_LEAD)
    values = stored_fields(_row(ctx, lead)._mapping)

    assert list(values) == [field.name for field in LEAD_FIELDS] == list(FIELD_NAMES)
    # Money in cents, the owner as its id, dates and times as Python values.
    assert values["deal_value"] == 1_250_050
    assert values["owner"] == _owner_id(ctx, lead)
    assert values["expected_close_date"] == dt.date(2026, 12, 1)
    assert values["consent_date"] == CONSENTED_AT
    # Choices come back as their stored text, equal to the enum member.
    assert values["temperature"] == "hot" == Temperature.HOT
    assert values["stage"] == "opportunity"
    assert values["consent"] == "granted"
    assert values["budget_confirmed"] is True
    assert values["decision_maker"] is False
    assert values["company_size"] == 12
    assert values["enquiry"] == "Tell me more\nabout it."
    # What was never filled in is None.
    assert values["won_value"] is None
    assert values["won_date"] is None
    assert values["job_title"] is None


def test_stored_fields_reads_only_the_names_asked_in_their_order() -> None:
    mapping = {"deal_value_cents": 500, "owner_id": 3, "stage": "lead", "unrelated": 1}
    assert stored_fields(mapping, ["stage", "owner", "deal_value"]) == {
        "stage": "lead",
        "owner": 3,
        "deal_value": 500,
    }
    assert list(stored_fields(mapping, ["stage", "owner", "deal_value"])) == [
        "stage",
        "owner",
        "deal_value",
    ]


def test_lead_fields_name_the_owner(ctx: OperationContext) -> None:
    lead = add_lead(ctx, **FULL_LEAD)
    mapping = _row(ctx, lead)._mapping
    values = lead_fields(mapping)

    assert values["owner"] == "Sam Seller"
    assert list(values) == list(FIELD_NAMES)
    assert {k: v for k, v in values.items() if k != "owner"} == {
        k: v for k, v in stored_fields(mapping).items() if k != "owner"
    }


def test_lead_fields_of_a_lead_without_owner_or_values(ctx: OperationContext) -> None:
    lead = add_lead(ctx, email="x@example.com")
    values = lead_fields(_row(ctx, lead)._mapping)
    assert values["owner"] is None
    assert values["email"] == "x@example.com"
    assert values["temperature"] == Temperature.COLD
    assert values["stage"] == Stage.LEAD
    assert values["consent"] == Consent.UNKNOWN
    assert values["deal_value"] is None
    assert values["consent_date"] is None


def test_json_fields_convert_money_dates_and_times(ctx: OperationContext) -> None:
    lead = add_lead(ctx, **FULL_LEAD)
    record = json_fields(_row(ctx, lead)._mapping)

    assert list(record) == list(FIELD_NAMES)
    assert record["deal_value"] == 12_500.5
    assert record["won_value"] is None
    assert record["expected_close_date"] == "2026-12-01"
    assert record["consent_date"] == "2026-03-04T05:06:07+00:00"
    assert record["won_date"] is None
    assert record["owner"] == "Sam Seller"
    assert record["temperature"] == "hot"
    assert record["stage"] == "opportunity"
    assert record["consent"] == "granted"
    assert record["budget_confirmed"] is True
    assert record["company_size"] == 12
    assert record["first_name"] == "Ada"


def test_a_json_read_plan_reads_the_fields_it_was_made_for() -> None:
    money = next(field for field in LEAD_FIELDS if field.name == "won_value")
    owner = next(field for field in LEAD_FIELDS if field.name == "owner")
    moment = next(field for field in LEAD_FIELDS if field.name == "won_date")
    plan = json_read_plan([money, owner, moment])
    assert plan == (
        ("won_value", "won_value_cents", "money"),
        ("owner", "owner", ""),
        ("won_date", "won_date", "moment"),
    )
    mapping = {"won_value_cents": 199, "owner": "Sam", "won_date": dt.date(2026, 1, 2)}
    assert json_fields(mapping, plan) == {
        "won_value": 1.99,
        "owner": "Sam",
        "won_date": "2026-01-02",
    }
    assert len(JSON_READ_PLAN) == len(LEAD_FIELDS)


def test_stored_lead_is_one_live_lead_or_none(ctx: OperationContext) -> None:
    lead = add_lead(ctx, **FULL_LEAD)
    gone = add_lead(ctx, first_name="Gone")
    delete_leads(ctx, [gone])
    with ctx.db.reading() as connection:
        values = stored_lead(connection, lead)
        assert stored_lead(connection, gone) is None
        assert stored_lead(connection, 9_999) is None
    assert values is not None
    assert values == stored_fields(_row(ctx, lead)._mapping)
    assert values["owner"] == _owner_id(ctx, lead)


@pytest.mark.parametrize("chunk", [500, 2])
def test_many_leads_by_id_across_query_chunks(
    ctx: OperationContext, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(lead_rows, "ID_CHUNK", chunk)
    ids = [add_lead(ctx, first_name=f"Lead {n}", deal_value=n * 100) for n in range(5)]
    gone = add_lead(ctx, first_name="Gone")
    delete_leads(ctx, [gone])
    asked = [*ids, gone, ids[0], 9_999]

    with ctx.db.reading() as connection:
        live = live_leads_fields(connection, asked)
        stored = stored_leads_fields(connection, asked, ["first_name", "deal_value"])
        everything = stored_leads_fields(connection, ids[:1])
        rows = stored_rows(connection, asked)

    # Live reads leave the trash out; stored reads take it in.
    assert sorted(live) == sorted(ids)
    assert live[ids[3]]["first_name"] == "Lead 3"
    assert live[ids[3]]["deal_value"] == 300
    assert sorted(stored) == sorted([*ids, gone])
    assert stored[ids[2]] == {"first_name": "Lead 2", "deal_value": 200}
    assert stored[gone] == {"first_name": "Gone", "deal_value": None}
    assert list(everything[ids[0]]) == list(FIELD_NAMES)
    assert sorted(rows) == sorted([*ids, gone])
    assert rows[gone].deleted_at == TEST_NOW
    assert rows[ids[1]].first_name == "Lead 1"


def test_no_ids_read_nothing(ctx: OperationContext) -> None:
    with ctx.db.reading() as connection:
        assert live_leads_fields(connection, []) == {}
        assert stored_leads_fields(connection, []) == {}
        assert stored_rows(connection, []) == {}
