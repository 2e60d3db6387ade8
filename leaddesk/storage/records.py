"""A lead as plain data: what `leaddesk list --json` prints and export writes."""

from __future__ import annotations

from typing import Any

from leaddesk.storage.lead_rows import JSON_READ_PLAN, JsonReadPlan, json_fields

# The id first, then every field, then what the lead's history and follow-ups add.
_RECORD_PLAN: JsonReadPlan = (
    ("id", "id", ""),
    *JSON_READ_PLAN,
    ("score", "score", ""),
    ("next_follow_up", "next_follow_up", "moment"),
    ("first_contacted_at", "first_contacted_at", "moment"),
    ("created_at", "created_at", "moment"),
    ("updated_at", "updated_at", "moment"),
    ("version", "version", ""),
)


def lead_record(row: Any) -> dict[str, Any]:
    """Every field of a lead row from queries.lead_list_query, JSON-ready.

    Times are ISO 8601 in UTC, money is a number in currency units, the owner is
    the team member's name, absent values are None.
    """
    return json_fields(row._mapping, _RECORD_PLAN)
