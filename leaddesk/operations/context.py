"""Everything an operation needs besides its arguments, and who is acting.

Who is acting is recorded on every change (a lead's ``updated_by``, a stage
change's ``changed_by``, an activity's ``created_by``). It is the team member
marked as "me" (asked at first run, Settings → Team), so a change reads as the
person's name rather than the computer's login; the login is used only until
somebody is marked as "me".
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import DBAPIError

from leaddesk.core.clock import Clock, SystemClock
from leaddesk.errors import UserError
from leaddesk.storage.database import Database
from leaddesk.storage.schema import owners
from leaddesk.storage.settings_store import read_settings


def _login_name() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some sandboxes and services
        return None


def my_name(connection: Connection) -> str | None:
    """The name of the team member marked as "me", or None when nobody is."""
    stored = read_settings(connection)["my_owner_id"]
    if not isinstance(stored, int):
        return None
    name = connection.execute(select(owners.c.name).where(owners.c.id == stored)).scalar()
    return None if name is None else str(name)


def team_member_name(connection: Connection, name: str) -> str:
    """The team member called ``name`` (any case, any spacing) as the team spells it.

    A former colleague (inactive) counts: their past work can still be recorded.
    """
    wanted = " ".join(name.split())
    found = connection.execute(
        select(owners.c.name).where(func.lower(owners.c.name) == wanted.lower())
    ).scalar()
    if found is None:
        raise UserError(
            f"There is no team member called '{wanted}'; add them in Settings → Team first."
        )
    return str(found)


@dataclass
class OperationContext:
    """The database, the clock and who is acting (recorded as created_by/updated_by).

    With ``actor_is_me`` the actor is the "me" team member, read again by
    ``refresh_actor`` whenever the team operations change who that is or their
    name; otherwise ``actor`` is fixed (``leaddesk --as NAME``, tests).
    """

    db: Database
    clock: Clock = field(default_factory=SystemClock)
    actor: str | None = field(default_factory=_login_name)
    actor_is_me: bool = False

    @classmethod
    def as_me(cls, db: Database, clock: Clock | None = None) -> OperationContext:
        """A context acting as the "me" team member (the login until there is one)."""
        ctx = cls(db=db, clock=clock or SystemClock(), actor_is_me=True)
        ctx.refresh_actor()
        return ctx

    def refresh_actor(self) -> None:
        """Follow a change of "me" (or of their name); called outside any transaction."""
        if not self.actor_is_me:
            return
        try:
            with self.db.reading() as connection:
                name = my_name(connection)
        except (UserError, DBAPIError):
            # A damaged or busy database: reading commands still run (and a write
            # would fail with its own sentence), so the label is not worth failing for.
            name = None
        self.actor = name or _login_name()
