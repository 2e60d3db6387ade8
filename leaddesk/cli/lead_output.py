"""A lead as the commands print it: the JSON record of ``list --json``, and warnings."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection


def lead_records(
    connection: Connection, lead_ids: Sequence[int], now: dt.datetime
) -> list[dict[str, Any]]:
    """The leads as ``leaddesk list --json`` prints them, in the order of ``lead_ids``."""
    from leaddesk.operations.lead_listing import add_list_extras
    from leaddesk.storage.queries import LeadFilter, lead_list_query
    from leaddesk.storage.records import lead_record
    from leaddesk.storage.schema import leads

    query = lead_list_query(connection.dialect.name, LeadFilter()).where(
        leads.c.id.in_(list(lead_ids))
    )
    by_id = {row.id: lead_record(row) for row in connection.execute(query)}
    records = [by_id[lead_id] for lead_id in lead_ids if lead_id in by_id]
    add_list_extras(connection, records, now)
    return records


def warn_soft_problems(values: Mapping[str, Any], label: str = "") -> None:
    """What the form shows beside a field but saves anyway (an odd email), on stderr."""
    from leaddesk.core.lead_values import soft_problems

    for problem in soft_problems(values).values():
        print(f"leaddesk: warning: {label}{problem} It is saved as typed.", file=sys.stderr)
