"""What a command runs against: the database named on its command line, its time zone.

Imports nothing heavy at module level: building the parser must not load the
storage layer (a test checks), so each function imports what it needs.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from leaddesk.errors import UserError

if TYPE_CHECKING:
    import datetime as dt

    from leaddesk.operations.context import OperationContext


def open_context(args: argparse.Namespace) -> OperationContext:
    """The operation context on the database of ``--data-dir`` / ``--database-url``."""
    from leaddesk.operations.context import OperationContext
    from leaddesk.storage.database import open_database, resolve_location

    location = resolve_location(args.data_dir, args.database_url)
    return OperationContext(db=open_database(location))


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
