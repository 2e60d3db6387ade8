"""What `leaddesk list --json` adds to each lead's fields: history, score reasons, completeness.

Read for many leads at once: a few queries per chunk of leads, never one per
lead, so listing 100,000 leads costs seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from leaddesk.core.profiling import lead_completeness
from leaddesk.core.scoring import BatchScorer
from leaddesk.operations.scoring import lead_facts, load_rules, load_score_settings
from leaddesk.storage.schema import stage_history

# Lead ids per query: well under SQLite's limit on bound parameters.
_CHUNK = 900


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _stage_histories(connection: Connection, ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    histories: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = connection.execute(
        select(
            stage_history.c.lead_id,
            stage_history.c.from_stage,
            stage_history.c.to_stage,
            stage_history.c.changed_at,
        )
        .where(stage_history.c.lead_id.in_(ids))
        .order_by(stage_history.c.lead_id, stage_history.c.changed_at, stage_history.c.id)
    )
    for lead_id, from_stage, to_stage, changed_at in rows:
        histories[lead_id].append({"from": from_stage, "to": to_stage, "at": _iso(changed_at)})
    return histories


def add_list_extras(
    connection: Connection, records: list[dict[str, Any]], now: dt.datetime
) -> None:
    """Give every record ``stage_history``, ``score_reasons``, ``suggested_temperature``
    and ``completeness``, in place.

    ``stage_history`` is oldest first, each ``{"from", "to", "at"}`` (``from`` is
    null for the stage a lead was created in). ``score_reasons`` lists every
    rule that fires now, ``{"rule", "points"}``; ``suggested_temperature`` is
    what that score suggests under the stored cut-offs. ``completeness`` has a
    fraction (0-1) per tier and ``overall``.
    """
    scorer = BatchScorer(load_rules(connection), load_score_settings(connection), now=now)
    for start in range(0, len(records), _CHUNK):
        chunk = records[start : start + _CHUNK]
        ids = [record["id"] for record in chunk]
        histories = _stage_histories(connection, ids)
        facts = lead_facts(connection, ids)
        for record in chunk:
            lead_id = record["id"]
            record["stage_history"] = histories.get(lead_id, [])
            result = scorer.score(facts[lead_id])
            record["score_reasons"] = [
                {"rule": reason.rule, "points": reason.points} for reason in result.reasons
            ]
            record["suggested_temperature"] = result.suggested_temperature.value
            record["completeness"] = lead_completeness(record)
