"""The team and "me": add, rename, deactivate, who owns new leads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.operations.owners import (
    TeamMember,
    add_owner,
    default_owner_id,
    default_owner_name,
    introduce_myself,
    my_owner_id,
    rename_owner,
    save_team,
    set_me,
    set_owner_active,
    team,
)
from leaddesk.storage.schema import leads


def owner_id_of(ctx: OperationContext, lead_id: int) -> int | None:
    with ctx.db.reading() as connection:
        return connection.execute(select(leads.c.owner_id).where(leads.c.id == lead_id)).scalar()


def members(ctx: OperationContext) -> list[TeamMember]:
    with ctx.db.reading() as connection:
        return team(connection)


def test_without_me_new_leads_have_no_owner(ctx: OperationContext) -> None:
    lead_id = create_lead(ctx, {"first_name": "Ada"}).value
    assert owner_id_of(ctx, lead_id) is None


def test_introducing_myself_reuses_a_team_member_of_that_name(ctx: OperationContext) -> None:
    sam = add_owner(ctx, "Sam Seller").value
    outcome = introduce_myself(ctx, "  sam   seller ")
    me, changes = outcome.value, outcome.changes
    assert me == sam
    assert changes.settings
    lead_id = create_lead(ctx, {"first_name": "Ada"}).value
    assert owner_id_of(ctx, lead_id) == sam
    with ctx.db.reading() as connection:
        assert default_owner_name(connection) == "Sam Seller"


def test_an_inactive_me_owns_no_new_leads(ctx: OperationContext) -> None:
    me = introduce_myself(ctx, "Priya Patel").value
    set_owner_active(ctx, me, False)
    with ctx.db.reading() as connection:
        assert my_owner_id(connection) == me
        assert default_owner_id(connection) is None
    lead_id = create_lead(ctx, {"first_name": "Ada"}).value
    assert owner_id_of(ctx, lead_id) is None


def test_renaming_updates_the_cards_of_their_leads(ctx: OperationContext) -> None:
    lead_id = create_lead(ctx, {"first_name": "Ada", "owner": "Sam"}).value
    sam = owner_id_of(ctx, lead_id)
    assert sam is not None
    changes = rename_owner(ctx, sam, "Sam Seller").changes
    assert changes.updated == {lead_id}
    assert [m.name for m in members(ctx)] == ["Sam Seller"]
    add_owner(ctx, "Bo")
    with pytest.raises(UserError, match="already in the team"):
        rename_owner(ctx, sam, "bo")


def test_save_team_can_swap_two_names_and_add_someone(ctx: OperationContext) -> None:
    ada = add_owner(ctx, "Ada").value
    bo = add_owner(ctx, "Bo").value
    outcome = save_team(
        ctx, [TeamMember(ada, "Bo"), TeamMember(bo, "Ada", False), TeamMember(None, "Cy")], me=2
    )
    ids, changes = outcome.value, outcome.changes
    assert ids[:2] == [ada, bo]
    by_id = {m.id: m for m in members(ctx)}
    assert (by_id[ada].name, by_id[bo].name, by_id[bo].active) == ("Bo", "Ada", False)
    with ctx.db.reading() as connection:
        assert my_owner_id(connection) == ids[2]
    assert changes.settings


def test_save_team_refuses_a_name_twice_and_saves_nothing(ctx: OperationContext) -> None:
    ada = add_owner(ctx, "Ada").value
    with pytest.raises(UserError, match="twice"):
        save_team(ctx, [TeamMember(ada, "Ada"), TeamMember(None, "ada")])
    assert [m.name for m in members(ctx)] == ["Ada"]


def test_set_me_and_unchanged_saves_announce_nothing(ctx: OperationContext) -> None:
    ada = add_owner(ctx, "Ada").value
    assert set_me(ctx, ada).changes.settings
    assert not set_me(ctx, ada).changes
    assert not save_team(ctx, members(ctx)).changes
    with pytest.raises(UserError, match="Type the team member's name"):
        add_owner(ctx, "   ")
