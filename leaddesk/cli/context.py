"""What a command runs against: the database named on its command line, its time zone.

Imports nothing heavy at module level: building the parser must not load the
storage layer (a test checks), so each function imports what it needs.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from leaddesk.errors import DamagedDatabaseError, UserError

if TYPE_CHECKING:
    import datetime as dt

    from leaddesk.operations.context import OperationContext
    from leaddesk.storage.database import Database

# The databases this run opened, closed by close_databases() when the command ends.
_opened: list[Database] = []


def open_context(args: argparse.Namespace) -> OperationContext:
    """The operation context on the database of ``--data-dir`` / ``--database-url``.

    It acts as ``--as NAME`` (a team member) when given, else as the team member
    marked "me" (the login name until somebody is). An unknown NAME is a user
    mistake, reported before anything is changed. A damaged database is opened
    read-only: reading commands go on (main() then adds the sentence of
    ``damage_warnings`` on stderr), writing ones fail with that sentence.
    """
    from leaddesk.operations.context import OperationContext, team_member_name
    from leaddesk.storage.database import open_database, resolve_location

    location = resolve_location(args.data_dir, args.database_url)
    database = open_database(location)
    _opened.append(database)
    acting_as: str | None = getattr(args, "acting_as", None)
    if acting_as is None:
        return OperationContext.as_me(database)
    with database.reading() as connection:
        actor = team_member_name(connection, acting_as)
    return OperationContext(db=database, actor=actor)


def damage_warnings() -> list[str]:
    """What to tell the user after a command that worked on a damaged database."""
    return [
        str(database.refusal)
        for database in _opened
        if isinstance(database.refusal, DamagedDatabaseError)
    ]


def close_databases() -> None:
    """The command's clean end: its databases are closed (their session markers go)."""
    while _opened:
        _opened.pop().close()


def time_zone(args: argparse.Namespace) -> dt.tzinfo:
    """The zone of ``--timezone``, else the system's; an unknown name is a user mistake."""
    from leaddesk.core.agenda import UnknownTimeZoneError, user_zone

    try:
        return user_zone(args.timezone)
    except UnknownTimeZoneError as error:
        raise UserError(str(error)) from None


def local_time(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """A due time as the user reads it: 'Tue 17 Nov 2026 09:00 CET'."""
    return moment.astimezone(zone).strftime("%a %d %b %Y %H:%M %Z")
