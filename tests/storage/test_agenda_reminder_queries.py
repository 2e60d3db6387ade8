"""The queries behind reminders, agenda rows and the card's speed-to-lead badge."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from leaddesk.operations.follow_ups import add_follow_up, complete_follow_up
from leaddesk.operations.leads import create_lead, delete_leads
from leaddesk.storage.agenda_queries import (
    awaiting_first_contact,
    follow_ups_due_between,
    lead_details,
    next_due_after,
)
from tests.conftest import TEST_NOW


@pytest.fixture
def make_lead(ctx):
    def make(first_name: str, temperature: str = "cold", **values: object) -> int:
        return create_lead(
            ctx, {"first_name": first_name, "temperature": temperature, **values}
        ).value

    return make


def test_due_between_is_open_follow_ups_of_live_leads_after_then_up_to_now(ctx, make_lead):
    ana, gone = make_lead("Ana"), make_lead("Gone")
    before = add_follow_up(ctx, ana, TEST_NOW - dt.timedelta(hours=2)).value
    edge = add_follow_up(ctx, ana, TEST_NOW - dt.timedelta(hours=1)).value
    inside = add_follow_up(ctx, ana, TEST_NOW - dt.timedelta(minutes=5)).value
    done = add_follow_up(ctx, ana, TEST_NOW - dt.timedelta(minutes=4)).value
    complete_follow_up(ctx, done)
    add_follow_up(ctx, gone, TEST_NOW - dt.timedelta(minutes=3))
    delete_leads(ctx, [gone])
    add_follow_up(ctx, ana, TEST_NOW + dt.timedelta(minutes=1))
    with ctx.db.reading() as connection:
        since = follow_ups_due_between(connection, TEST_NOW - dt.timedelta(hours=1), TEST_NOW)
        everything = follow_ups_due_between(connection, None, TEST_NOW)
    assert [entry.follow_up_id for entry in since] == [inside]  # (after, until]
    assert [entry.follow_up_id for entry in everything] == [before, edge, inside]


def test_next_due_after_skips_done_and_deleted(ctx, make_lead):
    ana, gone = make_lead("Ana"), make_lead("Gone")
    done = add_follow_up(ctx, ana, TEST_NOW + dt.timedelta(minutes=1)).value
    complete_follow_up(ctx, done)
    add_follow_up(ctx, gone, TEST_NOW + dt.timedelta(minutes=2))
    delete_leads(ctx, [gone])
    add_follow_up(ctx, ana, TEST_NOW + dt.timedelta(minutes=3, microseconds=250))
    with ctx.db.reading() as connection:
        assert next_due_after(connection, TEST_NOW) == TEST_NOW + dt.timedelta(
            minutes=3, microseconds=250
        )
        assert next_due_after(connection, TEST_NOW + dt.timedelta(hours=1)) is None


def test_awaiting_first_contact_and_details(ctx, make_lead):
    new = make_lead("New", "hot", company="Acme", phone="+49 30 1234567")
    qualified = make_lead("Qualified", stage="mql")
    with ctx.db.reading() as connection:
        assert awaiting_first_contact(connection, [new, qualified]) == {new: TEST_NOW}
        details = lead_details(connection, [new])
    assert details[new].company == "Acme"
    assert details[new].temperature == "hot"


def test_still_due_answers_for_every_reminder_shown_not_only_the_first_500(ctx, make_lead):
    from leaddesk.storage.agenda_queries import still_due
    from leaddesk.storage.schema import follow_ups

    ana = make_lead("Ana")
    with ctx.db.transaction() as connection:
        connection.execute(
            follow_ups.insert(),
            [
                {
                    "lead_id": ana,
                    "due_at": TEST_NOW - dt.timedelta(minutes=minute),
                    "created_at": TEST_NOW,
                }
                for minute in range(1, 701)
            ],
        )
        ids = list(connection.execute(select(follow_ups.c.id)).scalars())
    done = ids[-1]
    complete_follow_up(ctx, done)
    with ctx.db.reading() as connection:
        assert still_due(connection, ids, TEST_NOW) == set(ids) - {done}
        assert still_due(connection, [], TEST_NOW) == set()
