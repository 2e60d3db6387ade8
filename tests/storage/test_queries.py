"""Reading leads and team members for the board, the lists and the command line."""

from __future__ import annotations

from sqlalchemy import select, update

from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.storage.queries import all_owner_names, owner_names
from leaddesk.storage.schema import owners


def test_all_owner_names_include_inactive_members(ctx: OperationContext) -> None:
    create_lead(ctx, {"first_name": "Ada", "owner": "Sam Seller"})
    create_lead(ctx, {"first_name": "Bo", "owner": "Lee Left"})
    with ctx.db.transaction() as connection:
        connection.execute(update(owners).where(owners.c.name == "Lee Left").values(active=False))
        ids = dict(connection.execute(select(owners.c.name, owners.c.id)).all())

    with ctx.db.reading() as connection:
        everyone = all_owner_names(connection)
        active = owner_names(connection)

    assert everyone == {ids["Sam Seller"]: "Sam Seller", ids["Lee Left"]: "Lee Left"}
    assert active == [(ids["Sam Seller"], "Sam Seller")]
