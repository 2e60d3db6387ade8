"""Writing open follow-ups to an iCalendar file (`leaddesk agenda --ics`, Export button)."""

from __future__ import annotations

import os
import secrets

from leaddesk.core.ics import follow_ups_calendar
from leaddesk.core.paths import expanded
from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.storage.agenda_queries import open_follow_ups


def export_follow_ups_ics(ctx: OperationContext, path: str | os.PathLike[str]) -> int:
    """Write every open follow-up of a live lead to ``path``; returns how many.

    The file is written beside the destination and renamed over it once
    complete, so a calendar file already there is never left half written.
    """
    destination = expanded(path)
    if destination.is_dir():
        raise UserError(f"{destination} is a folder; choose a file name for the calendar.")
    if not destination.parent.is_dir():
        raise UserError(f"There is no folder {destination.parent}; choose another place.")
    with ctx.db.reading() as connection:
        entries = open_follow_ups(connection)
    content = follow_ups_calendar(entries, generated_at=ctx.clock.now())
    temporary = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.part")
    try:
        with open(temporary, "xb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, destination)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UserError(f"Cannot write {destination}: {error.strerror or error}.") from None
    return len(entries)
