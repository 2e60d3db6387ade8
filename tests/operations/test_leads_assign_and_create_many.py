"""assign_owner (many leads, one transaction) and create_leads (many leads, one transaction)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import LeadNotFoundError, assign_owner, create_lead, create_leads
from leaddesk.operations.owners import add_owner
from leaddesk.storage.schema import leads


def _owners(ctx: OperationContext) -> dict[int, tuple[int | None, int, str | None]]:
    with ctx.db.reading() as connection:
        rows = connection.execute(
            select(leads.c.id, leads.c.owner_id, leads.c.version, leads.c.updated_by)
        )
        return {row.id: (row.owner_id, row.version, row.updated_by) for row in rows}


def test_assign_owner_by_name_or_id_changes_only_leads_with_another_owner(
    ctx: OperationContext,
) -> None:
    priya = add_owner(ctx, "Priya Patel").value
    first = create_lead(ctx, {"first_name": "A", "owner": priya}).value
    second = create_lead(ctx, {"first_name": "B"}).value

    outcome = assign_owner(ctx, [first, second, second], "PRIYA patel")

    assert outcome.value == priya
    assert outcome.changes.updated == {second}
    assert outcome.changes.board
    assert _owners(ctx) == {first: (priya, 1, "Test User"), second: (priya, 2, "Test User")}
    assert not assign_owner(ctx, [first], priya).changes


@pytest.mark.parametrize("owner", ["Nobody", 999])
def test_an_unknown_owner_or_lead_changes_nothing(ctx: OperationContext, owner: str | int) -> None:
    add_owner(ctx, "Priya Patel")
    lead = create_lead(ctx, {"first_name": "A"}).value
    before = _owners(ctx)
    with pytest.raises(UserError, match="no team member"):
        assign_owner(ctx, [lead], owner)
    with pytest.raises(LeadNotFoundError):
        assign_owner(ctx, [lead, 12345], "Priya Patel")
    assert _owners(ctx) == before


def test_create_leads_adds_all_or_none(ctx: OperationContext) -> None:
    with pytest.raises(UserError, match=r"^Lead 2: A lead needs"):
        create_leads(ctx, [{"first_name": "A"}, {"company": "No name"}])
    assert _owners(ctx) == {}

    outcome = create_leads(ctx, [{"first_name": "A"}, {"first_name": "B"}])

    assert outcome.changes.created == set(outcome.value)
    assert outcome.changes.description == "Create 2 leads"
    with ctx.db.reading() as connection:
        ranks = dict(connection.execute(select(leads.c.id, leads.c.board_rank)).all())
    assert ranks[outcome.value[1]] < ranks[outcome.value[0]]  # each on top, as added
