"""Merging two leads that are one person, keeping the history of both.

The kept lead takes the values chosen field by field; the activities,
follow-ups and stage history of the other lead move to it, so nothing either
lead went through is lost; the other lead goes to the trash (where undo can take
it back from), and a note on the kept lead says who merged what, and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select, update

from leaddesk.core.dedupe import person_name, same_person_name
from leaddesk.core.fields import FIELDS_BY_NAME, ActivityKind, display_name
from leaddesk.core.merge_policy import CONSENT_DETAILS, MERGE_FIELDS, Side, default_choices
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import load_lead
from leaddesk.operations.scoring import rescore_leads
from leaddesk.operations.undo_records import delta_from_json, delta_to_json
from leaddesk.operations.undo_support import (
    CHILD_TABLES,
    UndoConflictError,
    diff_snapshots,
    take_snapshot,
    write_undo_delta,
)
from leaddesk.storage.lead_rows import stored_fields
from leaddesk.storage.lead_times import refresh_lead_times
from leaddesk.storage.schema import activities, leads, merges, stage_history

# Columns derived from a field: they travel with the value they were derived from.
_DERIVED_COLUMNS = {
    "email": ("email_normalized",),
    "phone": ("phone_normalized",),
    "company": ("company_key",),
    "consent": CONSENT_DETAILS,
}
# Rows of the other lead that must stay with it: import bookkeeping, not history.
_STAYING_TABLES = frozenset({"import_changes"})


def field_values(row: Any) -> dict[str, Any]:
    """A stored lead row as merge field values (money in cents, owner as its id)."""
    return stored_fields(row._mapping, MERGE_FIELDS)


def proposed_choices(keep_row: Any, other_row: Any) -> dict[str, Side]:
    """The default side for every field in which two stored leads differ."""
    return default_choices(
        field_values(keep_row),
        field_values(other_row),
        keep_updated_at=keep_row.updated_at,
        other_updated_at=other_row.updated_at,
    )


def alike_because(keep_row: Any, other_row: Any) -> list[str]:
    """Why two stored leads may be one person: "email", "phone", "name"; empty if nothing.

    The same normalised email, the same normalised phone, or a close name at
    the same company (as leaddesk/storage/duplicates.py finds them).
    """
    reasons = []
    if keep_row.email_normalized and keep_row.email_normalized == other_row.email_normalized:
        reasons.append("email")
    if keep_row.phone_normalized and keep_row.phone_normalized == other_row.phone_normalized:
        reasons.append("phone")
    if (
        keep_row.company_key
        and keep_row.company_key == other_row.company_key
        and same_person_name(
            person_name(keep_row.first_name, keep_row.last_name),
            person_name(other_row.first_name, other_row.last_name),
        )
    ):
        reasons.append("name")
    return reasons


def _earliest(*values: Any) -> Any:
    present = [value for value in values if value is not None]
    return min(present) if present else None


def merge_leads(
    ctx: OperationContext,
    keep_id: int,
    other_id: int,
    choices: Mapping[str, Side | str] | None = None,
) -> Outcome[int]:
    """Merge lead ``other_id`` into ``keep_id``; the value is the merge's record id.

    ``choices`` maps a field name to the side whose value the kept lead gets
    (``"keep"`` or ``"other"``); a field not named keeps the kept lead's value.
    None takes the proposed choice for every field (see core/merge_policy.py).
    """
    if keep_id == other_id:
        raise UserError("A lead cannot be merged with itself.")
    unknown = sorted(set(choices or {}) - set(MERGE_FIELDS))
    if unknown:
        raise ValueError(f"not merge fields: {', '.join(unknown)}")
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        keep, other = load_lead(session, keep_id), load_lead(session, other_id)
        if choices is None:
            choices = proposed_choices(keep, other)
        before = take_snapshot(session, [keep_id, other_id])
        _merge_in(session, ctx, keep, other, choices)
        after = take_snapshot(session, [keep_id, other_id])
        # Recorded in the same transaction: a merge that happened can always be undone.
        delta = diff_snapshots(before, after, "Merge leads")
        merge_id = session.execute(
            merges.insert()
            .values(
                keep_id=keep_id,
                other_id=other_id,
                merged_at=now,
                merged_by=ctx.actor,
                delta=delta_to_json(delta),
            )
            .returning(merges.c.id)
        ).scalar_one()
    return Outcome(
        Changes(
            updated=frozenset({keep_id}),
            deleted=frozenset({other_id}),
            board=True,
            description="Merge leads",
        ),
        int(merge_id),
    )


def _merge_in(
    session: Connection,
    ctx: OperationContext,
    keep: Any,
    other: Any,
    choices: Mapping[str, Side | str],
) -> None:
    """The merge's writes, inside the caller's transaction."""
    keep_id, other_id = keep.id, other.id
    now = ctx.clock.now()
    row: dict[str, Any] = {}
    for name, side in choices.items():
        if Side(side) is not Side.OTHER:
            continue
        column = FIELDS_BY_NAME[name].column_name
        for taken in (column, *_DERIVED_COLUMNS.get(name, ())):
            if getattr(keep, taken) != getattr(other, taken):
                row[taken] = getattr(other, taken)
    if "stage" in row:
        session.execute(
            stage_history.insert().values(
                lead_id=keep_id,
                from_stage=keep.stage,
                to_stage=row["stage"],
                changed_at=now,
                changed_by=ctx.actor,
            )
        )
        row["stage_changed_at"] = now
    # The person first showed up, and was first contacted, when either lead was.
    row["created_at"] = _earliest(keep.created_at, other.created_at)
    row["first_contacted_at"] = _earliest(keep.first_contacted_at, other.first_contacted_at)
    row.update(updated_at=now, updated_by=ctx.actor, version=keep.version + 1)
    session.execute(update(leads).where(leads.c.id == keep_id).values(**row))

    for table in CHILD_TABLES:
        if table.name not in _STAYING_TABLES:
            session.execute(
                update(table).where(table.c.lead_id == other_id).values(lead_id=keep_id)
            )
    other_name = display_name(other.first_name, other.last_name, other.email)
    session.execute(
        activities.insert().values(
            lead_id=keep_id,
            kind=ActivityKind.NOTE.value,
            occurred_at=now,
            text=f"Merged {other_name} (lead {other_id}) into this lead"
            + (f" ({ctx.actor})." if ctx.actor else "."),
            created_at=now,
            created_by=ctx.actor,
        )
    )
    session.execute(
        update(leads)
        .where(leads.c.id == other_id)
        .values(deleted_at=now, updated_at=now, updated_by=ctx.actor, version=other.version + 1)
    )
    # The other lead's history now belongs to the kept one.
    refresh_lead_times(session, [keep_id, other_id])
    rescore_leads(session, [keep_id], now)


def undo_merge(ctx: OperationContext, merge_id: int) -> Outcome[None]:
    """Put both leads of merge ``merge_id`` back as they were before it, in one transaction.

    The kept lead gets its own values, version and times back; the merged lead
    leaves the trash; every activity, follow-up and stage change returns to the
    lead it came from, and the merge's note goes. A lead changed since in a field
    the merge set refuses the undo in one sentence (nothing is overwritten).
    """
    with ctx.db.transaction() as session:
        record = session.execute(select(merges).where(merges.c.id == merge_id)).one_or_none()
        if record is None:
            raise UserError(f"There is no merge {merge_id}.")
        if record.undone_at is not None:
            raise UserError(f"Merge {merge_id} was undone already.")
        delta = delta_from_json(record.delta)
        try:
            changes = write_undo_delta(session, ctx, delta, undo=True)
        except UndoConflictError:
            raise UserError(
                f"Merge {merge_id} can no longer be undone: a lead it changed was changed "
                "after it (or the merge was undone in the window)."
            ) from None
        session.execute(
            update(merges).where(merges.c.id == merge_id).values(undone_at=ctx.clock.now())
        )
    return Outcome(
        Changes(
            created=changes.created,
            updated=changes.updated,
            deleted=changes.deleted,
            board=True,
            description="Undo merge",
        ),
        None,
    )
