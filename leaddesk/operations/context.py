"""Everything an operation needs besides its arguments."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from leaddesk.core.clock import Clock, SystemClock
from leaddesk.storage.database import Database


def _login_name() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some sandboxes and services
        return None


@dataclass
class OperationContext:
    """The database, the clock and who is acting (recorded as created_by/updated_by)."""

    db: Database
    clock: Clock = field(default_factory=SystemClock)
    actor: str | None = field(default_factory=_login_name)
