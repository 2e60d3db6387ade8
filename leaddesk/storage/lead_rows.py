"""Reading leads as field dicts: one lead, many leads, and the row -> dict conversion.

A lead's fields come back by field name (core/fields.py) as stored: money in
integer cents, dates and times as ``date``/``datetime``, choices (temperature,
stage, consent, ...) as their stored text, absent values as None. The owner is
the team member's id in ``stored_fields`` and the name in ``lead_fields``.
``json_fields`` is the JSON-ready variant that ``leaddesk list --json`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from leaddesk.core.fields import LEAD_FIELDS, FieldKind, LeadField
from leaddesk.storage.queries import LeadFilter, lead_list_query
from leaddesk.storage.schema import leads

FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in LEAD_FIELDS)
# The column each field is stored in ("deal_value" -> "deal_value_cents", "owner" -> "owner_id").
COLUMN_OF: dict[str, str] = {field.name: field.column_name for field in LEAD_FIELDS}

# Ids per query: well under SQLite's bound-parameter limit.
ID_CHUNK = 500


def stored_fields(mapping: Mapping[Any, Any], names: Iterable[str] = FIELD_NAMES) -> dict[str, Any]:
    """The fields ``names`` of a stored lead row as stored (money in cents, owner as its id)."""
    return {name: mapping[COLUMN_OF[name]] for name in names}


def lead_fields(mapping: Mapping[Any, Any]) -> dict[str, Any]:
    """Every field of a ``queries.lead_list_query`` row, as the form and the gate read them.

    Values as stored, but the owner by name (the query joins it in as "owner").
    """
    values = stored_fields(mapping)
    values["owner"] = mapping["owner"]
    return values


# How a field becomes JSON-ready: (name, column, conversion), where the
# conversion is "money" (cents to currency units), "moment" (a date or time to
# ISO 8601 text) or "" (as stored). Worked out once, so that reading many rows
# does not look each field's kind up again per value.
JsonReadPlan = tuple[tuple[str, str, str], ...]


def _json_conversion(kind: FieldKind) -> str:
    if kind is FieldKind.MONEY:
        return "money"
    if kind in (FieldKind.DATE, FieldKind.DATETIME):
        return "moment"
    return ""


def json_read_plan(fields: Iterable[LeadField]) -> JsonReadPlan:
    """The plan that reads ``fields`` from a ``queries.lead_list_query`` row (owner by name)."""
    return tuple(
        (
            field.name,
            "owner" if field.kind is FieldKind.OWNER else field.column_name,
            _json_conversion(field.kind),
        )
        for field in fields
    )


JSON_READ_PLAN: JsonReadPlan = json_read_plan(LEAD_FIELDS)


def json_fields(mapping: Mapping[Any, Any], plan: JsonReadPlan = JSON_READ_PLAN) -> dict[str, Any]:
    """A lead row read by ``plan``, JSON-ready, keys in the plan's order.

    Money is a number in currency units, dates and times are ISO 8601 text,
    absent values are None, everything else is as stored.
    """
    record: dict[str, Any] = {}
    for name, column, conversion in plan:
        value = mapping[column]
        if value is not None and conversion:
            value = value / 100 if conversion == "money" else value.isoformat()
        record[name] = value
    return record


def _chunks(lead_ids: Iterable[int]) -> Iterator[list[int]]:
    ids = list(dict.fromkeys(lead_ids))
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]


def stored_lead(connection: Connection, lead_id: int) -> dict[str, Any] | None:
    """Every stored field of one lead not in the trash (owner as its id), or None."""
    query = select(leads).where(leads.c.id == lead_id, leads.c.deleted_at.is_(None))
    row = connection.execute(query).one_or_none()
    return None if row is None else stored_fields(row._mapping)


def stored_leads_fields(
    connection: Connection, lead_ids: Iterable[int], names: Sequence[str] = FIELD_NAMES
) -> dict[int, dict[str, Any]]:
    """The stored fields ``names`` of these leads by id, the trash included.

    Reads only the columns of ``names``, one query per ``ID_CHUNK`` ids.
    """
    query = select(leads.c.id, *(leads.c[COLUMN_OF[name]] for name in names))
    found: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(lead_ids):
        for row in connection.execute(query.where(leads.c.id.in_(chunk))):
            found[row.id] = stored_fields(row._mapping, names)
    return found


def live_leads_fields(connection: Connection, lead_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """``lead_fields`` of the leads among ``lead_ids`` not in the trash, by id.

    One query per ``ID_CHUNK`` ids, not one per lead.
    """
    query = lead_list_query(connection.dialect.name, LeadFilter())
    found: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(lead_ids):
        for row in connection.execute(query.where(leads.c.id.in_(chunk))):
            found[row.id] = lead_fields(row._mapping)
    return found


def stored_rows(connection: Connection, lead_ids: Iterable[int]) -> dict[int, Any]:
    """The whole stored rows of these leads by id, the trash included.

    For what needs more of a lead than its fields (its ``updated_at`` for a
    merge proposal, its derived columns); ``stored_fields`` reads the fields.
    """
    found: dict[int, Any] = {}
    for chunk in _chunks(lead_ids):
        for row in connection.execute(select(leads).where(leads.c.id.in_(chunk))):
            found[row.id] = row
    return found
