"""The fields progressive profiling looks at, for many leads at once (board cards)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from leaddesk.core.profiling import KEY_FIELDS, lead_completeness
from leaddesk.storage.lead_rows import stored_leads_fields

_NAMES = sorted(
    {name for names in KEY_FIELDS.values() for name in names}
    | {"disqualification_reason", "temperature", "stage"}
)


def profile_values(connection: Connection, lead_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The key-field values of each lead, by field name."""
    return stored_leads_fields(connection, lead_ids, _NAMES)


def card_completeness(connection: Connection, lead_ids: Sequence[int]) -> dict[int, float]:
    """Completeness of the tiers each lead has reached, 0.0 to 1.0."""
    return {
        lead_id: lead_completeness(values)["overall"]
        for lead_id, values in profile_values(connection, lead_ids).items()
    }
