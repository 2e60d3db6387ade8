"""The fields progressive profiling looks at, for many leads at once (board cards)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from leaddesk.core.fields import FIELDS_BY_NAME
from leaddesk.core.profiling import KEY_FIELDS, lead_completeness
from leaddesk.storage.schema import leads

_NAMES = sorted(
    {name for names in KEY_FIELDS.values() for name in names}
    | {"disqualification_reason", "temperature", "stage"}
)
_COLUMNS = [leads.c[FIELDS_BY_NAME[name].column_name] for name in _NAMES]


def profile_values(connection: Connection, lead_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The key-field values of each lead, by field name."""
    query = select(leads.c.id, *_COLUMNS).where(leads.c.id.in_(lead_ids))
    return {
        row.id: {name: row._mapping[FIELDS_BY_NAME[name].column_name] for name in _NAMES}
        for row in connection.execute(query)
    }


def card_completeness(connection: Connection, lead_ids: Sequence[int]) -> dict[int, float]:
    """Completeness of the tiers each lead has reached, 0.0 to 1.0."""
    return {
        lead_id: lead_completeness(values)["overall"]
        for lead_id, values in profile_values(connection, lead_ids).items()
    }
