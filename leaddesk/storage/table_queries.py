"""Reading leads for the lead table: ids in any sort order, row data a page at a time.

The table holds only the ordered ids of the current sort and filter; every sort
is done here, in SQL, and shaped so the database reads the ids in order from an
index instead of sorting the table (migration 0004 adds the indexes):

- plain columns (score, created) and lower-cased text (name, company, source):
  ``WHERE deleted_at IS NULL ORDER BY key, id``, one index scan. Blank values go
  last in both directions, read by a second query.
- temperature and stage: one query per value in pipeline order, each in board
  order (the board's own index).
- owner: one query per team member in name order (few), the unowned last.
- next follow-up and last activity: the open follow-ups (the activities) in time
  order from an index that carries the lead id, the first time each lead appears
  kept; leads with none last. Python only removes repeated ids.
- SLA due: only new, uncontacted leads have a deadline, and they are few; they
  are sorted by deadline, the rest follow.

Ties are broken by id, in the sort's direction (temperature and stage: board order).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, select

from leaddesk.core.agenda import DEFAULT_SLA_MINUTES, sla_deadline
from leaddesk.core.fields import Stage, Temperature
from leaddesk.storage.agenda_queries import NEW_STAGE
from leaddesk.storage.queries import LeadFilter
from leaddesk.storage.schema import activities, follow_ups, leads, owners

# Ids per IN (...) query: well under SQLite's bound-parameter limit.
_CHUNK = 500


class SortKey(StrEnum):
    """A column the lead table sorts by."""

    NAME = "name"
    COMPANY = "company"
    SCORE = "score"
    TEMPERATURE = "temperature"
    STAGE = "stage"
    OWNER = "owner"
    NEXT_FOLLOW_UP = "next_follow_up"
    SLA_DUE = "sla_due"
    SOURCE = "source"
    CREATED = "created"
    LAST_ACTIVITY = "last_activity"


def _live(connection: Connection, lead_filter: LeadFilter) -> list[ColumnElement[bool]]:
    return lead_filter.conditions(connection.dialect.name)


def _ids(connection: Connection, query: Any) -> list[int]:
    # Plain integers straight from the driver's cursor: at 100,000 ids SQLAlchemy's
    # per-row result processing would cost as much as the index scan itself.
    result = connection.execute(query)
    cursor = result.cursor
    if cursor is None:  # pragma: no cover - a select always has a cursor
        return list(result.scalars())
    try:
        return [row[0] for row in cursor.fetchall()]
    finally:
        result.close()


def _by_column(
    connection: Connection,
    lead_filter: LeadFilter,
    keys: Sequence[ColumnElement[Any]],
    descending: bool,
    blank: ColumnElement[bool] | None = None,
    blank_keys: Sequence[ColumnElement[Any]] = (),
) -> list[int]:
    """Ids ordered by ``keys`` (then id), the rows where ``blank`` holds after them."""
    conditions = _live(connection, lead_filter)
    order = [*keys, leads.c.id]
    present = select(leads.c.id).where(*conditions)
    if blank is not None:
        present = present.where(~blank)
    ordered = _ids(
        connection, present.order_by(*(key.desc() if descending else key for key in order))
    )
    if blank is None:
        return ordered
    tail_order = [*blank_keys, leads.c.id]
    tail = select(leads.c.id).where(*conditions, blank)
    return ordered + _ids(
        connection, tail.order_by(*(key.desc() if descending else key for key in tail_order))
    )


def _by_choice(
    connection: Connection, lead_filter: LeadFilter, column: str, values: Sequence[str]
) -> list[int]:
    """Ids grouped by the values of ``column`` in the order given, each group in board order."""
    conditions = _live(connection, lead_filter)
    ordered: list[int] = []
    for value in values:
        query = (
            select(leads.c.id)
            .where(*conditions, leads.c[column] == value)
            .order_by(leads.c.board_rank, leads.c.id)
        )
        ordered += _ids(connection, query)
    return ordered


def _by_owner(connection: Connection, lead_filter: LeadFilter, descending: bool) -> list[int]:
    conditions = _live(connection, lead_filter)
    team = _ids(connection, select(owners.c.id).order_by(func.lower(owners.c.name), owners.c.id))
    if descending:
        team.reverse()
    id_order = leads.c.id.desc() if descending else leads.c.id
    ordered: list[int] = []
    for owner_id in team:
        query = select(leads.c.id).where(*conditions, leads.c.owner_id == owner_id)
        ordered += _ids(connection, query.order_by(id_order))
    unowned = select(leads.c.id).where(*conditions, leads.c.owner_id.is_(None))
    return ordered + _ids(connection, unowned.order_by(id_order))


def _first_seen_order(
    connection: Connection, lead_filter: LeadFilter, timeline: Any, descending: bool
) -> list[int]:
    """Leads in the order they first appear in ``timeline`` (lead ids in time order).

    ``timeline`` is read from an index in time order; a lead's first appearance is
    its earliest (or latest) time. Leads that never appear follow, by id.
    """
    matching = _ids(connection, select(leads.c.id).where(*_live(connection, lead_filter)))
    live = set(matching)
    seen = list(dict.fromkeys(_ids(connection, timeline)))
    ordered = [lead_id for lead_id in seen if lead_id in live]
    if descending:
        ordered.reverse()
    found = set(ordered)
    rest = [lead_id for lead_id in matching if lead_id not in found]
    rest.sort(reverse=descending)
    return ordered + rest


def _by_sla(
    connection: Connection,
    lead_filter: LeadFilter,
    descending: bool,
    sla_minutes: Mapping[Temperature, int],
) -> list[int]:
    """New leads not contacted yet by deadline (few), then every other lead by id."""
    conditions = _live(connection, lead_filter)
    awaiting = awaiting_condition()
    if connection.dialect.name == "sqlite":
        # The deadline in SQL: created_at (naive UTC text) as a Julian day plus the
        # temperature's minutes as a fraction of a day.
        minutes = case(
            *((leads.c.temperature == t.value, sla_minutes[t]) for t in Temperature),
            else_=sla_minutes[Temperature.COLD],
        )
        deadline = func.julianday(leads.c.created_at) + minutes / 1440.0
        direction = [deadline.desc(), leads.c.id.desc()] if descending else [deadline, leads.c.id]
        due = _ids(connection, select(leads.c.id).where(*conditions, awaiting).order_by(*direction))
    else:
        rows = connection.execute(
            select(leads.c.id, leads.c.created_at, leads.c.temperature).where(*conditions, awaiting)
        )
        timed = sorted(
            ((sla_deadline(row.created_at, row.temperature, sla_minutes), row.id) for row in rows),
            reverse=descending,
        )
        due = [lead_id for _deadline, lead_id in timed]
    waiting = set(due)
    # The rest by id, sorted here: asked for "ORDER BY id", SQLite would pick one of
    # the sort indexes for deleted_at and sort the whole table.
    rest = [
        lead_id
        for lead_id in _ids(connection, select(leads.c.id).where(*conditions))
        if lead_id not in waiting
    ]
    rest.sort(reverse=descending)
    return due + rest


def awaiting_condition() -> ColumnElement[bool]:
    """A new lead not contacted yet: its speed-to-lead deadline runs (agenda_queries)."""
    return (leads.c.stage == NEW_STAGE) & leads.c.first_contacted_at.is_(None)


def _lower(column: Any) -> Any:
    return func.lower(column)


def ordered_ids(
    connection: Connection,
    key: SortKey,
    descending: bool = False,
    lead_filter: LeadFilter | None = None,
    sla_minutes: Mapping[Temperature, int] = DEFAULT_SLA_MINUTES,
) -> list[int]:
    """The ids of the leads matching ``lead_filter``, sorted by ``key``."""
    lead_filter = lead_filter or LeadFilter()
    match key:
        case SortKey.SCORE | SortKey.CREATED:
            column = leads.c.score if key is SortKey.SCORE else leads.c.created_at
            return _by_column(connection, lead_filter, [column], descending)
        case SortKey.COMPANY | SortKey.SOURCE:
            text = _lower(leads.c[key.value])
            return _by_column(connection, lead_filter, [text], descending, text.is_(None))
        case SortKey.NAME:
            # By first name, then last name, as the name reads; leads without a
            # first name after them, by last name or else email.
            first = _lower(leads.c.first_name)
            rest = func.coalesce(_lower(leads.c.last_name), _lower(leads.c.email), "")
            keys = [first, _lower(leads.c.last_name)]
            return _by_column(connection, lead_filter, keys, descending, first.is_(None), [rest])
        case SortKey.TEMPERATURE | SortKey.STAGE:
            values = [
                value.value for value in (Temperature if key is SortKey.TEMPERATURE else Stage)
            ]
            if descending:
                values.reverse()
            return _by_choice(connection, lead_filter, key.value, values)
        case SortKey.OWNER:
            return _by_owner(connection, lead_filter, descending)
        case SortKey.NEXT_FOLLOW_UP:
            timeline = (
                select(follow_ups.c.lead_id)
                .where(follow_ups.c.done_at.is_(None))
                .order_by(follow_ups.c.due_at)
            )
            return _first_seen_order(connection, lead_filter, timeline, descending)
        case SortKey.LAST_ACTIVITY:
            # Newest first from the index; ascending is that order reversed.
            timeline = select(activities.c.lead_id).order_by(activities.c.occurred_at.desc())
            return _first_seen_order(connection, lead_filter, timeline, not descending)
        case SortKey.SLA_DUE:
            return _by_sla(connection, lead_filter, descending, sla_minutes)
    raise AssertionError(key)


@dataclass(frozen=True, slots=True)
class TableRow:
    """What one row of the lead table shows."""

    id: int
    first_name: str | None
    last_name: str | None
    email: str | None
    company: str | None
    score: int
    temperature: str
    stage: str
    owner: str | None
    next_follow_up: dt.datetime | None
    source: str | None
    created_at: dt.datetime
    first_contacted_at: dt.datetime | None
    last_activity: dt.datetime | None

    def sla_due(
        self, sla_minutes: Mapping[Temperature, int] = DEFAULT_SLA_MINUTES
    ) -> dt.datetime | None:
        """The first-contact deadline while it runs (a new lead not contacted yet)."""
        if self.stage != NEW_STAGE or self.first_contacted_at is not None:
            return None
        return sla_deadline(self.created_at, self.temperature, sla_minutes)


def _as_utc(value: Any) -> dt.datetime | None:
    # min()/max() bypass the column type on SQLite: they come back as naive UTC text.
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def table_rows(connection: Connection, lead_ids: Iterable[int]) -> dict[int, TableRow]:
    """The table's columns for ``lead_ids`` (those still live), by id."""
    next_follow_up = (
        select(func.min(follow_ups.c.due_at))
        .where(follow_ups.c.lead_id == leads.c.id, follow_ups.c.done_at.is_(None))
        .correlate(leads)
        .scalar_subquery()
    )
    last_activity = (
        select(func.max(activities.c.occurred_at))
        .where(activities.c.lead_id == leads.c.id)
        .correlate(leads)
        .scalar_subquery()
    )
    ids = list(dict.fromkeys(lead_ids))
    found: dict[int, TableRow] = {}
    for start in range(0, len(ids), _CHUNK):
        query = (
            select(
                leads.c.id,
                leads.c.first_name,
                leads.c.last_name,
                leads.c.email,
                leads.c.company,
                leads.c.score,
                leads.c.temperature,
                leads.c.stage,
                owners.c.name.label("owner"),
                next_follow_up.label("next_follow_up"),
                leads.c.source,
                leads.c.created_at,
                leads.c.first_contacted_at,
                last_activity.label("last_activity"),
            )
            .select_from(leads.outerjoin(owners, owners.c.id == leads.c.owner_id))
            .where(leads.c.id.in_(ids[start : start + _CHUNK]), leads.c.deleted_at.is_(None))
        )
        for row in connection.execute(query):
            values = dict(row._mapping)
            values["next_follow_up"] = _as_utc(values["next_follow_up"])
            values["last_activity"] = _as_utc(values["last_activity"])
            found[row.id] = TableRow(**values)
    return found
