"""Reading leads for the board, the lists and the command line.

Plain Core queries returning rows: the board fetches only ids per column and
reads card data for the rows on screen, so 100,000 leads cost what 100 do.
A lead's next follow-up is read from its stored ``next_follow_up_at``
(storage/lead_times.py), as the lead table reads it: the board, the lead panel,
the command line and the export show the same moment, and none of them looks
through the follow-ups to find it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, func, select

from leaddesk.core.fields import BoardGrouping
from leaddesk.storage.schema import leads, owners
from leaddesk.storage.search import search_condition


@dataclass(frozen=True, slots=True)
class LeadFilter:
    search: str = ""
    temperature: str | None = None
    stage: str | None = None
    owner_id: int | None = None

    def conditions(self, dialect: str) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [leads.c.deleted_at.is_(None)]
        if self.temperature:
            conditions.append(leads.c.temperature == self.temperature)
        if self.stage:
            conditions.append(leads.c.stage == self.stage)
        if self.owner_id is not None:
            conditions.append(leads.c.owner_id == self.owner_id)
        if self.search and (matching := search_condition(dialect, self.search)) is not None:
            conditions.append(matching)
        return conditions


def column_ids(
    connection: Connection, grouping: BoardGrouping, value: str, lead_filter: LeadFilter
) -> list[int]:
    """The ids of one board column, top to bottom."""
    query = (
        select(leads.c.id)
        .where(leads.c[grouping.value] == value, *lead_filter.conditions(connection.dialect.name))
        .order_by(leads.c.board_rank, leads.c.id)
    )
    return list(connection.execute(query).scalars())


@dataclass(frozen=True, slots=True)
class ColumnSummary:
    count: int
    total_value_cents: int


def column_summaries(
    connection: Connection, grouping: BoardGrouping, lead_filter: LeadFilter
) -> dict[str, ColumnSummary]:
    """Count and total deal value of every column under the current filter."""
    group_column = leads.c[grouping.value]
    query = (
        select(group_column, func.count(), func.coalesce(func.sum(leads.c.deal_value_cents), 0))
        .where(*lead_filter.conditions(connection.dialect.name))
        .group_by(group_column)
    )
    summaries = {value.value: ColumnSummary(0, 0) for value in grouping.values}
    for value, count, total in connection.execute(query):
        summaries[value] = ColumnSummary(int(count), int(total))
    return summaries


@dataclass(frozen=True, slots=True)
class Card:
    """What a board card shows."""

    id: int
    first_name: str | None
    last_name: str | None
    email: str | None
    company: str | None
    job_title: str | None
    temperature: str
    stage: str
    score: int
    consent: str
    deal_value_cents: int | None
    owner: str | None
    next_follow_up: dt.datetime | None


def cards(connection: Connection, lead_ids: Sequence[int]) -> dict[int, Card]:
    query = (
        select(
            leads.c.id,
            leads.c.first_name,
            leads.c.last_name,
            leads.c.email,
            leads.c.company,
            leads.c.job_title,
            leads.c.temperature,
            leads.c.stage,
            leads.c.score,
            leads.c.consent,
            leads.c.deal_value_cents,
            owners.c.name.label("owner"),
            leads.c.next_follow_up_at.label("next_follow_up"),
        )
        .select_from(leads.outerjoin(owners, owners.c.id == leads.c.owner_id))
        .where(leads.c.id.in_(lead_ids))
    )
    return {row.id: Card(**row._mapping) for row in connection.execute(query)}


def lead_list_query(dialect: str, lead_filter: LeadFilter) -> Select[Any]:
    """Every stored field of the matching leads, with owner name and next follow-up."""
    return (
        select(
            leads,
            owners.c.name.label("owner"),
            leads.c.next_follow_up_at.label("next_follow_up"),
        )
        .select_from(leads.outerjoin(owners, owners.c.id == leads.c.owner_id))
        .where(*lead_filter.conditions(dialect))
        .order_by(leads.c.id)
    )


def lead_row(connection: Connection, lead_id: int) -> Any | None:
    """One live lead with owner name and next follow-up, or None."""
    query = lead_list_query(connection.dialect.name, LeadFilter()).where(leads.c.id == lead_id)
    return connection.execute(query).one_or_none()


def count_leads(connection: Connection, lead_filter: LeadFilter | None = None) -> int:
    """Live leads, or those matching ``lead_filter`` (the status bar's "12 of 120")."""
    conditions = (lead_filter or LeadFilter()).conditions(connection.dialect.name)
    query = select(func.count()).select_from(leads).where(*conditions)
    return int(connection.execute(query).scalar_one())


def owner_names(connection: Connection) -> list[tuple[int, str]]:
    query = select(owners.c.id, owners.c.name).where(owners.c.active).order_by(owners.c.name)
    return [(row.id, row.name) for row in connection.execute(query)]


def all_owner_names(connection: Connection) -> dict[int, str]:
    """Every team member's name by id, the inactive ones too (a lead may still name them)."""
    return {row.id: row.name for row in connection.execute(select(owners.c.id, owners.c.name))}
