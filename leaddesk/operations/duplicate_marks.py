"""Possible duplicates kept for review: recording a pair, and "Not a duplicate".

Two leads with different emails are two people by the duplicate rule (DOMAIN.md),
but the same phone or a close name at the same company is worth a look. The
import records such pairs itself (operations/importing/batch_writer.py, in its
own transaction); a lead saved from the form or the command line is checked by
``mark_possible_duplicates``. The user then merges the two (operations/merge.py:
the merged lead goes to the trash, which closes the pair), or dismisses the pair
here; undoing the dismissal puts the pair back exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select, update

from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.storage.duplicates import add_pairs, find_duplicates, pair_between
from leaddesk.storage.lead_rows import stored_lead
from leaddesk.storage.schema import leads, possible_duplicates


def mark_possible_duplicates(ctx: OperationContext, lead_ids: Iterable[int]) -> Outcome[int]:
    """Record a pair for every possible duplicate of these leads not recorded yet.

    Cheap when there is nothing to record (a few indexed reads per lead, no
    write); the value is how many pairs were recorded. A pair dismissed before
    is not recorded again.
    """
    with ctx.db.reading() as connection:
        found = [
            (lead_id, other, reason)
            for lead_id in dict.fromkeys(lead_ids)
            for other, reason in _possible_matches(connection, lead_id)
        ]
    if not found:
        return Outcome(Changes(), 0)
    with ctx.db.transaction() as session:
        added = add_pairs(session, found, ctx.clock.now())
    if not added:
        return Outcome(Changes(), 0)
    touched = {lead_id for pair in added for lead_id in pair}
    return Outcome(
        Changes(updated=frozenset(touched), description="Possible duplicate"), len(added)
    )


def _possible_matches(connection: Connection, lead_id: int) -> list[tuple[int, str]]:
    """The live leads that lead ``lead_id`` possibly duplicates (another email), and why."""
    values = stored_lead(connection, lead_id)
    if values is None:
        return []
    return [
        (match.lead_id, match.reason.value)
        for match in find_duplicates(connection, values, exclude_id=lead_id)
        if not match.same_person
    ]


@dataclass(frozen=True, slots=True)
class Dismissal:
    """What ``dismiss_possible_duplicate`` did, for its undo."""

    pair_id: int
    lead_id: int
    other_id: int
    created: bool
    """True when no pair was recorded before: undo removes the row again."""


def dismiss_possible_duplicate(
    ctx: OperationContext, lead_id: int, other_id: int, reason: str = ""
) -> Outcome[Dismissal]:
    """ "Not a duplicate": the two leads are different people; never propose them again.

    ``reason`` is recorded when the pair was not recorded yet (a match the form
    found as the user typed).
    """
    if lead_id == other_id:
        raise UserError("A lead cannot be a duplicate of itself.")
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        known = set(
            session.execute(select(leads.c.id).where(leads.c.id.in_([lead_id, other_id]))).scalars()
        )
        for wanted in (lead_id, other_id):
            if wanted not in known:
                raise UserError(f"There is no lead with id {wanted}.")
        pair = pair_between(session, lead_id, other_id)
        if pair is not None and pair.dismissed_at is not None:
            raise UserError("These two leads are already marked as not duplicates.")
        if pair is None:
            add_pairs(session, [(lead_id, other_id, reason or "marked by hand")], now)
            pair = pair_between(session, lead_id, other_id)
            assert pair is not None
            created = True
        else:
            created = False
        session.execute(
            update(possible_duplicates)
            .where(possible_duplicates.c.id == pair.id)
            .values(dismissed_at=now, dismissed_by=ctx.actor)
        )
    return Outcome(
        Changes(updated=frozenset({lead_id, other_id}), description="Not a duplicate"),
        Dismissal(int(pair.id), lead_id, other_id, created),
    )


def undo_dismissal(ctx: OperationContext, dismissal: Dismissal) -> Outcome[None]:
    """Take a "Not a duplicate" back: the pair is open again (or gone, if it was new)."""
    table = possible_duplicates
    with ctx.db.transaction() as session:
        if dismissal.created:
            session.execute(delete(table).where(table.c.id == dismissal.pair_id))
        else:
            session.execute(
                update(table)
                .where(table.c.id == dismissal.pair_id)
                .values(dismissed_at=None, dismissed_by=None)
            )
    return Outcome(
        Changes(
            updated=frozenset({dismissal.lead_id, dismissal.other_id}),
            description="Undo not a duplicate",
        ),
        None,
    )


def redo_dismissal(ctx: OperationContext, dismissal: Dismissal) -> Outcome[None]:
    """Dismiss the same pair again (Edit › Redo after an undo)."""
    table = possible_duplicates
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        if dismissal.created:
            pair = pair_between(session, dismissal.lead_id, dismissal.other_id)
            if pair is None:
                add_pairs(session, [(dismissal.lead_id, dismissal.other_id, "marked by hand")], now)
        session.execute(
            update(table)
            .where(
                table.c.duplicate_lead_id.in_([dismissal.lead_id, dismissal.other_id]),
                table.c.existing_lead_id.in_([dismissal.lead_id, dismissal.other_id]),
            )
            .values(dismissed_at=now, dismissed_by=ctx.actor)
        )
    return Outcome(
        Changes(
            updated=frozenset({dismissal.lead_id, dismissal.other_id}),
            description="Not a duplicate",
        ),
        None,
    )
