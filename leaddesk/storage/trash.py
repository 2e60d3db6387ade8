"""The trash: leads deleted by the user (deleted_at set), which keep their history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from leaddesk.storage.schema import leads


def trashed_leads(connection: Connection, limit: int | None = None) -> Sequence[Any]:
    """Deleted leads, the most recently deleted first.

    Columns: id, names, email, company, deleted_at and deleted_by (the lead's
    updated_by: moving it to the trash was its last change, as nothing edits a
    lead in the trash).
    """
    query = (
        select(
            leads.c.id,
            leads.c.first_name,
            leads.c.last_name,
            leads.c.email,
            leads.c.company,
            leads.c.deleted_at,
            leads.c.updated_by.label("deleted_by"),
        )
        .where(leads.c.deleted_at.is_not(None))
        .order_by(leads.c.deleted_at.desc(), leads.c.id.desc())
        .limit(limit)
    )
    return connection.execute(query).all()
