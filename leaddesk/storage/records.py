"""A lead as plain data: what `leaddesk list --json` prints and export writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from leaddesk.core.fields import LEAD_FIELDS, FieldKind


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def lead_record(row: Any) -> dict[str, Any]:
    """Every field of a lead row from queries.lead_list_query, JSON-ready.

    Times are ISO 8601 in UTC, money is a number in currency units, the owner is
    the team member's name, absent values are None.
    """
    mapping = row._mapping
    record: dict[str, Any] = {"id": mapping["id"]}
    for field in LEAD_FIELDS:
        if field.kind is FieldKind.OWNER:
            value = mapping["owner"]
        elif field.kind is FieldKind.MONEY:
            cents = mapping[field.column_name]
            value = None if cents is None else cents / 100
        else:
            value = mapping[field.column_name]
        record[field.name] = _plain(value)
    for extra in (
        "score",
        "next_follow_up",
        "first_contacted_at",
        "created_at",
        "updated_at",
        "version",
    ):
        record[extra] = _plain(mapping[extra])
    return record
