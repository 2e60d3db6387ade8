"""The acting team member: "me", followed when Settings changes who that is."""

from __future__ import annotations

import pytest

from leaddesk.core.clock import FixedClock
from leaddesk.operations.context import OperationContext
from leaddesk.operations.owners import (
    TeamMember,
    add_owner,
    introduce_myself,
    rename_owner,
    save_team,
    set_me,
    team,
)
from leaddesk.storage.database import Database


@pytest.fixture
def me_ctx(db: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> OperationContext:
    monkeypatch.setattr("getpass.getuser", lambda: "root")
    return OperationContext.as_me(db, clock)


def test_the_login_until_somebody_is_me_then_their_name(me_ctx: OperationContext) -> None:
    assert me_ctx.actor == "root"
    introduce_myself(me_ctx, "Lucía Torres")
    assert me_ctx.actor == "Lucía Torres"


def test_choosing_someone_else_or_renaming_me_follows(me_ctx: OperationContext) -> None:
    me = introduce_myself(me_ctx, "Lucía Torres").value
    bob = add_owner(me_ctx, "Bob Baker").value
    set_me(me_ctx, bob)
    assert me_ctx.actor == "Bob Baker"
    rename_owner(me_ctx, bob, "Robert Baker")
    assert me_ctx.actor == "Robert Baker"
    with me_ctx.db.reading() as connection:
        members = team(connection)
    save_team(me_ctx, members, me=[m.id for m in members].index(me))
    assert me_ctx.actor == "Lucía Torres"
    save_team(me_ctx, [TeamMember(me, "Lucía T."), *(m for m in members if m.id != me)])
    assert me_ctx.actor == "Lucía T."


def test_a_fixed_actor_stays_when_me_changes(ctx: OperationContext) -> None:
    introduce_myself(ctx, "Lucía Torres")
    assert ctx.actor == "Test User"
