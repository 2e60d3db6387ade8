"""Reading open follow-ups and leads without a next step for the agenda.

Built to stay fast at 100,000 leads: open follow-ups are read through
ix_follow_ups_open_due (done_at IS NULL, then a due_at range, already in due
order), and "no next step" probes ix_follow_ups_lead_open once per open lead
with NOT EXISTS instead of grouping every follow-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, case, func, literal_column, select

from leaddesk.core.agenda import (
    Agenda,
    AgendaWindow,
    Bucket,
    FollowUpEntry,
    LeadRef,
    agenda_window,
    build_agenda,
)
from leaddesk.core.fields import Stage, display_name
from leaddesk.storage.schema import follow_ups, leads, owners

# A lead in one of these stages has nothing left to follow up.
CLOSED_STAGES: tuple[str, ...] = (Stage.CUSTOMER.value, Stage.DISQUALIFIED.value)


def open_follow_ups_query(
    *,
    due_before: dt.datetime | None = None,
    lead_id: int | None = None,
    limit: int | None = None,
) -> Select[Any]:
    """Open follow-ups of live leads with the lead's name fields, soonest first."""
    query = (
        select(
            follow_ups.c.id,
            follow_ups.c.lead_id,
            follow_ups.c.due_at,
            follow_ups.c.note,
            leads.c.first_name,
            leads.c.last_name,
            leads.c.email,
        )
        .select_from(follow_ups.join(leads, leads.c.id == follow_ups.c.lead_id))
        .where(follow_ups.c.done_at.is_(None), leads.c.deleted_at.is_(None))
        .order_by(follow_ups.c.due_at, follow_ups.c.id)
    )
    if due_before is not None:
        query = query.where(follow_ups.c.due_at < due_before)
    if lead_id is not None:
        query = query.where(follow_ups.c.lead_id == lead_id)
    if limit is not None:
        query = query.limit(limit)
    return query


def _entries(connection: Connection, query: Select[Any]) -> list[FollowUpEntry]:
    """The rows of an ``open_follow_ups_query`` as agenda entries."""
    return [
        FollowUpEntry(
            follow_up_id=row.id,
            lead_id=row.lead_id,
            name=display_name(row.first_name, row.last_name, row.email),
            due_at=row.due_at,
            note=row.note,
        )
        for row in connection.execute(query)
    ]


def open_follow_ups(
    connection: Connection,
    *,
    due_before: dt.datetime | None = None,
    lead_id: int | None = None,
    limit: int | None = None,
) -> list[FollowUpEntry]:
    """Open follow-ups of live leads, soonest first (all of them unless bounded)."""
    query = open_follow_ups_query(due_before=due_before, lead_id=lead_id, limit=limit)
    return _entries(connection, query)


def _has_open_follow_up() -> Any:
    # Selecting an indexed column (not EXISTS (SELECT *)) lets SQLite answer
    # from ix_follow_ups_lead_open alone, without reading follow-up rows.
    return (
        select(follow_ups.c.lead_id)
        .where(follow_ups.c.lead_id == leads.c.id, follow_ups.c.done_at.is_(None))
        .exists()
    )


def _open_lead_conditions() -> list[Any]:
    return [leads.c.deleted_at.is_(None), leads.c.stage.not_in(CLOSED_STAGES)]


def no_next_step_query(*, limit: int | None = None) -> Select[Any]:
    """Open leads (not closed, not deleted) with no open follow-up: hot first, then oldest."""
    temperature_order = case({"hot": 0, "warm": 1}, value=leads.c.temperature, else_=2)
    query = (
        select(leads.c.id, leads.c.first_name, leads.c.last_name, leads.c.email)
        .where(*_open_lead_conditions(), ~_has_open_follow_up())
        .order_by(temperature_order, leads.c.id)
    )
    return query if limit is None else query.limit(limit)


def leads_without_next_step(connection: Connection, *, limit: int | None = None) -> list[LeadRef]:
    return [
        LeadRef(lead_id=row.id, name=display_name(row.first_name, row.last_name, row.email))
        for row in connection.execute(no_next_step_query(limit=limit))
    ]


def load_agenda(connection: Connection, now: dt.datetime, zone: dt.tzinfo) -> Agenda:
    """The agenda as the user in ``zone`` sees it at ``now``."""
    window = agenda_window(now, zone)
    entries = open_follow_ups(connection, due_before=window.upcoming_ends)
    return build_agenda(entries, leads_without_next_step(connection), now, zone)


def agenda_counts(connection: Connection, window: AgendaWindow) -> dict[str, int]:
    """How many entries each agenda section holds (for the tab and the tray icon)."""
    due = follow_ups.c.due_at

    def count_between(start: dt.datetime | None, end: dt.datetime) -> Any:
        within = due < end if start is None else and_(due >= start, due < end)
        return func.sum(case((within, 1), else_=0))

    def follow_up_counts(*conditions: Any) -> list[int]:
        row = connection.execute(
            select(
                count_between(None, window.now),
                count_between(window.now, window.tomorrow_starts),
                count_between(window.tomorrow_starts, window.upcoming_ends),
            ).where(follow_ups.c.done_at.is_(None), due < window.upcoming_ends, *conditions)
        ).one()
        return [int(value or 0) for value in row]

    # Every open follow-up in range, less those of deleted leads: the first is
    # answered from ix_follow_ups_open_due alone, the second probes
    # ix_follow_ups_lead_open for the (few) deleted leads. Joining every
    # follow-up to its lead to read deleted_at cost many times as much on a large
    # database (figures: benchmarks/README.md).
    deleted_leads = select(leads.c.id).where(leads.c.deleted_at.is_not(None))
    of_deleted = follow_up_counts(follow_ups.c.lead_id.in_(deleted_leads))
    overdue, today, upcoming = (
        every - deleted for every, deleted in zip(follow_up_counts(), of_deleted, strict=True)
    )
    no_next_step = connection.execute(
        select(func.count())
        .select_from(leads)
        .where(*_open_lead_conditions(), ~_has_open_follow_up())
    ).scalar_one()
    return {
        Bucket.OVERDUE.value: overdue,
        Bucket.TODAY.value: today,
        Bucket.UPCOMING.value: upcoming,
        "no_next_step": int(no_next_step),
    }


# --- what the window adds: details for agenda rows, reminders, speed-to-lead ---------------


@dataclass(frozen=True, slots=True)
class LeadDetails:
    """What an agenda row shows beside the name: whom to call, and how hot they are."""

    company: str | None
    phone: str | None
    temperature: str
    stage: str
    owner: str | None


def lead_details(connection: Connection, lead_ids: Sequence[int]) -> dict[int, LeadDetails]:
    if not lead_ids:
        return {}
    details: dict[int, LeadDetails] = {}
    ids = list(dict.fromkeys(lead_ids))
    # Chunked: SQLite limits the number of bound parameters of one statement.
    for start in range(0, len(ids), 500):
        query = (
            select(
                leads.c.id,
                leads.c.company,
                leads.c.phone,
                leads.c.temperature,
                leads.c.stage,
                owners.c.name.label("owner"),
            )
            .select_from(leads.outerjoin(owners, owners.c.id == leads.c.owner_id))
            .where(leads.c.id.in_(ids[start : start + 500]))
        )
        for row in connection.execute(query):
            details[row.id] = LeadDetails(
                row.company, row.phone, row.temperature, row.stage, row.owner
            )
    return details


def follow_ups_due_between(
    connection: Connection, after: dt.datetime | None, until: dt.datetime
) -> list[FollowUpEntry]:
    """Open follow-ups that came due in (after, until]: what a reminder announces."""
    query = open_follow_ups_query().where(follow_ups.c.due_at <= until)
    if after is not None:
        query = query.where(follow_ups.c.due_at > after)
    return _entries(connection, query)


def next_due_after(connection: Connection, after: dt.datetime) -> dt.datetime | None:
    """When the next open follow-up of a live lead comes due, after ``after``."""
    query = (
        select(func.min(follow_ups.c.due_at))
        .select_from(follow_ups.join(leads, leads.c.id == follow_ups.c.lead_id))
        .where(
            follow_ups.c.done_at.is_(None),
            leads.c.deleted_at.is_(None),
            follow_ups.c.due_at > after,
        )
    )
    value = connection.execute(query).scalar()
    if value is None:
        return None
    # min() bypasses the column type on SQLite: it comes back as naive UTC text.
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


# A lead is new (and its speed-to-lead deadline runs) until it is first contacted
# or has moved on from the first stage -- if it arrived new: an imported lead from
# another system's history has no deadline (leads.sla_applies).
NEW_STAGE = Stage.LEAD.value


def awaiting_condition() -> ColumnElement[bool]:
    """A lead whose speed-to-lead deadline runs: new, not contacted, and it arrived new.

    Written with the stage as a literal, term for term as the partial index
    ix_leads_live_awaiting (migration 0009) says it, so that SQLite can use it.
    """
    return (
        (leads.c.stage == literal_column(f"'{NEW_STAGE}'"))
        & leads.c.first_contacted_at.is_(None)
        & leads.c.sla_applies.is_(True)
    )


def awaiting_first_contact(
    connection: Connection, lead_ids: Sequence[int]
) -> dict[int, dt.datetime]:
    """Of ``lead_ids``, the new leads not contacted yet, with the time they were created."""
    waiting: dict[int, dt.datetime] = {}
    ids = list(dict.fromkeys(lead_ids))
    for start in range(0, len(ids), 500):
        query = select(leads.c.id, leads.c.created_at).where(
            leads.c.id.in_(ids[start : start + 500]),
            awaiting_condition(),
            leads.c.deleted_at.is_(None),
        )
        waiting.update({row.id: row.created_at for row in connection.execute(query)})
    return waiting


def follow_ups_in_range(
    connection: Connection,
    start: dt.datetime | None,
    end: dt.datetime,
    *,
    limit: int | None = None,
) -> list[FollowUpEntry]:
    """Open follow-ups of live leads due in [start, end), soonest first, up to ``limit``."""
    query = open_follow_ups_query(due_before=end, limit=limit)
    if start is not None:
        query = query.where(follow_ups.c.due_at >= start)
    return _entries(connection, query)


def still_due(connection: Connection, follow_up_ids: Sequence[int], now: dt.datetime) -> set[int]:
    """Of ``follow_up_ids``, those still open and due (not done, snoozed or deleted since)."""
    due: set[int] = set()
    ids = list(dict.fromkeys(follow_up_ids))
    # Chunked: SQLite limits the number of bound parameters of one statement.
    for start in range(0, len(ids), 500):
        query = (
            select(follow_ups.c.id)
            .select_from(follow_ups.join(leads, leads.c.id == follow_ups.c.lead_id))
            .where(
                follow_ups.c.id.in_(ids[start : start + 500]),
                follow_ups.c.done_at.is_(None),
                follow_ups.c.due_at <= now,
                leads.c.deleted_at.is_(None),
            )
        )
        due.update(connection.execute(query).scalars())
    return due


def follow_up_lead(connection: Connection, follow_up_id: int) -> int | None:
    """The id of the lead a follow-up is for, or None when there is no such follow-up."""
    query = select(follow_ups.c.lead_id).where(follow_ups.c.id == follow_up_id)
    lead_id = connection.execute(query).scalar()
    return None if lead_id is None else int(lead_id)
