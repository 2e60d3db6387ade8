"""Reading leads for the lead table: ids in any sort order, row data a page at a time.

The table holds only the ordered ids of the current sort and filter; every sort
is done here, in SQL, and shaped so the database reads the ids in order from an
index instead of sorting the table (migrations 0005 and 0006 add the indexes;
each ORDER BY names exactly an index's expressions, in its direction, with the
id as the tie-break that every index carries; tests/storage/test_table_queries.py
checks that no sort asks SQLite for a temporary B-tree but the SLA's few):

- plain columns (score, created, and the stored last activity and next open
  follow-up, storage/lead_times.py) and lower-cased text (name, company,
  source): ``WHERE deleted_at IS NULL ORDER BY key, id``, one index scan. Blank
  values go last in both directions, read by a second query.
- temperature and stage: one query per value in pipeline order, each in board
  order (the board's own index).
- owner: one query per team member in name order (few), the unowned last.
- SLA due: only new, uncontacted leads that arrived new (``sla_applies``, not
  another system's history) have a deadline, and they are few; they are sorted
  by deadline, the rest follow.

Ties are broken by id, in the sort's direction (temperature and stage: board order).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, literal_column, select

from leaddesk.core.agenda import DEFAULT_SLA_MINUTES, sla_deadline
from leaddesk.core.fields import Stage, Temperature
from leaddesk.storage.agenda_queries import NEW_STAGE, awaiting_condition
from leaddesk.storage.queries import LeadFilter
from leaddesk.storage.schema import leads, owners

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


# The sort keys read from a stored column of the lead (migration 0006).
_STORED_TIME = {
    SortKey.NEXT_FOLLOW_UP: "next_follow_up_at",
    SortKey.LAST_ACTIVITY: "last_activity_at",
}


def _live(connection: Connection, lead_filter: LeadFilter) -> list[ColumnElement[bool]]:
    return lead_filter.conditions(connection.dialect.name)


def _ids(connection: Connection, query: Any) -> list[int]:
    """The first column of ``query``'s rows, in its order, as plain integers."""
    if connection.dialect.name == "sqlite":
        # One JSON array built by SQLite and parsed by the json module's C code:
        # about half the time of fetching 100,000 one-column rows. The ordered
        # query is a subquery of an aggregate, which SQLite never flattens, so the
        # array keeps its order (the sort tests compare it with a Python sort).
        ordered = query.subquery()
        array = select(func.json_group_array(next(iter(ordered.c))))
        text = connection.execute(array).scalar()
        return list(json.loads(text)) if text else []
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
    present: ColumnElement[bool] | None = None,
) -> list[int]:
    """Ids ordered by ``keys`` (then id), the rows where ``blank`` holds after them.

    ``present`` is ``not blank`` written in the index's terms, when ``~blank`` is not.
    """
    conditions = _live(connection, lead_filter)
    order = [*keys, leads.c.id]
    head = select(leads.c.id).where(*conditions)
    if blank is not None:
        head = head.where(~blank if present is None else present)
    ordered = _ids(connection, head.order_by(*(key.desc() if descending else key for key in order)))
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


def _by_sla(
    connection: Connection,
    lead_filter: LeadFilter,
    descending: bool,
    sla_minutes: Mapping[Temperature, int],
) -> list[int]:
    """Leads whose deadline runs, by deadline (few), then every other lead by id."""
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
    # the sort indexes for deleted_at and sort the whole table. Unasked, it reads
    # ix_leads_live (0006), whose ids come in order: the sort below finds them sorted.
    rest = [
        lead_id
        for lead_id in _ids(connection, select(leads.c.id).where(*conditions))
        if lead_id not in waiting
    ]
    rest.sort(reverse=descending)
    return due + rest


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
            # first name after them, by last name or else email. Each key is
            # written exactly as its index (0005 ix_leads_live_name, 0006
            # ix_leads_live_unnamed, partial on "first_name IS NULL") says it:
            # the named leads are tested by lower(first_name), which the index
            # holds, the others by first_name IS NULL, the partial index's WHERE.
            first = _lower(leads.c.first_name)
            keys = [first, _lower(leads.c.last_name)]
            rest = func.coalesce(
                _lower(leads.c.last_name), _lower(leads.c.email), literal_column("''")
            )
            return _by_column(
                connection,
                lead_filter,
                keys,
                descending,
                leads.c.first_name.is_(None),
                [rest],
                present=first.is_not(None),
            )
        case SortKey.TEMPERATURE | SortKey.STAGE:
            values = [
                value.value for value in (Temperature if key is SortKey.TEMPERATURE else Stage)
            ]
            if descending:
                values.reverse()
            return _by_choice(connection, lead_filter, key.value, values)
        case SortKey.OWNER:
            return _by_owner(connection, lead_filter, descending)
        case SortKey.NEXT_FOLLOW_UP | SortKey.LAST_ACTIVITY:
            # Stored on the lead (storage/lead_times.py); leads with none go last.
            stored = leads.c[_STORED_TIME[key]]
            return _by_column(connection, lead_filter, [stored], descending, stored.is_(None))
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
    sla_applies: bool
    """False for a lead brought in from another system's history: it has no deadline."""

    def sla_due(
        self, sla_minutes: Mapping[Temperature, int] = DEFAULT_SLA_MINUTES
    ) -> dt.datetime | None:
        """The first-contact deadline while it runs.

        It runs for a new lead not contacted yet that arrived new (not history).
        """
        if not self.sla_applies or self.stage != NEW_STAGE or self.first_contacted_at is not None:
            return None
        return sla_deadline(self.created_at, self.temperature, sla_minutes)


def table_rows(connection: Connection, lead_ids: Iterable[int]) -> dict[int, TableRow]:
    """The table's columns for ``lead_ids`` (those still live), by id."""
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
                leads.c.next_follow_up_at.label("next_follow_up"),
                leads.c.source,
                leads.c.created_at,
                leads.c.first_contacted_at,
                leads.c.last_activity_at.label("last_activity"),
                leads.c.sla_applies,
            )
            .select_from(leads.outerjoin(owners, owners.c.id == leads.c.owner_id))
            .where(leads.c.id.in_(ids[start : start + _CHUNK]), leads.c.deleted_at.is_(None))
        )
        for row in connection.execute(query):
            found[row.id] = TableRow(**row._mapping)
    return found
