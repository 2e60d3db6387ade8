"""The team: who can own leads, and which team member is the person at this computer.

"Me" is stored as the setting ``my_owner_id``; that team member owns the leads
created without an owner and is what the board's "My leads" filter shows.
Team members are deactivated rather than deleted: their leads keep their owner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, select, update

from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.storage.schema import leads, owners
from leaddesk.storage.settings_store import read_settings, write_setting

_MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class TeamMember:
    """One row of the team list: ``id`` is None for someone not saved yet."""

    id: int | None
    name: str
    active: bool = True


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise UserError("Type the team member's name.")
    if len(cleaned) > _MAX_NAME:
        raise UserError(f"A name can be {_MAX_NAME} characters at most.")
    return cleaned


def team(connection: Connection) -> list[TeamMember]:
    """Everyone, active first, by name."""
    rows = connection.execute(
        select(owners.c.id, owners.c.name, owners.c.active).order_by(
            owners.c.active.desc(), func.lower(owners.c.name)
        )
    )
    return [TeamMember(row.id, row.name, bool(row.active)) for row in rows]


def my_owner_id(connection: Connection) -> int | None:
    """The team member marked as "me", or None (not set, or no longer in the team)."""
    stored = read_settings(connection)["my_owner_id"]
    if not isinstance(stored, int):
        return None
    exists = connection.execute(select(owners.c.id).where(owners.c.id == stored)).scalar()
    return stored if exists is not None else None


def default_owner_id(connection: Connection) -> int | None:
    """Who owns a new lead when nobody is named: "me", while I am an active team member."""
    me = my_owner_id(connection)
    if me is None:
        return None
    active = connection.execute(select(owners.c.active).where(owners.c.id == me)).scalar()
    return me if active else None


def default_owner_name(connection: Connection) -> str | None:
    """The name a new lead's owner field starts with (see ``default_owner_id``)."""
    owner_id = default_owner_id(connection)
    if owner_id is None:
        return None
    return connection.execute(select(owners.c.name).where(owners.c.id == owner_id)).scalar()


def _id_named(connection: Connection, name: str, *, other_than: int | None = None) -> int | None:
    query = select(owners.c.id).where(func.lower(owners.c.name) == name.lower())
    if other_than is not None:
        query = query.where(owners.c.id != other_than)
    found = connection.execute(query).scalar()
    return None if found is None else int(found)


def _insert(ctx: OperationContext, connection: Connection, name: str, active: bool = True) -> int:
    if _id_named(connection, name) is not None:
        raise UserError(f"{name} is already in the team.")
    inserted = owners.insert().values(name=name, active=active, created_at=ctx.clock.now())
    return int(connection.execute(inserted.returning(owners.c.id)).scalar_one())


def _owned_leads(connection: Connection, owner_id: int) -> frozenset[int]:
    return frozenset(
        connection.execute(select(leads.c.id).where(leads.c.owner_id == owner_id)).scalars()
    )


def _rename(connection: Connection, owner_id: int, name: str) -> bool:
    current = connection.execute(select(owners.c.name).where(owners.c.id == owner_id)).scalar()
    if current is None:
        raise UserError("That team member no longer exists; reopen Settings.")
    if current == name:
        return False
    if _id_named(connection, name, other_than=owner_id) is not None:
        raise UserError(f"{name} is already in the team.")
    connection.execute(update(owners).where(owners.c.id == owner_id).values(name=name))
    return True


def _set_active(connection: Connection, owner_id: int, active: bool) -> bool:
    result = connection.execute(
        update(owners)
        .where(owners.c.id == owner_id, owners.c.active != active)
        .values(active=active)
    )
    return bool(result.rowcount)


def add_owner(ctx: OperationContext, name: str) -> Outcome[int]:
    """Add a team member; the Outcome's value is their id."""
    cleaned = clean_name(name)
    with ctx.db.transaction() as connection:
        owner_id = _insert(ctx, connection, cleaned)
    return Outcome(Changes(settings=True, description="Add team member"), owner_id)


def rename_owner(ctx: OperationContext, owner_id: int, name: str) -> Outcome[None]:
    """Correct a team member's name; their leads show the new name."""
    cleaned = clean_name(name)
    with ctx.db.transaction() as connection:
        if not _rename(connection, owner_id, cleaned):
            return Outcome(Changes(), None)
        owned = _owned_leads(connection, owner_id)
    ctx.refresh_actor()  # if that was "me", changes now carry the new name
    return Outcome(Changes(updated=owned, settings=True, description="Rename team member"), None)


def set_owner_active(ctx: OperationContext, owner_id: int, active: bool) -> Outcome[None]:
    """Deactivate someone who left (their leads keep them as owner) or bring them back."""
    with ctx.db.transaction() as connection:
        if not _set_active(connection, owner_id, active):
            return Outcome(Changes(), None)
    verb = "Reactivate" if active else "Deactivate"
    return Outcome(Changes(settings=True, description=f"{verb} team member"), None)


def set_me(ctx: OperationContext, owner_id: int) -> Outcome[None]:
    """Mark which team member is the person using this copy of LeadDesk."""
    with ctx.db.transaction() as connection:
        found = connection.execute(select(owners.c.id).where(owners.c.id == owner_id)).scalar()
        if found is None:
            raise UserError("That team member no longer exists; reopen Settings.")
        if my_owner_id(connection) == owner_id:
            return Outcome(Changes(), None)
        write_setting(connection, "my_owner_id", owner_id)
        connection.execute(update(owners).where(owners.c.id == owner_id).values(active=True))
    ctx.refresh_actor()
    return Outcome(Changes(settings=True, description="Choose who you are"), None)


def introduce_myself(ctx: OperationContext, name: str) -> Outcome[int]:
    """The first run: the team member called ``name`` (added if new) becomes "me".

    The Outcome's value is their id.
    """
    cleaned = clean_name(name)
    with ctx.db.transaction() as connection:
        owner_id = _id_named(connection, cleaned)
        if owner_id is None:
            owner_id = _insert(ctx, connection, cleaned)
        connection.execute(update(owners).where(owners.c.id == owner_id).values(active=True))
        write_setting(connection, "my_owner_id", owner_id)
    ctx.refresh_actor()
    return Outcome(Changes(settings=True, description="Choose who you are"), owner_id)


def save_team(
    ctx: OperationContext, members: Sequence[TeamMember], me: int | None = None
) -> Outcome[list[int]]:
    """Make the team these members (new ones added, names and activity as given).

    ``me`` is the position in ``members`` of the person using this copy (None
    leaves "me" as it is). Members left out are not deleted: leads keep their
    owner. The Outcome's value is the ids of ``members`` in order.
    """
    cleaned = [TeamMember(m.id, clean_name(m.name), m.active) for m in members]
    names = [member.name.lower() for member in cleaned]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise UserError(f"{cleaned[index].name} is in the team list twice.")
    if me is not None and not cleaned[me].active:
        raise UserError("You cannot be an inactive team member; reactivate yourself first.")
    with ctx.db.transaction() as connection:
        stored = {
            row.id: row
            for row in connection.execute(select(owners.c.id, owners.c.name, owners.c.active))
        }
        edits = {
            member.id: member
            for member in cleaned
            if member.id is not None
            and (
                member.id not in stored
                or (stored[member.id].name, stored[member.id].active)
                != (member.name, member.active)
            )
        }
        if edits.keys() - stored.keys():
            raise UserError("A team member was removed meanwhile; reopen Settings.")
        renamed = {key for key, member in edits.items() if stored[key].name != member.name}
        # Out of the way first: two people swapping names are two renames, and the
        # unique name index must hold after each statement.
        for owner_id in renamed:
            connection.execute(
                update(owners).where(owners.c.id == owner_id).values(name=f"\x00{owner_id}")
            )
        # Then the same steps as rename_owner and set_owner_active.
        for owner_id, member in edits.items():
            if owner_id in renamed:
                _rename(connection, owner_id, member.name)
            _set_active(connection, owner_id, member.active)
        changed = bool(edits)
        ids: list[int] = []
        for member in cleaned:
            if member.id is None:
                ids.append(_insert(ctx, connection, member.name, member.active))
                changed = True
            else:
                ids.append(member.id)
        if me is not None and my_owner_id(connection) != ids[me]:
            write_setting(connection, "my_owner_id", ids[me])
            changed = True
        owned: frozenset[int] = frozenset()
        for owner_id in renamed:
            owned |= _owned_leads(connection, owner_id)
    if not changed:
        return Outcome(Changes(), ids)
    ctx.refresh_actor()  # "me" may be someone else now, or renamed
    return Outcome(Changes(updated=owned, settings=True, description="Change team"), ids)
