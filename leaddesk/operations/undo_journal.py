"""The undo journal: changes made outside the window, kept so a window can undo them.

The command line runs once and exits, so what it changed is written down: each
write command records the rows it touched before and after (the same delta the
window's undo keeps in memory, stored as JSON by ``undo_records``), with a
description ("Move 3 leads to Warm (command line)"), who and when. A window that
notices the database changed reads the entries written since and adds them to
its Edit → Undo history; undoing one writes its "before" side back only where
the rows still hold its "after" side, else it is refused in one sentence.

The journal stays short: each write prunes entries past the last
``JOURNAL_LIMIT`` or older than ``JOURNAL_DAYS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, or_, select, update

from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.undo_records import delta_from_json, delta_to_json
from leaddesk.operations.undo_support import (
    Snapshot,
    UndoConflictError,
    UndoDelta,
    diff_snapshots,
    read_snapshot,
    write_undo_delta,
)
from leaddesk.storage.schema import follow_ups, leads, merges, owners, undo_journal

JOURNAL_LIMIT = 200
JOURNAL_DAYS = 7
COMMAND_LINE = "command line"
LEADS_PLACEHOLDER = "{leads}"


def describe_leads(before: Snapshot, after: Snapshot, lead_ids: Iterable[int]) -> str:
    """'Anna Schäfer', or '3 leads' for several (names as they were before, or are now)."""
    ids = list(dict.fromkeys(lead_ids))
    if len(ids) > 1:
        return f"{len(ids)} leads"
    names = before.lead_names(ids) or after.lead_names(ids)
    return names[0] if names else "lead"


def step_text(text: str, before: Snapshot, after: Snapshot, lead_ids: Iterable[int]) -> str:
    """``text`` with ``{leads}`` replaced by the lead's name or "3 leads"."""
    if LEADS_PLACEHOLDER in text:
        return text.replace(LEADS_PLACEHOLDER, describe_leads(before, after, lead_ids))
    return text


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One recorded change; ``delta.description`` names it ("… (command line)")."""

    id: int
    recorded_at: dt.datetime
    recorded_by: str | None
    delta: UndoDelta
    undone: bool


class JournalScope:
    """Handed to the body of ``journaled``: name the leads it created, so they are covered."""

    def __init__(self) -> None:
        self.created: set[int] = set()

    def add_created(self, lead_ids: Iterable[int]) -> None:
        self.created.update(lead_ids)


def follow_up_lead(ctx: OperationContext, follow_up_id: int) -> list[int]:
    """The lead of a follow-up, to record around ``leaddesk done`` or ``snooze``.

    Empty for an unknown id: the command then refuses it with its own sentence.
    """
    with ctx.db.reading() as connection:
        query = select(follow_ups.c.lead_id).where(follow_ups.c.id == follow_up_id)
        return list(connection.execute(query).scalars())


def merged_leads(ctx: OperationContext, merge_id: int) -> list[int]:
    """Both leads of merge ``merge_id`` (empty for an unknown id), for ``undo-merge``."""
    with ctx.db.reading() as connection:
        row = connection.execute(
            select(merges.c.keep_id, merges.c.other_id).where(merges.c.id == merge_id)
        ).one_or_none()
    return [] if row is None else [row.keep_id, row.other_id]


@contextmanager
def journaled(
    ctx: OperationContext, text: str, lead_ids: Iterable[int], *, source: str = COMMAND_LINE
) -> Iterator[JournalScope]:
    """Record what the body changes to ``lead_ids`` as one journal entry.

    ``text`` names it ("Move {leads} to Warm"); `` (command line)`` is added.
    Nothing is written when the body raised or changed nothing. The entry is its
    own transaction after the body's: a crash between the two loses only the
    chance to undo the change from a window, never the change.
    """
    ids = list(dict.fromkeys(lead_ids))
    scope = JournalScope()
    before = read_snapshot(ctx.db, ids)
    yield scope
    new_ids = [lead_id for lead_id in scope.created if lead_id not in before.lead_ids]
    after = read_snapshot(ctx.db, [*ids, *new_ids])
    description = f"{step_text(text, before, after, ids or new_ids)} ({source})"
    delta = diff_snapshots(before, after, description)
    if delta:
        with ctx.db.transaction() as session:
            write_entry(session, ctx, delta, source)


def write_entry(session: Connection, ctx: OperationContext, delta: UndoDelta, source: str) -> int:
    """Add ``delta`` to the journal (in the caller's transaction) and prune old entries."""
    now = ctx.clock.now()
    entry_id = session.execute(
        undo_journal.insert()
        .values(
            recorded_at=now,
            recorded_by=ctx.actor,
            source=source,
            description=delta.description,
            delta=delta_to_json(delta),
        )
        .returning(undo_journal.c.id)
    ).scalar_one()
    session.execute(
        delete(undo_journal).where(
            or_(
                undo_journal.c.id <= entry_id - JOURNAL_LIMIT,
                undo_journal.c.recorded_at < now - dt.timedelta(days=JOURNAL_DAYS),
            )
        )
    )
    return int(entry_id)


def last_entry_id(connection: Connection) -> int:
    """The newest entry's id (0 for an empty journal): a window reads only what follows."""
    return int(connection.execute(select(func.max(undo_journal.c.id))).scalar() or 0)


def entries_after(connection: Connection, entry_id: int) -> list[JournalEntry]:
    """The entries written after ``entry_id``, oldest first."""
    query = select(undo_journal).where(undo_journal.c.id > entry_id).order_by(undo_journal.c.id)
    return [
        JournalEntry(
            row.id,
            row.recorded_at,
            row.recorded_by,
            delta_from_json(row.delta),
            row.undone_at is not None,
        )
        for row in connection.execute(query)
    ]


def delta_changes(delta: UndoDelta) -> Changes:
    """What a recorded change did, as the views want to hear it (the "after" side is now)."""
    created: set[int] = set()
    updated: set[int] = set()
    deleted: set[int] = set()
    for change in delta.changes:
        if change.table == leads.name:
            after = change.after
            if after is None or after.get("deleted_at") is not None:
                deleted.add(change.row_id)
            elif change.before is None or change.before.get("deleted_at") is not None:
                created.add(change.row_id)
            else:
                updated.add(change.row_id)
        elif change.table != owners.name:
            for side in (change.after, change.before):
                if side is not None and side.get("lead_id") is not None:
                    updated.add(int(side["lead_id"]))
    return Changes(
        created=frozenset(created),
        updated=frozenset(updated - created - deleted),
        deleted=frozenset(deleted),
        board=True,
        settings=any(change.table == owners.name for change in delta.changes),
        description=delta.description,
    )


def apply_entry(
    ctx: OperationContext, entry_id: int, delta: UndoDelta, *, undo: bool
) -> Outcome[None]:
    """Undo (or redo) journal entry ``entry_id`` from the window, in one transaction.

    Refused in one sentence when a row it would write back was changed since.
    """
    with ctx.db.transaction() as session:
        try:
            changes = write_undo_delta(session, ctx, delta, undo=undo)
        except UndoConflictError:
            raise UserError(
                f"“{delta.description}” was changed since; not {'undone' if undo else 'redone'}."
            ) from None
        session.execute(
            update(undo_journal)
            .where(undo_journal.c.id == entry_id)
            .values(undone_at=ctx.clock.now() if undo else None)
        )
    return Outcome(changes, None)
