"""Creating an import's new leads in bulk, with their first stage history entry and search words.

``NewLeadWriter`` lives inside the import's transaction and owns what creating
leads in bulk needs: the next ids and board ranks, the new leads' scores, the
search index filled a chunk at a time (bulk_search_index), the secondary
indexes dropped while a large import writes (bulk_write.DeferredIndexes) and
the helper thread that runs each chunk's INSERT ... SELECT statements while the
import parses the next chunk (bulk_write.StatementsOffThread).
``ImportBatchWriter`` (batch_writer) decides which rows become new leads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from sqlalchemy import Connection, Integer, String, func, literal, null, select

from leaddesk.core.agenda import countdown_flags
from leaddesk.core.csv_import.mapping import CREATED_AT, FIRST_CONTACTED
from leaddesk.core.dedupe import PersonKeys
from leaddesk.core.fields import (
    FIELDS_BY_NAME,
    LEAD_FIELDS,
    Consent,
    FieldKind,
    Stage,
    Temperature,
)
from leaddesk.core.scoring import NewLeadScorer, ScoreMemo
from leaddesk.core.value_columns import value_columns
from leaddesk.operations.importing.owners import ImportOwners
from leaddesk.operations.scoring import load_rules, load_score_settings
from leaddesk.storage.bulk_search_index import BulkSearchIndex
from leaddesk.storage.bulk_write import (
    DeferredIndexes,
    StagedRows,
    StatementsOffThread,
    cached_converter,
    is_sqlite,
    sql_literal,
    sqlite_value,
)
from leaddesk.storage.schema import leads, stage_history

# Fields the insert writes itself, not as plain field values.
_SET_BY_INSERT = frozenset({CREATED_AT, "owner", "stage", "consent", "temperature"})
_MOMENT_KINDS = frozenset({FieldKind.DATE, FieldKind.DATETIME})
# Values the insert reads besides the plain fields it stores as they are (see
# insert): its own columns, and the facts the score and the countdown read.
_READ_BY_INSERT = (
    CREATED_AT,
    "consent",
    "job_title",
    "company_size",
    "country",
    "email",
    "temperature",
    "stage",
    FIRST_CONTACTED,
    "owner",
)
# What a new lead gets when its row does not say (an enum's .value is slow to ask).
_UNKNOWN_CONSENT: str = Consent.UNKNOWN.value
_COLD: str = Temperature.COLD.value
_FIRST_STAGE: str = Stage.LEAD.value
# Columns that count up by one from a chunk's first new lead (see _write).
_COUNTED = ("id", "board_rank")
# A new lead's stage changed when it was created: the same value, bound once.
_SAME_AS = {"stage_changed_at": "created_at"}
# Key columns that hold their field's value as it is in most files.
_SAME_IF_EQUAL = {"email_normalized": "email", "phone_normalized": "phone"}
_HISTORY_COLUMNS = (
    "lead_id",
    "from_stage",
    "to_stage",
    "changed_at",
    "changed_by",
    "import_batch_id",
)


class NewLeadWriter:
    """Creates one import's new leads a chunk at a time, inside its transaction."""

    def __init__(
        self,
        connection: Connection,
        *,
        batch_id: int,
        now: dt.datetime,
        actor: str | None,
        owners: ImportOwners,
        sla_minutes: Mapping[Temperature, int],
    ) -> None:
        self._conn = connection
        self._batch_id = batch_id
        self._now = now
        self._actor = actor
        self._owners = owners
        self._sla_minutes = sla_minutes
        scorer = NewLeadScorer(load_rules(connection), load_score_settings(connection), now)
        self._scores = ScoreMemo(scorer.score_new_lead)
        self._next_id = (connection.execute(select(func.max(leads.c.id))).scalar() or 0) + 1
        self._next_rank = connection.execute(select(func.min(leads.c.board_rank))).scalar() or 0.0
        # The ids of new leads, one range a chunk: a million ints held in a list
        # would cost tens of megabytes of an import's memory budget.
        self.created_ranges: list[range] = []
        # SQLite gets plain values through the driver (see _write); others get
        # Python values through SQLAlchemy.
        self._sqlite = is_sqlite(connection)
        self._db_value: Callable[[Any], Any] = (
            cached_converter(sqlite_value) if self._sqlite else _unchanged
        )
        self._now_in_db = self._db_value(now)
        self.search = BulkSearchIndex.start(connection)
        """The search index filled in bulk (None: the trigger does it, or not SQLite)."""
        # SQLite: each chunk's INSERT ... SELECT statements run off this thread.
        self._off_thread = StatementsOffThread() if self._sqlite else None
        self._deferred_indexes: DeferredIndexes | None = None
        # A large import's rows go through a staging table (see defer_indexes).
        self._staged: StagedRows | None = None

    @property
    def next_id(self) -> int:
        """The id the next new lead gets."""
        return self._next_id

    def defer_indexes(self) -> None:
        """Drop the secondary indexes until ``finish`` (worth it for a large import)."""
        if self._sqlite and self._deferred_indexes is None:
            self.settle()
            self._deferred_indexes = DeferredIndexes.drop(self._conn)
            # The indexes kept (the cheap ones, and those the duplicate lookups
            # use) are then kept up to date off this thread: the rows are staged
            # and moved into the table on the helper thread.
            self._staged = StagedRows(self._conn, len(leads.columns))

    def insert(
        self,
        all_values: Sequence[Mapping[str, Any]],
        keys: Sequence[PersonKeys],
        worked: Sequence[bool],
    ) -> int:
        """Create a chunk's new leads; how many of them got a speed-to-lead countdown.

        ``worked``: whether a status column says someone already worked the lead.
        Builds the rows column by column and zips them into tuples in one fixed
        column order: at a large import's volume, per-row dicts and per-value
        conversions cost more than SQLite's insert.
        """
        count = len(all_values)
        if not count:
            return 0
        present: set[str] = set()
        for values in all_values:
            present.update(values)
        now = self._now
        first_id, rank = self._next_id, self._next_rank - count
        field_names = [
            f.name for f in LEAD_FIELDS if f.name in present and f.name not in _SET_BY_INSERT
        ]
        # The score's facts are plain fields too: each name read once.
        wanted = dict.fromkeys([*field_names, *_READ_BY_INSERT])
        read = value_columns(all_values, [name for name in wanted if name in present])
        absent = (None,) * count

        def column(name: str) -> Sequence[Any]:
            return read.get(name, absent)

        columns = self._field_columns(field_names, read, column)
        created = [moment or now for moment in column(CREATED_AT)]
        created_in_db = self._in_db(created)
        consents = [consent or _UNKNOWN_CONSENT for consent in column("consent")]
        scores = self._scores.scores(
            column("job_title"),
            column("company_size"),
            column("country"),
            column("email"),
            consents,
            created,
        )
        temperatures = [t or _COLD for t in column("temperature")]
        stages = [s or _FIRST_STAGE for s in column("stage")]
        if FIRST_CONTACTED in present:
            # A lead contacted already is worked: no countdown.
            contacted = column(FIRST_CONTACTED)
            worked = [w or c is not None for w, c in zip(worked, contacted, strict=True)]
            columns["first_contacted_at"] = self._in_db(contacted)
        countdowns = countdown_flags(created, temperatures, stages, worked, now, self._sla_minutes)
        columns.update(
            {
                "id": range(first_id, first_id + count),
                "temperature": temperatures,
                "stage": stages,
                "consent": consents,
                "board_rank": [rank + offset for offset in range(count)],
                "created_at": created_in_db,
                "score": scores,
                "email_normalized": [key.email for key in keys],
                "phone_normalized": [key.phone for key in keys],
                "company_key": [key.company for key in keys],
                "sla_applies": countdowns,
            }
        )
        move = self._write(columns, count)
        lead_ids = range(first_id, first_id + count)
        if self._off_thread is not None:
            self._off_thread.run(partial(self._after_insert, lead_ids, move))
        else:
            self._after_insert(lead_ids, move)
        self._next_id += count
        self._next_rank = rank
        self.created_ranges.append(lead_ids)
        return sum(countdowns)

    def _field_columns(
        self,
        field_names: list[str],
        read: Mapping[str, Sequence[Any]],
        column: Callable[[str], Sequence[Any]],
    ) -> dict[str, Sequence[Any]]:
        """Column name -> values of the fields some row fills (the rest stay NULL)."""
        columns: dict[str, Sequence[Any]] = {}
        for name in field_names:
            field = FIELDS_BY_NAME[name]
            # Only dates and moments need converting; the rest are str, int or bool.
            values = read[name]
            columns[field.column_name] = (
                self._in_db(values) if field.kind in _MOMENT_KINDS else values
            )
        default_owner = self._owners.default_id
        if "owner" in read or default_owner is not None:
            if "owner" in read:
                self.settle()  # id_of may look up or add a team member
            id_of = self._owners.id_of
            columns["owner_id"] = [
                id_of(str(owner)) if owner else default_owner for owner in column("owner")
            ]
        return columns

    def _in_db(self, moments: Sequence[Any]) -> list[Any]:
        """Dates and moments as the database stores them; each distinct one converted once."""
        db_value = self._db_value
        stored = {moment: None if moment is None else db_value(moment) for moment in set(moments)}
        return list(map(stored.__getitem__, moments))

    def _write(self, columns: dict[str, Sequence[Any]], count: int) -> str | None:
        """Insert ``count`` new leads given column by column, or stage them.

        Returns the statement that moves staged rows into the table (run by
        _after_insert), or None when they are in the table already.
        """
        shared: dict[str, Any] = {
            "version": 1,
            "updated_at": self._now_in_db,
            "created_by": self._actor,
            "updated_by": self._actor,
            "import_batch_id": self._batch_id,
        }
        if not self._sqlite:
            self.settle()
            names = list(columns)
            copied = {name: names.index(source) for name, source in _SAME_AS.items()}
            self._conn.execute(
                leads.insert(),
                [
                    {
                        **dict(zip(names, row, strict=True)),
                        **shared,
                        **{name: row[at] for name, at in copied.items()},
                    }
                    for row in zip(*columns.values(), strict=True)
                ],
            )
            return None
        # SQLite: hand the driver plain tuples. SQLAlchemy's per-value type
        # processing costs more than the insert itself at this volume; the values
        # are already what its SQLite types store (see sqlite_value). Binding a
        # value costs the driver about as much as SQLite's own work on it, so a
        # value every row of the chunk has is written into the statement, and a
        # column equal to another takes that one's value.
        bound: dict[str, Sequence[Any]] = {}
        literals: dict[str, str] = {}
        for name, column in [
            *((name, [value]) for name, value in shared.items()),
            *columns.items(),
        ]:
            # The ids always bound: the statement runs once for each bound row.
            value = _VARIES if name == "id" else _shared_value(column)
            if value is _VARIES:
                bound[name] = column
            else:
                literals[name] = sql_literal(value)
        for name, value in shared.items():
            if name in bound:  # text a statement cannot hold: bound on every row
                bound[name] = [value] * count
        staged = self._staged
        if staged is not None and len(bound) > len(_COUNTED):
            # Ids and board ranks step by one from the chunk's first: worked out
            # from each staged row's number instead of bound on every row.
            for name in _COUNTED:
                if name in bound:
                    before_first = bound.pop(name)[0] - 1
                    literals[name] = f"({before_first!r} + {staged.ROW_NUMBER})"
        same = dict(_SAME_AS)
        for name, source in _SAME_IF_EQUAL.items():
            # The usual chunk: the keys are the values themselves, not bound twice.
            if name in bound and source in bound and tuple(bound[name]) == tuple(bound[source]):
                del bound[name]
                same[name] = source
        rows = list(
            zip(
                *(
                    _plain_column(column) if name in _MAY_HOLD_ENUMS_OR_BOOLS else column
                    for name, column in bound.items()
                ),
                strict=True,
            )
        )
        # The connection is this thread's from here: the last chunk's moves done.
        self.settle()
        # Where each bound column's value is: a parameter, or a staged column.
        place = "c{}" if staged is not None else "?{}"
        sources = {name: place.format(number) for number, name in enumerate(bound, start=1)}
        for name, source in same.items():
            literals[name] = literals[source] if source in literals else sources[source]
        names = [*bound, *literals]
        expressions = [*sources.values(), *literals.values()]
        if staged is not None:
            staged.stage(self._conn, rows, len(bound))
            return staged.move_statement(leads.name, names, expressions)
        self._conn.exec_driver_sql(
            f"INSERT INTO {leads.name} ({', '.join(names)}) VALUES ({', '.join(expressions)})",
            rows,
        )
        return None

    def _after_insert(self, lead_ids: range, move: str | None = None) -> None:
        """The first history entry and the search index entries of the new leads ``lead_ids``.

        ``move``: the statement that moves them from the staging table first.
        """
        if move is not None and self._staged is not None:
            self._staged.move(self._conn, move)
        self._conn.execute(
            stage_history.insert().from_select(
                _HISTORY_COLUMNS,
                select(
                    leads.c.id,
                    null(),
                    leads.c.stage,
                    leads.c.created_at,
                    literal(self._actor, String),
                    literal(self._batch_id, Integer),
                )
                .where(leads.c.id.between(lead_ids.start, lead_ids.stop - 1))
                .order_by(leads.c.id),
            )
        )
        if self.search is not None:
            self.search.index_range(self._conn, lead_ids)

    def settle(self) -> None:
        """Wait until the helper thread is done with the connection (raise what it raised)."""
        if self._off_thread is not None:
            self._off_thread.settle()

    def close(self) -> None:
        """Stop the helper thread; call before the transaction ends, whichever way it ends."""
        if self._off_thread is not None:
            self._off_thread.close()

    def finish(self) -> None:
        """Put back what the import took out for speed; call before the commit."""
        self.settle()
        if self._staged is not None:
            self._staged.drop(self._conn)
            self._staged = None
        if self.search is not None:
            self.search.finish(self._conn)
        if self._deferred_indexes is not None:
            self._deferred_indexes.rebuild(self._conn)
            self._deferred_indexes = None


def _unchanged(value: Any) -> Any:
    return value


_VARIES: Any = object()
# What the sqlite3 driver binds without asking its adapters: anything else
# (an enum member, a bool) costs it a lookup of the adapters, and two such
# columns doubled a chunk's binding time.
_BOUND_AS_IS = frozenset({str, int, float, type(None)})
# The columns whose values may be enum members or bools (the others are
# text, numbers and the moments _in_db made text), so only these are scanned.
_MAY_HOLD_ENUMS_OR_BOOLS = frozenset(
    {
        "stage",
        "temperature",
        "consent",
        "sla_applies",
        *(f.column_name for f in LEAD_FIELDS if f.kind in (FieldKind.BOOL, FieldKind.CHOICE)),
    }
)


def _plain_column(column: Sequence[Any]) -> Sequence[Any]:
    """``column`` with enum members as their text and bools as 0 or 1."""
    if _BOUND_AS_IS.issuperset(map(type, column)):
        return column
    plain = {value: sqlite_value(value) for value in set(column)}
    return list(map(plain.__getitem__, column))


def _shared_value(column: Sequence[Any]) -> Any:
    """The value every row of ``column`` has, if a statement can hold it; else _VARIES."""
    first = column[0]
    if not (
        first is None
        or type(first) in (int, bool)
        or (isinstance(first, str) and "\x00" not in first)
    ):
        return _VARIES
    if len(column) > 1 and column.count(first) != len(column):
        return _VARIES
    # count() takes 1 and True (0 and False) for equal; 1.0 too: check the types.
    return first if len(set(map(type, column))) == 1 else _VARIES
