"""Read and write the settings declared in leaddesk.core.settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select

from leaddesk.core.settings import SETTINGS_BY_KEY
from leaddesk.storage.schema import settings as settings_table


def read_settings(connection: Connection) -> dict[str, Any]:
    """Every declared setting: the stored value where the user changed it, else the default."""
    values = {key: spec.default for key, spec in SETTINGS_BY_KEY.items()}
    stored = connection.execute(select(settings_table.c.key, settings_table.c.value))
    for key, value in stored:
        if key in values:
            values[key] = value
    return values


def write_setting(session: Connection, key: str, value: Any) -> None:
    if key not in SETTINGS_BY_KEY:
        raise KeyError(f"unknown setting {key!r}")
    session.execute(delete(settings_table).where(settings_table.c.key == key))
    if value != SETTINGS_BY_KEY[key].default:
        session.execute(settings_table.insert().values(key=key, value=value))
