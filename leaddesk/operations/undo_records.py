"""An undo delta as JSON, to keep in the database and undo from another process later.

The window's undo lives in memory (ui/undo.py); the command line runs once and
exits, so what it may undo later (a merge) is stored as its delta. Values are
written as JSON and read back by their column's type: a timestamp or a date
becomes the same datetime or date again, so the delta written back is exact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date

from leaddesk.operations.undo_support import Row, RowChange, UndoDelta
from leaddesk.storage.schema import metadata
from leaddesk.storage.types import UTCDateTime


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _encode_row(row: Row | None) -> dict[str, Any] | None:
    return None if row is None else {key: _encode_value(value) for key, value in row.items()}


def delta_to_json(delta: UndoDelta) -> dict[str, Any]:
    return {
        "description": delta.description,
        "changes": [
            {
                "table": change.table,
                "row_id": change.row_id,
                "before": _encode_row(change.before),
                "after": _encode_row(change.after),
            }
            for change in delta.changes
        ],
    }


def _decode_row(table_name: str, row: dict[str, Any] | None) -> Row | None:
    if row is None:
        return None
    table = metadata.tables[table_name]
    decoded: Row = {}
    for key, value in row.items():
        column_type = table.c[key].type
        if value is not None and isinstance(column_type, UTCDateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(column_type, Date):
            value = dt.date.fromisoformat(value)
        decoded[key] = value
    return decoded


def delta_from_json(data: dict[str, Any]) -> UndoDelta:
    return UndoDelta(
        tuple(
            RowChange(
                change["table"],
                int(change["row_id"]),
                _decode_row(change["table"], change["before"]),
                _decode_row(change["table"], change["after"]),
            )
            for change in data["changes"]
        ),
        str(data.get("description", "")),
    )
