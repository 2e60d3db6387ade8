"""The owners an import's rows name: found by name, or added to the team with the import."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, func, select

from leaddesk.operations.owners import default_owner_id
from leaddesk.storage.schema import owners


class ImportOwners:
    """Owner ids by name for one import, inside its transaction.

    A name not on the team yet becomes a team member marked with the import's
    batch, so that undoing the import removes it again.
    """

    def __init__(self, connection: Connection, batch_id: int, now: dt.datetime) -> None:
        self._conn = connection
        self._batch_id = batch_id
        self._now = now
        self._ids: dict[str, int] = {}  # casefolded name -> owner id
        self.added = 0
        """Team members this import created (Settings → Team)."""
        # A row that names no owner goes to "me" (Settings → Team), as a lead
        # typed into the form does: every open lead has an owner.
        self.default_id = default_owner_id(connection)

    def id_of(self, name: str) -> int:
        """The id of the owner called ``name`` (spacing and case aside), added if new."""
        name = " ".join(name.split())
        folded = name.casefold()
        if folded in self._ids:
            return self._ids[folded]
        existing = self._conn.execute(
            select(owners.c.id).where(func.lower(owners.c.name) == name.lower())
        ).scalar()
        if existing is None:
            existing = self._conn.execute(
                owners.insert()
                .values(
                    name=name, active=True, created_at=self._now, import_batch_id=self._batch_id
                )
                .returning(owners.c.id)
            ).scalar_one()
            self.added += 1
        self._ids[folded] = int(existing)
        return int(existing)
