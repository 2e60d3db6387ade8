"""assign_owner: several leads to one team member, in one operation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leaddesk.errors import UserError
from leaddesk.operations.leads import assign_owner, create_lead, delete_leads
from leaddesk.operations.owners import add_owner
from leaddesk.storage.schema import leads


def _owners(ctx, ids):
    with ctx.db.reading() as connection:
        rows = connection.execute(select(leads.c.id, leads.c.owner_id).where(leads.c.id.in_(ids)))
        return {row.id: row.owner_id for row in rows}


def test_assign_gives_every_lead_to_the_member_and_reports_only_those_changed(ctx):
    ada = create_lead(ctx, {"first_name": "Ada"}).value
    bo = create_lead(ctx, {"first_name": "Bo"}).value
    sam = add_owner(ctx, "Sam").value
    assign_owner(ctx, [bo], sam)

    outcome = assign_owner(ctx, [ada, bo], sam)

    assert _owners(ctx, [ada, bo]) == {ada: sam, bo: sam}
    assert outcome.changes.updated == {ada}
    assert outcome.changes.board


def test_assign_to_nobody_and_unknown_ids_are_refused_whole(ctx):
    ada = create_lead(ctx, {"first_name": "Ada"}).value
    gone = create_lead(ctx, {"first_name": "Gone"}).value
    sam = add_owner(ctx, "Sam").value
    delete_leads(ctx, [gone])

    with pytest.raises(UserError, match="no lead with id"):
        assign_owner(ctx, [ada, gone], sam)
    with pytest.raises(UserError, match="no team member"):
        assign_owner(ctx, [ada], 9999)
    assert _owners(ctx, [ada])[ada] != sam

    assign_owner(ctx, [ada], None)
    assert _owners(ctx, [ada]) == {ada: None}
