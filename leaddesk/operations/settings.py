"""Changing the settings stored in the database (declared in leaddesk.core.settings)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leaddesk.core.settings import SETTINGS_BY_KEY
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes
from leaddesk.operations.context import OperationContext
from leaddesk.storage.settings_store import read_settings, write_setting


def update_settings(ctx: OperationContext, values: Mapping[str, Any]) -> Changes:
    """Store ``values`` (setting key -> value) in one transaction.

    A value equal to its default is stored as "not changed", so a later change
    of the default reaches this database too. Unknown keys are refused before
    anything is written; nothing changes when every value is already current.
    """
    unknown = sorted(key for key in values if key not in SETTINGS_BY_KEY)
    if unknown:
        raise UserError(f"'{unknown[0]}' is not a LeadDesk setting.")
    with ctx.db.transaction() as connection:
        current = read_settings(connection)
        changed = {key: value for key, value in values.items() if current.get(key) != value}
        for key, value in changed.items():
            write_setting(connection, key, value)
    if not changed:
        return Changes()
    return Changes(settings=True, description="Change settings")
