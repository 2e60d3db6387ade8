"""Finding the leads one lead may duplicate, as the form asks while the user types."""

from __future__ import annotations

from typing import Any

from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead, delete_leads
from leaddesk.storage.duplicates import find_duplicates


def add(ctx: OperationContext, **values: Any) -> int:
    return create_lead(ctx, values).value


def matches(ctx: OperationContext, exclude_id: int | None = None, **values: Any):
    with ctx.db.reading() as connection:
        return [
            (match.lead_id, match.reasons)
            for match in find_duplicates(connection, values, exclude_id)
        ]


def test_same_email_in_another_spelling(ctx):
    anna = add(ctx, first_name="Anna", email="Anna.Schaefer@Nordlicht.example")
    assert matches(ctx, first_name="A.", email="  anna.schaefer@nordlicht.example ") == [
        (anna, ("email",))
    ]


def test_same_phone_in_another_format(ctx):
    bo = add(ctx, first_name="Bo", phone="+44 20 7946 0004")
    assert matches(ctx, first_name="Robert", phone="+44 (20) 7946-0004") == [(bo, ("phone",))]


def test_close_name_at_the_same_company(ctx):
    jurgen = add(ctx, first_name="Jürgen", last_name="Schäfer", company="Nordlicht GmbH")
    add(ctx, first_name="Hana", last_name="Berg", company="Nordlicht GmbH")
    assert matches(ctx, first_name="Jurgen", last_name="Schaefer", company="nordlicht") == [
        (jurgen, ("name",))
    ]
    # Another person at the same company, and the same name elsewhere, are not duplicates.
    assert matches(ctx, first_name="Ana", last_name="Berg", company="Nordlicht") == []
    assert matches(ctx, first_name="Jürgen", last_name="Schäfer", company="Südwind AG") == []


def test_the_lead_being_edited_and_trashed_leads_are_not_duplicates(ctx):
    anna = add(ctx, first_name="Anna", email="anna@nordlicht.example")
    gone = add(ctx, first_name="Old Anna", email="anna@nordlicht.example")
    delete_leads(ctx, [gone])
    assert matches(ctx, anna, email="anna@nordlicht.example") == []
    assert matches(ctx, email="anna@nordlicht.example") == [(anna, ("email",))]


def test_several_reasons_rank_first(ctx):
    by_email = add(ctx, first_name="Someone", email="anna@nordlicht.example")
    by_all = add(
        ctx,
        first_name="Anna",
        last_name="Schäfer",
        email="anna@nordlicht.example",
        phone="+49 30 1234567",
        company="Nordlicht",
    )
    found = matches(
        ctx,
        first_name="Anna",
        last_name="Schafer",
        email="anna@nordlicht.example",
        phone="+49301234567",
        company="Nordlicht GmbH",
    )
    assert found == [(by_all, ("email", "phone", "name")), (by_email, ("email",))]


def test_nothing_typed_matches_nothing(ctx):
    add(ctx, first_name="Anna")
    assert matches(ctx, first_name="", email="", phone="") == []


def verdicts(ctx: OperationContext, exclude_id: int | None = None, **values: Any):
    with ctx.db.reading() as connection:
        return [
            (match.lead_id, match.same_person, match.reason_text)
            for match in find_duplicates(connection, values, exclude_id)
        ]


def test_a_colleague_on_the_same_switchboard_is_only_a_possible_duplicate(ctx):
    anna = add(ctx, first_name="Anna", email="anna@acme.example", phone="+44 20 7946 0000")
    assert verdicts(ctx, first_name="Bo", email="bo@acme.example", phone="+442079460000") == [
        (anna, False, "same phone, but a different email")
    ]


def test_a_phone_is_the_same_person_when_one_side_has_no_email(ctx):
    anna = add(ctx, first_name="Anna", email="anna@acme.example", phone="+44 20 7946 0000")
    assert verdicts(ctx, first_name="A.", phone="+442079460000") == [(anna, True, "same phone")]


def test_the_same_person_ranks_before_a_possible_duplicate(ctx):
    colleague = add(ctx, first_name="Bo", email="bo@acme.example", phone="+44 20 7946 0000")
    anna = add(ctx, first_name="Anna", email="anna@acme.example")
    found = verdicts(ctx, first_name="Anna", email="ANNA@acme.example", phone="+442079460000")
    assert found == [
        (anna, True, "same email"),
        (colleague, False, "same phone, but a different email"),
    ]
