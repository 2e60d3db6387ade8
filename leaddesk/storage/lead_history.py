"""What happened to one lead: its activities and its stage changes, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select

from leaddesk.storage.schema import activities, stage_history


@dataclass(frozen=True, slots=True)
class ActivityEntry:
    id: int
    kind: str
    occurred_at: dt.datetime
    text: str | None
    created_by: str | None


@dataclass(frozen=True, slots=True)
class StageChange:
    from_stage: str | None
    to_stage: str
    changed_at: dt.datetime
    changed_by: str | None


def lead_activities(
    connection: Connection, lead_id: int, *, limit: int = 200
) -> list[ActivityEntry]:
    """The lead's activities, latest first (a long history shows its recent part)."""
    query = (
        select(
            activities.c.id,
            activities.c.kind,
            activities.c.occurred_at,
            activities.c.text,
            activities.c.created_by,
        )
        .where(activities.c.lead_id == lead_id)
        .order_by(activities.c.occurred_at.desc(), activities.c.id.desc())
        .limit(limit)
    )
    return [ActivityEntry(**row._mapping) for row in connection.execute(query)]


def lead_stage_history(connection: Connection, lead_id: int) -> list[StageChange]:
    """Every stage change of the lead, latest first."""
    query = (
        select(
            stage_history.c.from_stage,
            stage_history.c.to_stage,
            stage_history.c.changed_at,
            stage_history.c.changed_by,
        )
        .where(stage_history.c.lead_id == lead_id)
        .order_by(stage_history.c.changed_at.desc(), stage_history.c.id.desc())
    )
    return [StageChange(**row._mapping) for row in connection.execute(query)]
