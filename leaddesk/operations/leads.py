"""Creating, editing, moving and deleting leads: every change goes through here.

Each function is one transaction and returns an Outcome with the Changes it
made (see ``changes``). The window, the command line and undo call these same
functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from leaddesk.core.fields import FIELDS_BY_NAME, BoardGrouping, Stage
from leaddesk.core.lead_values import LeadValuesError, clean_lead_values, identity_problem
from leaddesk.core.normalize import company_key, normalize_email, normalize_phone
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.owners import default_owner_id
from leaddesk.operations.scoring import rescore_leads
from leaddesk.storage.lead_rows import ID_CHUNK
from leaddesk.storage.schema import leads, owners, stage_history

# Closer than this, two ranks stop being distinguishable as floats; renumber.
_MIN_RANK_GAP = 1e-6


class LeadNotFoundError(UserError):
    def __init__(self, lead_id: int) -> None:
        super().__init__(f"There is no lead with id {lead_id}.")
        self.lead_id = lead_id


class StaleLeadError(UserError):
    """Someone else saved the lead since it was read (optimistic concurrency)."""


def _resolve_owner(session: Connection, values: dict[str, Any], now: dt.datetime) -> None:
    if isinstance(values.get("owner"), str):
        values["owner"] = owner_id_for(session, values["owner"], now)


def _columns(values: Mapping[str, Any]) -> dict[str, Any]:
    row = {FIELDS_BY_NAME[name].column_name: value for name, value in values.items()}
    if "email" in values:
        row["email_normalized"] = normalize_email(values["email"])
    if "phone" in values:
        row["phone_normalized"] = normalize_phone(values["phone"])
    if "company" in values:
        row["company_key"] = company_key(values["company"])
    return row


def _values_or_user_error(values: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return clean_lead_values(values)
    except LeadValuesError as error:
        raise UserError(str(error)) from error


def owner_id_for(session: Connection, name: str, now: dt.datetime) -> int:
    """The team member called ``name``, added to the team if new."""
    name = " ".join(name.split())
    existing = session.execute(
        select(owners.c.id).where(func.lower(owners.c.name) == name.lower())
    ).scalar()
    if existing is not None:
        return int(existing)
    inserted = owners.insert().values(name=name, active=True, created_at=now)
    return int(session.execute(inserted.returning(owners.c.id)).scalar_one())


def _record_stage(
    session: Connection, lead_id: int, old: str | None, new: str, ctx: OperationContext
) -> None:
    session.execute(
        stage_history.insert().values(
            lead_id=lead_id,
            from_stage=old,
            to_stage=new,
            changed_at=ctx.clock.now(),
            changed_by=ctx.actor,
        )
    )


def create_lead(ctx: OperationContext, values: Mapping[str, Any]) -> Outcome[int]:
    """Add a lead at the top of its column; the Outcome's value is its id."""
    outcome = create_leads(ctx, [values])
    (lead_id,) = outcome.value
    return Outcome(replace(outcome.changes, description="Create lead"), lead_id)


def create_leads(ctx: OperationContext, values: Sequence[Mapping[str, Any]]) -> Outcome[list[int]]:
    """Add leads in one transaction, each at the top of its column in the order given.

    Any lead whose values cannot be stored stops them all (the sentence says
    which, counting from 1, when there are several). The value is the new ids.
    """
    cleaned_leads: list[dict[str, Any]] = []
    for position, lead_values in enumerate(values, start=1):
        where = f"Lead {position}: " if len(values) > 1 else ""
        try:
            cleaned = _values_or_user_error(lead_values)
        except UserError as error:
            raise UserError(f"{where}{error}") from error
        if problem := identity_problem(cleaned):
            raise UserError(f"{where}{problem}")
        cleaned_leads.append(cleaned)
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        ids = [_create_in(session, ctx, cleaned, now) for cleaned in cleaned_leads]
        rescore_leads(session, ids, now)
    description = "Create lead" if len(ids) == 1 else f"Create {len(ids)} leads"
    return Outcome(Changes(created=frozenset(ids), board=True, description=description), ids)


def _create_in(
    session: Connection, ctx: OperationContext, cleaned: dict[str, Any], now: dt.datetime
) -> int:
    """Insert one cleaned lead inside the caller's transaction (not yet scored)."""
    _resolve_owner(session, cleaned, now)
    if cleaned.get("owner") is None and (mine := default_owner_id(session)) is not None:
        # Every open lead has an owner: unless told otherwise, the person adding it.
        cleaned["owner"] = mine
    top = session.execute(select(func.min(leads.c.board_rank))).scalar()
    row = _columns(cleaned)
    row.update(
        board_rank=(top - 1.0) if top is not None else 0.0,
        created_at=now,
        updated_at=now,
        stage_changed_at=now,
        created_by=ctx.actor,
        updated_by=ctx.actor,
    )
    lead_id = int(session.execute(leads.insert().values(**row).returning(leads.c.id)).scalar_one())
    _record_stage(session, lead_id, None, row.get("stage") or Stage.LEAD, ctx)
    return lead_id


def load_lead(session: Connection, lead_id: int) -> Any:
    """The whole stored row of a lead that is not in the trash, else LeadNotFoundError."""
    row = session.execute(
        select(leads).where(leads.c.id == lead_id, leads.c.deleted_at.is_(None))
    ).one_or_none()
    if row is None:
        raise LeadNotFoundError(lead_id)
    return row


def update_lead(
    ctx: OperationContext,
    lead_id: int,
    values: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Outcome[None]:
    """Change some fields of a lead. Only the fields given are touched."""
    cleaned = _values_or_user_error(values)
    with ctx.db.transaction() as session:
        row = _update_in(session, ctx, lead_id, cleaned, expected_version)
    if not row:
        return Outcome(Changes(), None)
    moved = bool({"temperature", "stage"} & row.keys())
    return Outcome(
        Changes(updated=frozenset({lead_id}), board=moved, description="Edit lead"), None
    )


def _update_in(
    session: Connection,
    ctx: OperationContext,
    lead_id: int,
    cleaned: dict[str, Any],
    expected_version: int | None,
) -> dict[str, Any]:
    """Write cleaned values inside the caller's transaction; returns the columns changed."""
    now = ctx.clock.now()
    current = load_lead(session, lead_id)
    if expected_version is not None and current.version != expected_version:
        raise StaleLeadError(
            "This lead was changed elsewhere after you opened it; reopen it and try again."
        )
    _resolve_owner(session, cleaned, now)
    row = {
        column: value
        for column, value in _columns(cleaned).items()
        if getattr(current, column) != value
    }
    if not row:
        return row
    merged = {name: getattr(current, FIELDS_BY_NAME[name].column_name) for name in cleaned}
    merged.update(cleaned)
    identity = {
        name: merged.get(name, getattr(current, name))
        for name in ("first_name", "last_name", "email", "phone")
    }
    if problem := identity_problem(identity):
        raise UserError(problem)
    if "stage" in row:
        _record_stage(session, lead_id, current.stage, row["stage"], ctx)
        row["stage_changed_at"] = now
    row.update(updated_at=now, updated_by=ctx.actor, version=current.version + 1)
    session.execute(update(leads).where(leads.c.id == lead_id).values(**row))
    rescore_leads(session, [lead_id], now)
    return row


def _rank_gaps(session: Connection, grouping: BoardGrouping, value: str) -> list[tuple[int, float]]:
    group_column = leads.c[grouping.value]
    return [
        (row.id, row.board_rank)
        for row in session.execute(
            select(leads.c.id, leads.c.board_rank)
            .where(leads.c.deleted_at.is_(None), group_column == value)
            .order_by(leads.c.board_rank, leads.c.id)
        )
    ]


def _renumber(session: Connection, grouping: BoardGrouping, value: str) -> None:
    ordered = _rank_gaps(session, grouping, value)
    for position, (lead_id, _rank) in enumerate(ordered):
        session.execute(
            update(leads).where(leads.c.id == lead_id).values(board_rank=float(position))
        )


def _new_ranks(
    session: Connection, count: int, above_id: int | None, below_id: int | None
) -> list[float] | None:
    """Ranks for ``count`` cards dropped between two cards (None: no room left)."""

    def rank_of(lead_id: int | None) -> float | None:
        if lead_id is None:
            return None
        return session.execute(select(leads.c.board_rank).where(leads.c.id == lead_id)).scalar()

    above, below = rank_of(above_id), rank_of(below_id)
    if above is None and below is None:
        base = session.execute(select(func.min(leads.c.board_rank))).scalar() or 0.0
        return [base - count + index for index in range(count)]
    if above is None:
        assert below is not None
        return [below - count + index for index in range(count)]
    if below is None:
        return [above + 1.0 + index for index in range(count)]
    step = (below - above) / (count + 1)
    if step < _MIN_RANK_GAP:
        return None
    return [above + step * (index + 1) for index in range(count)]


def move_leads(
    ctx: OperationContext,
    lead_ids: Sequence[int],
    grouping: BoardGrouping,
    value: str,
    *,
    above_id: int | None = None,
    below_id: int | None = None,
) -> Outcome[None]:
    """Put leads into the column ``value`` between two cards, in the order given.

    ``above_id`` and ``below_id`` are the neighbours at the drop point (None at
    either end of the column).
    """
    return move_leads_filling(
        ctx, lead_ids, grouping, value, {}, above_id=above_id, below_id=below_id
    )


def _move_in(
    session: Connection,
    ctx: OperationContext,
    ids: list[int],
    grouping: BoardGrouping,
    target: str,
    above_id: int | None,
    below_id: int | None,
) -> None:
    """Move leads inside the caller's transaction (see move_leads)."""
    now = ctx.clock.now()
    current = {
        row.id: row
        for row in session.execute(
            select(leads.c.id, leads.c.stage, leads.c.version).where(
                leads.c.id.in_(ids), leads.c.deleted_at.is_(None)
            )
        )
    }
    for lead_id in ids:
        if lead_id not in current:
            raise LeadNotFoundError(lead_id)
    if above_id in ids or below_id in ids:
        raise ValueError("a card cannot be dropped next to itself")
    ranks = _new_ranks(session, len(ids), above_id, below_id)
    if ranks is None:
        _renumber(session, grouping, target)
        ranks = _new_ranks(session, len(ids), above_id, below_id)
        assert ranks is not None
    # One executemany per shape of row (stage changed or not) and one for the
    # stage history: a bulk move of 1,000 leads is a handful of statements.
    shapes: dict[bool, list[dict[str, Any]]] = {False: [], True: []}
    history: list[dict[str, Any]] = []
    for lead_id, rank in zip(ids, ranks, strict=True):
        old_stage = current[lead_id].stage
        stage_moves = grouping is BoardGrouping.STAGE and old_stage != target
        if stage_moves:
            history.append(
                {
                    "lead_id": lead_id,
                    "from_stage": old_stage,
                    "to_stage": target,
                    "changed_at": now,
                    "changed_by": ctx.actor,
                }
            )
        shapes[stage_moves].append(
            {"m_id": lead_id, "m_rank": rank, "m_version": current[lead_id].version + 1}
        )
    if history:
        session.execute(stage_history.insert(), history)
    for stage_moves, rows in shapes.items():
        if not rows:
            continue
        values: dict[str, Any] = {
            grouping.value: target,
            "board_rank": bindparam("m_rank"),
            "updated_at": now,
            "updated_by": ctx.actor,
            "version": bindparam("m_version"),
        }
        if stage_moves:
            values["stage_changed_at"] = now
        statement = update(leads).where(leads.c.id == bindparam("m_id")).values(values)
        session.execute(statement, rows)


def move_leads_filling(
    ctx: OperationContext,
    lead_ids: Sequence[int],
    grouping: BoardGrouping,
    value: str,
    fill: Mapping[int, Mapping[str, Any]],
    *,
    above_id: int | None = None,
    below_id: int | None = None,
) -> Outcome[None]:
    """A move that also saves what the move asked for, in one transaction.

    ``fill`` maps a lead id to the field values entered for it (the budget, the
    disqualification reason, ...); they are written first, then the leads move
    as :func:`move_leads` moves them. Any problem leaves everything unchanged.
    """
    try:
        target = grouping.parse(value)
    except ValueError:
        raise UserError(f"'{value}' is not a {grouping.value}.") from None
    ids = list(dict.fromkeys(lead_ids))
    if not ids:
        return Outcome(Changes(), None)
    cleaned = {lead_id: _values_or_user_error(fill.get(lead_id, {})) for lead_id in ids}
    for values in cleaned.values():
        values.pop(grouping.value, None)
    with ctx.db.transaction() as session:
        for lead_id, values in cleaned.items():
            if values:
                _update_in(session, ctx, lead_id, values, None)
        _move_in(session, ctx, ids, grouping, target.value, above_id, below_id)
    return Outcome(Changes(updated=frozenset(ids), board=True, description="Move lead"), None)


def delete_leads(ctx: OperationContext, lead_ids: Iterable[int]) -> Outcome[None]:
    """Move leads to the trash (they keep their history and can be restored)."""
    ids = sorted(set(lead_ids))
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        found = set(
            session.execute(
                select(leads.c.id).where(leads.c.id.in_(ids), leads.c.deleted_at.is_(None))
            ).scalars()
        )
        for lead_id in ids:
            if lead_id not in found:
                raise LeadNotFoundError(lead_id)
        session.execute(
            update(leads)
            .where(leads.c.id.in_(ids))
            .values(
                deleted_at=now, updated_at=now, updated_by=ctx.actor, version=leads.c.version + 1
            )
        )
    return Outcome(Changes(deleted=frozenset(ids), board=True, description="Delete lead"), None)


def restore_leads(ctx: OperationContext, lead_ids: Iterable[int]) -> Outcome[None]:
    """Take leads back out of the trash."""
    ids = sorted(set(lead_ids))
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        session.execute(
            update(leads)
            .where(leads.c.id.in_(ids), leads.c.deleted_at.is_not(None))
            .values(
                deleted_at=None, updated_at=now, updated_by=ctx.actor, version=leads.c.version + 1
            )
        )
    return Outcome(Changes(created=frozenset(ids), board=True, description="Restore lead"), None)


def assign_owner(
    ctx: OperationContext, lead_ids: Iterable[int], owner: int | str | None
) -> Outcome[int | None]:
    """Give leads to a team member (by id or by name; None: to nobody), in one transaction.

    The team member must exist and be active: a typo never adds somebody to the
    team here (the form's owner box does that on purpose). Leads that already
    have that owner are left as they are. The value is the owner's id. The board
    may show only one owner's leads ("My leads"), so a change is a board change.
    """
    ids = sorted(set(lead_ids))
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        owner_id: int | None = None
        if owner is not None:
            owner_id, active = _team_member(session, owner)
            if not active:
                label = _owner_label(owner)
                raise UserError(f"{label} is no longer active; reactivate them in Settings → Team.")
        current: dict[int, int | None] = {}
        for start in range(0, len(ids), ID_CHUNK):
            rows = session.execute(
                select(leads.c.id, leads.c.owner_id).where(
                    leads.c.id.in_(ids[start : start + ID_CHUNK]), leads.c.deleted_at.is_(None)
                )
            )
            current.update({row.id: row.owner_id for row in rows})
        for lead_id in ids:
            if lead_id not in current:
                raise LeadNotFoundError(lead_id)
        changed = [lead_id for lead_id in ids if current[lead_id] != owner_id]
        for start in range(0, len(changed), ID_CHUNK):
            session.execute(
                update(leads)
                .where(leads.c.id.in_(changed[start : start + ID_CHUNK]))
                .values(
                    owner_id=owner_id,
                    updated_at=now,
                    updated_by=ctx.actor,
                    version=leads.c.version + 1,
                )
            )
    if not changed:
        return Outcome(Changes(), owner_id)
    description = "Assign lead" if len(changed) == 1 else f"Assign {len(changed)} leads"
    return Outcome(
        Changes(updated=frozenset(changed), board=True, description=description), owner_id
    )


def _owner_label(owner: int | str) -> str:
    return f"Team member {owner}" if isinstance(owner, int) else " ".join(owner.split())


def _team_member(session: Connection, owner: int | str) -> tuple[int, bool]:
    """(id, active) of the team member ``owner`` (an id, or a name in any case)."""
    if isinstance(owner, int):
        condition = owners.c.id == owner
    else:
        condition = func.lower(owners.c.name) == " ".join(owner.split()).lower()
    found = session.execute(select(owners.c.id, owners.c.active).where(condition)).first()
    if found is None:
        raise UserError(
            f"There is no team member called '{_owner_label(owner)}'; "
            "add them in Settings → Team first."
            if isinstance(owner, str)
            else f"There is no team member with id {owner}."
        )
    return int(found.id), bool(found.active)
