"""A lead as plain data: what `leaddesk list --json` prints and export writes."""

from __future__ import annotations

from typing import Any

from leaddesk.core.fields import LEAD_FIELDS, FieldKind


def _conversion(kind: FieldKind) -> str:
    if kind is FieldKind.MONEY:
        return "money"
    if kind in (FieldKind.DATE, FieldKind.DATETIME):
        return "moment"
    return ""


# How each field is read from a row, worked out once: (name, column, conversion),
# where the conversion is "money", "moment" (to ISO text) or "" (as stored).
_READ_PLAN: tuple[tuple[str, str, str], ...] = tuple(
    (
        field.name,
        "owner" if field.kind is FieldKind.OWNER else field.column_name,
        _conversion(field.kind),
    )
    for field in LEAD_FIELDS
)
_EXTRAS: tuple[tuple[str, str], ...] = (
    ("score", ""),
    ("next_follow_up", "moment"),
    ("first_contacted_at", "moment"),
    ("created_at", "moment"),
    ("updated_at", "moment"),
    ("version", ""),
)


def lead_record(row: Any) -> dict[str, Any]:
    """Every field of a lead row from queries.lead_list_query, JSON-ready.

    Times are ISO 8601 in UTC, money is a number in currency units, the owner is
    the team member's name, absent values are None.
    """
    mapping = row._mapping
    record: dict[str, Any] = {"id": mapping["id"]}
    for name, column, conversion in (*_READ_PLAN, *((extra, extra, c) for extra, c in _EXTRAS)):
        value = mapping[column]
        if value is not None and conversion:
            value = value / 100 if conversion == "money" else value.isoformat()
        record[name] = value
    return record
