"""A lead's stored last activity and next open follow-up (migration 0006).

``leads.last_activity_at`` is ``max(activities.occurred_at)`` of the lead and
``leads.next_follow_up_at`` the earliest ``due_at`` of its open follow-ups. They
are stored, not computed when read, so the lead table sorts by them from an
index like any other column (storage/table_queries.py), and every view that
shows the next follow-up -- the board's cards, the lead panel, the command line,
the CSV and Excel exports -- reads the same stored moment (storage/queries.py,
operations/exporting/).

Derived data is only as good as its upkeep: every operation that adds, moves,
completes, reschedules or removes an activity or a follow-up calls
``refresh_lead_times`` for the leads it touched, in its own transaction, after
its writes, and undo calls it for every lead a step restored. The values are
recomputed from their source rather than adjusted, so a refresh is right
whatever happened before it. ``tests/storage/test_lead_times.py`` checks them
against their source after each such operation and its undo.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Connection, ScalarSelect, func, select, update

from leaddesk.storage.schema import activities, follow_ups, leads

# Ids per IN (...) clause: well under SQLite's bound-parameter limit.
_CHUNK = 500


def last_activity_of_lead() -> ScalarSelect[object]:
    """The lead's latest activity time, correlated to the ``leads`` row in the statement."""
    return (
        select(func.max(activities.c.occurred_at))
        .where(activities.c.lead_id == leads.c.id)
        .scalar_subquery()
    )


def next_follow_up_of_lead() -> ScalarSelect[object]:
    """The lead's earliest open follow-up's due time, correlated like the one above."""
    return (
        select(func.min(follow_ups.c.due_at))
        .where(follow_ups.c.lead_id == leads.c.id, follow_ups.c.done_at.is_(None))
        .scalar_subquery()
    )


def refresh_lead_times_where(connection: Connection, condition: ColumnElement[bool]) -> None:
    """Recompute both stored times for the leads matching ``condition`` (one UPDATE)."""
    connection.execute(
        update(leads)
        .where(condition)
        .values(
            last_activity_at=last_activity_of_lead(),
            next_follow_up_at=next_follow_up_of_lead(),
        )
    )


def refresh_lead_times(connection: Connection, lead_ids: Iterable[int]) -> None:
    """Recompute both stored times for ``lead_ids`` (leads in the trash included)."""
    ids = sorted(set(lead_ids))
    for start in range(0, len(ids), _CHUNK):
        refresh_lead_times_where(connection, leads.c.id.in_(ids[start : start + _CHUNK]))
