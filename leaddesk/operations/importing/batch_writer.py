"""Writing one import into the database: the rows of each chunk, their duplicates.

``ImportBatchWriter`` lives inside the import's transaction. For each chunk it
finds the leads the rows duplicate (already stored, stored by an earlier chunk,
or earlier in the same chunk), creates the new ones in bulk and merges the
duplicates by policy, recording what undo needs to put back.

It holds its collaborators, each with its own state: a ``DuplicateFinder``
(duplicate_finder: the key screens and the lookups of duplicates), a
``LeadUpdater`` (lead_updater: merging rows into stored leads, saving what undo
needs), the ``ImportOwners`` (owners) and a ``ScoreMemo`` (the new leads'
scores). This module keeps the chunk loop and the inserts of new leads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import repeat
from operator import methodcaller
from typing import Any

from sqlalchemy import Connection, Integer, String, Table, func, literal, null, select

from leaddesk.core.csv_import.mapping import CREATED_AT
from leaddesk.core.dedupe import PersonName
from leaddesk.core.fields import (
    FIELDS_BY_NAME,
    LEAD_FIELDS,
    Consent,
    FieldKind,
    Stage,
    Temperature,
)
from leaddesk.core.import_merge import DuplicatePolicy, merged_changes
from leaddesk.core.scoring import NewLeadScorer, ScoreMemo
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing.duplicate_finder import (
    NO_NAME,
    DuplicateFinder,
    RowKeys,
    chunk_keys,
    find_match,
    row_keys,
)
from leaddesk.operations.importing.lead_updater import LeadUpdater
from leaddesk.operations.importing.owners import ImportOwners
from leaddesk.operations.importing.result import ImportResult
from leaddesk.operations.scoring import load_rules, load_score_settings
from leaddesk.storage.bulk_search_index import BulkSearchIndex
from leaddesk.storage.bulk_write import (
    DeferredIndexes,
    StatementsOffThread,
    cached_converter,
    is_sqlite,
    sqlite_value,
)
from leaddesk.storage.schema import leads, stage_history


@dataclass(slots=True)
class _Pending:
    """A lead this chunk will create."""

    values: dict[str, Any]
    line_number: int
    keys: RowKeys


ParsedLine = tuple[int, list[str], dict[str, Any]]
"""One importable row: line number, its cells as read, its parsed values."""

# An import expected to add at least this many leads, more than the table holds,
# rebuilds the secondary indexes at the end (see DeferredIndexes).
DEFER_INDEXES_FROM_ROWS = 5000

# Fields the new-lead insert writes itself, not as plain field values.
_SET_BY_INSERT = frozenset({CREATED_AT, "owner", "stage", "consent", "temperature"})
_MOMENT_KINDS = frozenset({FieldKind.DATE, FieldKind.DATETIME})
# What a new lead gets when its row does not say (an enum's .value is slow to ask).
_UNKNOWN_CONSENT: str = Consent.UNKNOWN.value
_COLD: str = Temperature.COLD.value
_FIRST_STAGE: str = Stage.LEAD.value
# Columns every new lead row ends with, after its field values (see insert_new_leads).
_NEW_LEAD_COLUMNS = (
    "id",
    "version",
    "temperature",
    "stage",
    "consent",
    "board_rank",
    "created_at",
    "updated_at",
    "stage_changed_at",
    "created_by",
    "updated_by",
    "import_batch_id",
    "score",
    "email_normalized",
    "phone_normalized",
    "company_key",
)
_HISTORY_COLUMNS = (
    "lead_id",
    "from_stage",
    "to_stage",
    "changed_at",
    "changed_by",
    "import_batch_id",
)


class ImportBatchWriter:
    """One import in progress, inside its transaction."""

    def __init__(
        self,
        ctx: OperationContext,
        connection: Connection,
        batch_id: int,
        policy: DuplicatePolicy,
        expected_rows: int,
    ) -> None:
        self.ctx = ctx
        self.conn = connection
        self.batch_id = batch_id
        self.policy = policy
        self.now = ctx.clock.now()
        self.result = ImportResult(batch_id=batch_id)
        # The ids of new leads, one range a chunk: a million ints held in a list
        # would cost tens of megabytes of an import's memory budget.
        self.created_ranges: list[range] = []
        self.owners = ImportOwners(connection, batch_id, self.now)
        scorer = NewLeadScorer(load_rules(connection), load_score_settings(connection), self.now)
        self.scores = ScoreMemo(scorer.score_new_lead)
        self._next_id = (connection.execute(select(func.max(leads.c.id))).scalar() or 0) + 1
        self._next_rank = connection.execute(select(func.min(leads.c.board_rank))).scalar() or 0.0
        self._expected_rows = expected_rows
        self._stored_leads = connection.execute(select(func.count()).select_from(leads)).scalar()
        self.duplicates = DuplicateFinder(
            connection, expected_rows + (self._stored_leads or 0) + 1000
        )
        # SQLite gets plain values through the driver (see write_rows); others get
        # Python values through SQLAlchemy.
        self._sqlite = is_sqlite(connection)
        self._db_value: Callable[[Any], Any] = (
            cached_converter(sqlite_value) if self._sqlite else _unchanged
        )
        self._now_in_db = self._db_value(self.now)
        self._search = BulkSearchIndex.start(connection)
        self.updater = LeadUpdater(
            connection,
            batch_id=batch_id,
            policy=policy,
            now=self.now,
            actor=ctx.actor,
            result=self.result,
            owners=self.owners,
            duplicates=self.duplicates,
            search=self._search,
        )
        # SQLite: each chunk's INSERT ... SELECT statements run off this thread.
        self._off_thread = StatementsOffThread() if self._sqlite else None
        self._deferred_indexes: DeferredIndexes | None = None
        self._indexes_considered = not self._sqlite
        self.duplicates.load_stored_keys()
        # The result owns the file of rejected rows, and frees it with itself.
        self.result.open_error_rows()

    @property
    def updated_ids(self) -> set[int]:
        """The stored leads this import changed."""
        return self.updater.updated_ids

    @property
    def owners_added(self) -> int:
        """Team members this import created (Settings → Team)."""
        return self.owners.added

    # -- rows ------------------------------------------------------------------

    def process_chunk(self, chunk: Sequence[ParsedLine]) -> None:
        """Create this chunk's new leads and merge its duplicates by policy."""
        keys = chunk_keys([values for _line, _cells, values in chunk])
        # From here on this chunk uses the connection: the last chunk's
        # statements off the thread must be done (and found no error).
        self._settle()
        if self.policy is DuplicatePolicy.CREATE:
            # Every row becomes a lead: nothing to look up or remember.
            rows = zip(chunk, keys, strict=True)
            self.insert_new_leads(
                [_Pending(values, line, key) for (line, _cells, values), key in rows], len(chunk)
            )
            return
        by_email, by_phone, by_company = self.duplicates.stored_matches(keys)
        pending: list[_Pending] = []
        local_email: dict[str, int] = {}
        local_phone: dict[str, int] = {}
        local_company: dict[str, list[tuple[PersonName, int]]] = {}
        # lead id -> merged incoming values, applied after the chunk is read
        updates: dict[int, list[dict[str, Any]]] = {}

        append_pending = pending.append
        for (line_number, _cells, values), key in zip(chunk, keys, strict=True):
            email, phone, company, name = key
            if (
                (email is None or (email not in by_email and email not in local_email))
                and (phone is None or (phone not in by_phone and phone not in local_phone))
                and (
                    company is None or (company not in by_company and company not in local_company)
                )
            ):
                target = None  # what both find_match calls below would say, settled quicker
            else:
                target = find_match(key, by_email, by_phone, by_company, "lead") or find_match(
                    key, local_email, local_phone, local_company, "new"
                )
            if target is None:
                index = len(pending)
                append_pending(_Pending(values, line_number, key))
                if email:
                    local_email.setdefault(email, index)
                if phone:
                    local_phone.setdefault(phone, index)
                if company and name != NO_NAME:
                    local_company.setdefault(company, []).append((name, index))
                continue
            kind, ref = target
            if self.policy is DuplicatePolicy.SKIP:
                self.result.row_skipped(values)
            elif kind == "new":
                earlier = pending[ref]
                changes = merged_changes(earlier.values, values, self.policy)
                if changes:
                    earlier.values.update(changes)
                    earlier.keys = row_keys(earlier.values)
                    self.result.updated += 1
                else:
                    self.result.row_skipped(values)
            else:
                updates.setdefault(ref, []).append(values)

        self.insert_new_leads(pending, len(chunk))
        if updates:
            self.updater.update(updates)

    # -- writing ---------------------------------------------------------------

    def _defer_indexes_if_worthwhile(self, new_rows: int, chunk_rows: int) -> None:
        """On the first chunk that creates leads, judge how many the file will add."""
        if self._indexes_considered:
            return
        self._indexes_considered = True
        expected_new = self._expected_rows * new_rows / max(1, chunk_rows)
        if expected_new >= DEFER_INDEXES_FROM_ROWS and expected_new > (self._stored_leads or 0):
            self._deferred_indexes = DeferredIndexes.drop(self.conn)

    def insert_new_leads(self, pending: list[_Pending], chunk_rows: int) -> None:
        """Create this chunk's new leads, with their first stage history entry.

        Builds the rows as tuples in one fixed column order: at a large import's
        volume, per-row dicts and per-value conversions cost more than SQLite's insert.
        """
        if not pending:
            return
        self._defer_indexes_if_worthwhile(len(pending), chunk_rows)
        now, actor, batch_id = self.now, self.ctx.actor, self.batch_id
        now_in_db, db_value, score_columns = self._now_in_db, self._db_value, self.scores.scores
        present: set[str] = set()
        for item in pending:
            present.update(item.values)
        # Field columns some row fills, in field order; the others stay NULL.
        names = [f.name for f in LEAD_FIELDS if f.name in present and f.name not in _SET_BY_INSERT]
        # Only dates and moments need converting; the rest are str, int or bool.
        moments = {i for i, name in enumerate(names) if FIELDS_BY_NAME[name].kind in _MOMENT_KINDS}
        default_owner = self.owners.default_id
        with_owner = "owner" in present or default_owner is not None
        first_id = self._next_id
        count = len(pending)
        rank = self._next_rank - count
        all_values = [item.values for item in pending]
        # Column by column, then zipped into rows: no per-row dict or list.
        field_columns: list[list[Any]] = []
        for position, name in enumerate(names):
            column = list(map(methodcaller("get", name), all_values))
            if position in moments:
                column = [None if value is None else db_value(value) for value in column]
            field_columns.append(column)
        if with_owner:
            field_columns.append(
                [
                    self.owners.id_of(str(owner)) if owner else default_owner
                    for owner in map(methodcaller("get", "owner"), all_values)
                ]
            )
        created = [moment or now for moment in map(methodcaller("get", CREATED_AT), all_values)]
        created_in_db = [now_in_db if moment is now else db_value(moment) for moment in created]
        consents = [
            consent or _UNKNOWN_CONSENT
            for consent in map(methodcaller("get", "consent"), all_values)
        ]
        scores = score_columns(
            list(map(methodcaller("get", "job_title"), all_values)),
            list(map(methodcaller("get", "company_size"), all_values)),
            list(map(methodcaller("get", "country"), all_values)),
            list(map(methodcaller("get", "email"), all_values)),
            consents,
            created,
        )
        keys = [item.keys for item in pending]
        rows = list(
            zip(
                *field_columns,
                range(first_id, first_id + count),
                repeat(1),
                [t or _COLD for t in map(methodcaller("get", "temperature"), all_values)],
                [s or _FIRST_STAGE for s in map(methodcaller("get", "stage"), all_values)],
                consents,
                [rank + offset for offset in range(count)],
                created_in_db,
                repeat(now_in_db),
                created_in_db,
                repeat(actor),
                repeat(actor),
                repeat(batch_id),
                scores,
                [key.email for key in keys],
                [key.phone for key in keys],
                [key.company for key in keys],
            )
        )
        columns = [FIELDS_BY_NAME[name].column_name for name in names]
        if with_owner:
            columns.append("owner_id")
        self.write_rows(leads, [*columns, *_NEW_LEAD_COLUMNS], rows)
        last_id = first_id + len(pending) - 1
        if self._off_thread is not None:
            self._off_thread.run(partial(self._after_insert, range(first_id, last_id + 1)))
        else:
            self._after_insert(range(first_id, last_id + 1))
        self._next_id += count
        self._next_rank = rank
        self.created_ranges.append(range(first_id, last_id + 1))
        self.result.created += len(pending)

    def _after_insert(self, lead_ids: range) -> None:
        """The first history entry and the search index entries of the new leads ``lead_ids``."""
        self.conn.execute(
            stage_history.insert().from_select(
                _HISTORY_COLUMNS,
                select(
                    leads.c.id,
                    null(),
                    leads.c.stage,
                    leads.c.created_at,
                    literal(self.ctx.actor, String),
                    literal(self.batch_id, Integer),
                )
                .where(leads.c.id.between(lead_ids.start, lead_ids.stop - 1))
                .order_by(leads.c.id),
            )
        )
        if self._search is not None:
            self._search.index_range(self.conn, lead_ids)

    def _settle(self) -> None:
        if self._off_thread is not None:
            self._off_thread.settle()

    def close(self) -> None:
        """Stop the helper thread; call before the transaction ends, whichever way it ends."""
        if self._off_thread is not None:
            self._off_thread.close()

    def write_rows(self, table: Table, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        if not self._sqlite:
            self.conn.execute(
                table.insert(), [dict(zip(columns, row, strict=True)) for row in rows]
            )
            return
        # SQLite: hand the driver plain tuples. SQLAlchemy's per-value type
        # processing costs more than the insert itself at this volume; the values
        # are already what its SQLite types store (see sqlite_value).
        placeholders = ", ".join("?" for _ in columns)
        self.conn.exec_driver_sql(
            f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})", rows
        )

    def finish(self) -> None:
        """Put back what the import took out for speed; call before the commit."""
        self._settle()
        if self._search is not None:
            self._search.finish(self.conn)
        if self._deferred_indexes is not None:
            self._deferred_indexes.rebuild(self.conn)
            self._deferred_indexes = None


def _unchanged(value: Any) -> Any:
    return value
