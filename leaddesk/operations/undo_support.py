"""What undo needs from the operations layer: before/after snapshots and their inverse.

An undoable change is recorded as the rows it touched, read just before and just
after the operation ran: the leads, every row that belongs to them (stage
history, activities, follow-ups, ...), the team list, and for a move the ranks
of the column it may have renumbered. ``diff_snapshots`` keeps only what
differs; ``apply_undo_delta`` writes one side of it back in one transaction.

Restoring rows rather than running an opposite operation is what makes undo
exact: undoing a move removes the stage-history row the move added instead of
recording another change, and the version and updated_at of each lead return to
what they were. Before writing, every value about to be replaced is compared
with what the delta expects to find: a field changed since (by an import, the
command line or another window) refuses the step in one sentence, never
clobbered. A lead changed since only in other fields (a call logged, another
field edited) gets the step's own fields back, as a new change of its version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, exists, insert, select, update

from leaddesk.core.fields import BoardGrouping, display_name
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.scoring import rescore_leads
from leaddesk.storage.database import Database
from leaddesk.storage.lead_times import refresh_lead_times
from leaddesk.storage.schema import leads, metadata, owners

Row = dict[str, Any]

# Derived from the other columns and recomputed after every restore, so a score
# that moved because time passed, or a last activity that moved because a call
# was logged since, is no reason to refuse an undo.
_DERIVED = frozenset({"score", "last_activity_at", "next_follow_up_at"})
# Bookkeeping every change to a lead moves. When only these differ from what a
# step expects (someone logged a call or edited another field since), the step's
# own fields are still written back, as a new change: version + 1, now, the actor.
_BOOKKEEPING = frozenset({"version", "updated_at", "updated_by"})
_CHUNK = 500


def _lead_child_tables() -> list[Table]:
    """Tables whose rows belong to one lead (``lead_id`` -> leads.id, integer ``id`` key).

    Found from the schema, so a table added later is covered without touching undo.
    """
    children = []
    for table in metadata.sorted_tables:
        if table is leads or "lead_id" not in table.c:
            continue
        if [column.name for column in table.primary_key.columns] != ["id"]:
            continue
        if any(fk.column.table is leads for fk in table.c.lead_id.foreign_keys):
            children.append(table)
    return children


CHILD_TABLES: tuple[Table, ...] = tuple(_lead_child_tables())
_TABLES: dict[str, Table] = {table.name: table for table in (owners, leads, *CHILD_TABLES)}
# Parents before children for inserts and updates; the reverse for deletes.
_ORDER = [owners.name, leads.name, *(table.name for table in CHILD_TABLES)]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Rows as they were at one moment: table name -> row id -> column values."""

    lead_ids: frozenset[int]
    tables: dict[str, dict[int, Row]]
    # board_rank of the other leads in a column a move may renumber.
    ranks: dict[int, float] = field(default_factory=dict)

    def lead_names(self, lead_ids: Iterable[int]) -> list[str]:
        rows = self.tables.get(leads.name, {})
        return [
            display_name(row["first_name"], row["last_name"], row["email"])
            for lead_id in lead_ids
            if (row := rows.get(lead_id)) is not None
        ]


def _rows_by_id(
    connection: Connection, table: Table, key: Any, chunks: list[list[int]]
) -> dict[int, Row]:
    """``table``'s rows whose ``key`` is in ``chunks``, as dicts by id.

    Zipping the column names with each row builds the dicts in about half the
    time ``row._mapping`` takes: a bulk step over 1,000 leads reads thousands of
    rows twice (before and after).
    """
    rows: dict[int, Row] = {}
    for chunk in chunks:
        result = connection.execute(select(table).where(key.in_(chunk)))
        names = list(result.keys())
        for row in result.all():
            values = dict(zip(names, row, strict=True))
            rows[values["id"]] = values
    return rows


def take_snapshot(
    connection: Connection,
    lead_ids: Iterable[int],
    column: tuple[BoardGrouping, str] | None = None,
) -> Snapshot:
    """Every row that belongs to ``lead_ids`` (leads in the trash included)."""
    ids = frozenset(lead_ids)
    tables: dict[str, dict[int, Row]] = {}
    tables[owners.name] = {row.id: dict(row._mapping) for row in connection.execute(select(owners))}
    ordered = sorted(ids)
    # A chunk of ids per query: a whole selected column must not exceed the
    # database's limit on bound parameters.
    chunks = [ordered[start : start + _CHUNK] for start in range(0, len(ordered), _CHUNK)]
    if ids:
        tables[leads.name] = _rows_by_id(connection, leads, leads.c.id, chunks)
        for table in CHILD_TABLES:
            tables[table.name] = _rows_by_id(connection, table, table.c.lead_id, chunks)
    ranks: dict[int, float] = {}
    if column is not None:
        grouping, value = column
        query = select(leads.c.id, leads.c.board_rank).where(
            leads.c[grouping.value] == value, leads.c.deleted_at.is_(None)
        )
        ranks = {row.id: row.board_rank for row in connection.execute(query) if row.id not in ids}
    return Snapshot(ids, tables, ranks)


def read_snapshot(
    db: Database, lead_ids: Iterable[int], column: tuple[BoardGrouping, str] | None = None
) -> Snapshot:
    with db.reading() as connection:
        return take_snapshot(connection, lead_ids, column)


# Well above the gap at which move_leads renumbers a column (leads._MIN_RANK_GAP):
# below it, a move records the ranks of the whole column in case it renumbers.
_RENUMBER_MARGIN = 1e-3


def renumber_scope(
    db: Database,
    grouping: BoardGrouping,
    value: str,
    count: int,
    above_id: int | None,
    below_id: int | None,
) -> tuple[BoardGrouping, str] | None:
    """The column whose ranks a move must record: only when it may renumber them.

    Reading every rank of a 100,000-lead column costs a drop a noticeable pause,
    and a drop renumbers only between two cards with almost no room left.
    """
    if above_id is None or below_id is None:
        return None
    with db.reading() as connection:
        ranks = list(
            connection.execute(
                select(leads.c.board_rank).where(leads.c.id.in_([above_id, below_id]))
            ).scalars()
        )
    if len(ranks) == 2 and abs(ranks[1] - ranks[0]) / (count + 1) >= _RENUMBER_MARGIN:
        return None
    return grouping, value


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row on both sides: None where it did not exist; only differing columns."""

    table: str
    row_id: int
    before: Row | None
    after: Row | None


@dataclass(frozen=True, slots=True)
class UndoDelta:
    """The difference one undoable change made, to write either side back."""

    changes: tuple[RowChange, ...]
    description: str = ""

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def lead_ids(self) -> frozenset[int]:
        return frozenset(change.row_id for change in self.changes if change.table == leads.name)

    @property
    def scored_lead_ids(self) -> frozenset[int]:
        """Leads whose score inputs may differ between the sides (not only their rank)."""
        ids: set[int] = set()
        for change in self.changes:
            if change.table == leads.name:
                if change.after is None or set(change.after) != {"board_rank"}:
                    ids.add(change.row_id)
            elif change.table != owners.name:
                for side in (change.before, change.after):
                    if side is not None and side.get("lead_id") is not None:
                        ids.add(int(side["lead_id"]))
        return frozenset(ids)


def diff_snapshots(before: Snapshot, after: Snapshot, description: str = "") -> UndoDelta:
    """What changed between two snapshots; lead ids only in ``after`` are new leads.

    A lead id the caller learned only after the operation (a lead it created)
    appears in ``after`` alone and is therefore recorded as created.
    """
    changes: list[RowChange] = []
    for name in _ORDER:
        old_rows = before.tables.get(name, {})
        new_rows = after.tables.get(name, {})
        for row_id in sorted(old_rows.keys() | new_rows.keys()):
            old, new = old_rows.get(row_id), new_rows.get(row_id)
            if old is None or new is None:
                changes.append(RowChange(name, row_id, old, new))
                continue
            differing = [key for key in new if old.get(key) != new[key]]
            if differing and "lead_id" in new and "lead_id" not in differing:
                differing.append("lead_id")  # says whose row it is (for rescoring)
            if differing:
                changes.append(
                    RowChange(
                        name,
                        row_id,
                        {key: old.get(key) for key in differing},
                        {key: new[key] for key in differing},
                    )
                )
    for lead_id in sorted(before.ranks.keys() & after.ranks.keys()):
        if before.ranks[lead_id] != after.ranks[lead_id]:
            changes.append(
                RowChange(
                    leads.name,
                    lead_id,
                    {"board_rank": before.ranks[lead_id]},
                    {"board_rank": after.ranks[lead_id]},
                )
            )
    return UndoDelta(tuple(changes), description)


class UndoConflictError(UserError):
    """The rows were changed after the recorded change; writing them back would lose that."""


def _current_rows(
    session: Connection, changes: list[tuple[RowChange, Row | None, Row | None]]
) -> dict[tuple[str, int], Row]:
    """The rows as they are now, read a chunk of ids at a time."""
    wanted: dict[str, list[int]] = {}
    for change, _source, _target in changes:
        wanted.setdefault(change.table, []).append(change.row_id)
    current: dict[tuple[str, int], Row] = {}
    for name, ids in wanted.items():
        table = _TABLES[name]
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for row in session.execute(select(table).where(table.c.id.in_(chunk))):
                current[name, row.id] = dict(row._mapping)
    return current


def _check(
    session: Connection, delta: UndoDelta, changes: list[tuple[RowChange, Row | None, Row | None]]
) -> dict[int, Row]:
    """Refuse when a value about to be replaced is not the one expected.

    Returns the current rows of the leads changed since only in their bookkeeping.
    """
    refused = UndoConflictError(
        f"“{delta.description or 'This change'}” can no longer be undone or redone: "
        "the lead was changed after it."
    )
    deleted: dict[str, set[int]] = {}
    changed_since: dict[int, Row] = {}
    rows_now = _current_rows(session, changes)
    for change, source, target in changes:
        current = rows_now.get((change.table, change.row_id))
        if source is None:
            if current is not None:
                raise refused
            continue
        if current is None:
            if target is None:
                continue  # already gone
            raise refused
        differing = {
            key
            for key, value in source.items()
            if key not in _DERIVED and current.get(key) != value
        }
        if differing and (change.table != leads.name or not differing <= _BOOKKEEPING):
            raise refused
        if differing:
            if target is None:
                raise refused
            changed_since[change.row_id] = current
        if target is None:
            deleted.setdefault(change.table, set()).add(change.row_id)
    # Removing a lead (undoing its creation) must not take rows added since with it.
    removed_leads = sorted(deleted.get(leads.name, set()))
    for table in CHILD_TABLES:
        for start in range(0, len(removed_leads), _CHUNK):
            chunk = removed_leads[start : start + _CHUNK]
            rows = set(
                session.execute(select(table.c.id).where(table.c.lead_id.in_(chunk))).scalars()
            )
            if rows - deleted.get(table.name, set()):
                raise refused
    return changed_since


def _owner_in_use(session: Connection, owner_id: int) -> bool:
    tables = [table for table in (leads, *CHILD_TABLES) if "owner_id" in table.c]
    return any(
        session.execute(select(exists().where(table.c.owner_id == owner_id))).scalar()
        for table in tables
    )


def apply_undo_delta(ctx: OperationContext, delta: UndoDelta, *, undo: bool) -> Outcome[None]:
    """Write the ``before`` side of ``delta`` back (``undo``) or the ``after`` side (redo)."""
    with ctx.db.transaction() as session:
        return Outcome(write_undo_delta(session, ctx, delta, undo=undo), None)


def write_undo_delta(
    session: Connection, ctx: OperationContext, delta: UndoDelta, *, undo: bool
) -> Changes:
    """``apply_undo_delta`` inside the caller's transaction (which records it as done)."""
    sided = [
        (change, change.after, change.before) if undo else (change, change.before, change.after)
        for change in delta.changes
    ]
    order = {name: position for position, name in enumerate(_ORDER)}
    sided.sort(key=lambda item: order[item[0].table])
    created: set[int] = set()
    updated: set[int] = set()
    removed: set[int] = set()
    changed_since = _check(session, delta, sided)
    now = ctx.clock.now()
    sided = [
        (
            change,
            source,
            {
                **target,
                "version": changed_since[change.row_id]["version"] + 1,
                "updated_at": now,
                "updated_by": ctx.actor,
            },
        )
        if change.table == leads.name and target is not None and change.row_id in changed_since
        else (change, source, target)
        for change, source, target in sided
    ]
    # Table by table (parents first); rows that change the same columns in one
    # executemany: taking back the deletion of a whole column is one statement.
    for name in _ORDER:
        table = _TABLES[name]
        inserts = [
            target
            for change, source, target in sided
            if change.table == name and source is None and target is not None
        ]
        if inserts:
            session.execute(insert(table), inserts)
        updates: dict[tuple[str, ...], list[Row]] = {}
        for change, source, target in sided:
            if change.table == name and source is not None and target is not None:
                params = {f"v_{key}": value for key, value in target.items()}
                params["v_row_id"] = change.row_id
                updates.setdefault(tuple(sorted(target)), []).append(params)
        for keys, rows in updates.items():
            statement = (
                update(table)
                .where(table.c.id == bindparam("v_row_id"))
                .values({key: bindparam(f"v_{key}") for key in keys})
            )
            session.execute(statement, rows)
    for change, source, target in sided:
        if change.table not in (leads.name, owners.name):
            # A follow-up or an activity: its lead shows it (card, panel, timeline).
            row = target if target is not None else source
            if row is not None:
                updated.add(row["lead_id"])
        if target is None:
            continue
        if change.table == leads.name:
            if source is None or ("deleted_at" in target and target["deleted_at"] is None):
                created.add(change.row_id)
            elif target.get("deleted_at") is not None:
                removed.add(change.row_id)
            else:
                updated.add(change.row_id)
    for change, source, target in reversed(sided):
        if target is not None or source is None:
            continue
        table = _TABLES[change.table]
        if table is owners and _owner_in_use(session, change.row_id):
            continue  # someone else has been given this team member since
        session.execute(delete(table).where(table.c.id == change.row_id))
        if table is leads:
            removed.add(change.row_id)
    scored = sorted(delta.scored_lead_ids)
    live = {
        lead_id
        for start in range(0, len(scored), _CHUNK)
        for lead_id in session.execute(
            select(leads.c.id).where(
                leads.c.id.in_(scored[start : start + _CHUNK]), leads.c.deleted_at.is_(None)
            )
        ).scalars()
    }
    # The restored activities and follow-ups are the stored times' source.
    refresh_lead_times(session, scored)
    rescore_leads(session, live, ctx.clock.now())
    return Changes(
        created=frozenset(created),
        updated=frozenset(updated - created - removed),
        deleted=frozenset(removed),
        board=True,
        # A team member the step added or took away: the team lists change too.
        settings=any(change.table == owners.name for change in delta.changes),
        description=delta.description,
    )
