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

from leaddesk.core.agenda import (
    STATUS_HEADERS,
    countdown_flags,
    sla_minutes_from_settings,
    status_says_worked,
)
from leaddesk.core.csv_import.mapping import CREATED_AT, ColumnMapping
from leaddesk.core.dedupe import (
    NO_NAME,
    Decision,
    MatchReason,
    PersonKeys,
    choose,
)
from leaddesk.core.fields import (
    FIELDS_BY_NAME,
    LEAD_FIELDS,
    Consent,
    FieldKind,
    Stage,
    Temperature,
    display_name,
)
from leaddesk.core.import_merge import DuplicatePolicy, merged_changes
from leaddesk.core.scoring import NewLeadScorer, ScoreMemo
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing.duplicate_finder import (
    MAX_CANDIDATES,
    DuplicateFinder,
    RowKeys,
    StoredCandidates,
    chunk_keys,
    row_keys,
)
from leaddesk.operations.importing.lead_updater import LeadUpdater
from leaddesk.operations.importing.owners import ImportOwners
from leaddesk.operations.importing.result import (
    DUPLICATE_SAMPLE,
    DuplicateAction,
    DuplicateRow,
    ImportResult,
    SettledRow,
)
from leaddesk.operations.scoring import load_rules, load_score_settings
from leaddesk.storage.bulk_search_index import BulkSearchIndex
from leaddesk.storage.bulk_write import (
    DeferredIndexes,
    StatementsOffThread,
    cached_converter,
    is_sqlite,
    sqlite_value,
)
from leaddesk.storage.duplicates import add_pairs
from leaddesk.storage.schema import leads, stage_history
from leaddesk.storage.settings_store import read_settings


@dataclass(slots=True)
class _Pending:
    """A lead this chunk will create."""

    values: dict[str, Any]
    line_number: int
    keys: RowKeys
    worked: bool = False
    """A status column says someone already worked the lead: no speed-to-lead countdown."""


@dataclass(slots=True)
class _Settled:
    """A row the duplicate rule matched to a lead, until the chunk's new leads have ids."""

    line_number: int
    cells: list[str]
    values: dict[str, Any] | None
    matched: int
    """A stored lead's id, or -(index + 1) of a new lead of this chunk."""
    reason: MatchReason
    index: int | None = None
    """The new lead of this chunk the row became (a possible duplicate)."""
    action: DuplicateAction | None = None
    """None until settled; stays None for a possible duplicate (created)."""


class _LocalLeads:
    """The new leads of one chunk, by key, for the rows after them in the chunk."""

    def __init__(self) -> None:
        self.pending: list[_Pending] = []
        self.by_email: dict[str, int] = {}
        self.by_phone: dict[str, list[int]] = {}
        self.by_company: dict[str, list[int]] = {}
        # index -> the email a later row (the same person) gave a lead that had none
        self.claims: dict[int, str] = {}

    def add(self, pending: _Pending) -> int:
        """Index a new lead by its keys; its index in ``pending``."""
        index = len(self.pending)
        self.pending.append(pending)
        # ``index`` inlined: this runs for every new lead of an import.
        email, phone, company, name = pending.keys
        if email and email not in self.by_email:
            self.by_email[email] = index
        if phone:
            same_phone = self.by_phone.get(phone)
            if same_phone is None:
                self.by_phone[phone] = [index]
            elif len(same_phone) < MAX_CANDIDATES:
                same_phone.append(index)
        if company and name != NO_NAME:
            same_company = self.by_company.get(company)
            if same_company is None:
                self.by_company[company] = [index]
            elif len(same_company) < MAX_CANDIDATES:
                same_company.append(index)
        return index

    def index(self, index: int, keys: RowKeys) -> None:
        email, phone, company, name = keys
        if email:
            self.by_email.setdefault(email, index)
        if phone:
            same_phone = self.by_phone.setdefault(phone, [])
            if index not in same_phone and len(same_phone) < MAX_CANDIDATES:
                same_phone.append(index)
        if company and name != NO_NAME:
            same_company = self.by_company.setdefault(company, [])
            if index not in same_company and len(same_company) < MAX_CANDIDATES:
                same_company.append(index)

    def claim(self, index: int, email: str) -> None:
        if self.pending[index].keys.email is None and index not in self.claims:
            self.claims[index] = email
            self.by_email.setdefault(email, index)

    def candidates(self, key: RowKeys) -> list[tuple[int, PersonKeys]]:
        """The new leads sharing the row's phone or company, as (-(index + 1), keys)."""
        _email, phone, company, _name = key
        found = self.by_phone.get(phone, ()) if phone is not None else ()
        at_company = self.by_company.get(company, ()) if company is not None else ()
        if not found and not at_company:
            return []
        pending, claims = self.pending, self.claims
        candidates = []
        for index in (*found, *at_company):
            keys = pending[index].keys
            if keys.email is None and index in claims:
                keys = keys._replace(email=claims[index])
            candidates.append((-index - 1, keys))
        return candidates


_NEW_LEAD: Decision[int] = Decision()


def _never_worked(_cells: list[str]) -> bool:
    return False


_UPDATED = DuplicateAction.UPDATED
_CREATED = DuplicateAction.CREATED
_SKIPPED = DuplicateAction.SKIPPED
_SAME_EMAIL = MatchReason.SAME_EMAIL


def status_columns(mapping: ColumnMapping) -> tuple[int, ...]:
    """The columns whose words may say a lead was already worked: the stage, a status."""
    return tuple(
        column
        for column, header in enumerate(mapping.headers)
        if mapping.targets[column] == "stage"
        or " ".join(header.casefold().split()) in STATUS_HEADERS
    )


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
    "sla_applies",
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
        *,
        status_columns: Sequence[int] = (),
    ) -> None:
        """``status_columns``: the file's columns that may say a lead was already worked."""
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
        if policy is not DuplicatePolicy.CREATE:
            self.duplicates.load_stored_keys()
        # Stored leads without an email that a row with one was taken for, this import.
        self._claimed: dict[int, str] = {}
        self._claimed_by_email: dict[str, int] = {}
        self._status_columns = tuple(status_columns)
        self._sla_minutes = sla_minutes_from_settings(read_settings(connection))
        # The result owns the file of rejected rows, and frees it with itself.
        self.result.open_error_rows()
        # (new lead, the lead it may duplicate, why): recorded for review in finish().
        self.possible_pairs: list[tuple[int, int, str]] = []

    @property
    def updated_ids(self) -> set[int]:
        """The stored leads this import changed."""
        return self.updater.updated_ids

    @property
    def marked_ids(self) -> set[int]:
        """Stored leads a new lead may duplicate: their cards show the mark now."""
        return {other for _lead, other, _reason in self.possible_pairs}

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
        worked = self._status_says_worked if self._status_columns else _never_worked
        if self.policy is DuplicatePolicy.CREATE:
            # Every row becomes a lead: nothing to look up or remember.
            rows = zip(chunk, keys, strict=True)
            self.insert_new_leads(
                [_Pending(values, line, key, worked(cells)) for (line, cells, values), key in rows],
                len(chunk),
            )
            return
        stored = self.duplicates.stored_matches(keys)
        local = _LocalLeads()
        settled: list[_Settled] = []
        # lead id -> merged incoming values, applied after the chunk is read
        updates: dict[int, list[dict[str, Any]]] = {}
        update_notes: dict[int, list[_Settled]] = {}
        decide, add = self._decide, local.add
        stored_email, stored_phone, stored_company = stored
        local_email, local_phone, local_company = local.by_email, local.by_phone, local.by_company
        claimed_email = self._claimed_by_email
        skip = self.policy is DuplicatePolicy.SKIP
        for (line_number, cells, values), key in zip(chunk, keys, strict=True):
            email, phone, company, _name = key
            if (
                (
                    email is None
                    or (
                        email not in stored_email
                        and email not in local_email
                        and email not in claimed_email
                    )
                )
                and (phone is None or (phone not in stored_phone and phone not in local_phone))
                and (
                    company is None
                    or (company not in stored_company and company not in local_company)
                )
            ):
                # The common row, settled without the general rule: nobody shares a key.
                add(_Pending(values, line_number, key, worked(cells)))
                continue
            # A stored lead with the row's email: the re-import's row, settled at once.
            same = stored_email.get(email) if email is not None else None
            if same is not None:
                reason = _SAME_EMAIL
            else:
                decision = decide(key, stored, local)
                if decision.reason is None:
                    add(_Pending(values, line_number, key, worked(cells)))
                    continue
                if decision.same is None:
                    # Another email: a new lead, listed as a possible duplicate.
                    assert decision.possible is not None
                    index = add(_Pending(values, line_number, key, worked(cells)))
                    settled.append(
                        _Settled(
                            line_number, cells, None, decision.possible, decision.reason, index
                        )
                    )
                    self.result.possible_duplicates += 1
                    continue
                same, reason = decision.same, decision.reason
                self._claim(same, reason, key, local)
            note = _Settled(line_number, cells, values, same, reason)
            settled.append(note)
            if skip:
                note.action = _SKIPPED
                self.result.row_skipped(values)
            elif same < 0:
                self._merge_into_earlier_row(-same - 1, note, local)
            else:
                updates.setdefault(same, []).append(values)
                update_notes.setdefault(same, []).append(note)

        first_id = self._next_id
        self.insert_new_leads(local.pending, len(chunk))
        if updates:
            changed = self.updater.update(updates)
            for lead_id, notes in update_notes.items():
                for note, row_changed in zip(notes, changed[lead_id], strict=True):
                    note.action = _UPDATED if row_changed else DuplicateAction.SKIPPED
        self._record(settled, local, first_id)

    def _decide(self, key: RowKeys, stored: StoredCandidates, local: _LocalLeads) -> Decision[int]:
        """Which lead the row is (a stored id, or -(index + 1) of a new lead of this chunk)."""
        email, phone, company, name = key
        if email is not None:
            lead_id = stored.by_email.get(email) or self._claimed_by_email.get(email)
            if lead_id is not None:
                return Decision(same=lead_id, reason=MatchReason.SAME_EMAIL)
            index = local.by_email.get(email)
            if index is not None:
                return Decision(same=-index - 1, reason=MatchReason.SAME_EMAIL)
        by_phone = stored.by_phone.get(phone) if phone is not None else None
        by_company = (
            stored.by_company.get(company) if company is not None and name != NO_NAME else None
        )
        earlier = local.candidates(key)
        if not by_phone and not by_company and not earlier:
            return _NEW_LEAD  # the common row, settled without the general rule
        candidates = [*(by_phone or ()), *(by_company or ())]
        if self._claimed:
            candidates = [self._claimed_keys(lead_id, keys) for lead_id, keys in candidates]
        return choose(key, [*candidates, *earlier])

    def _claimed_keys(self, lead_id: int, keys: PersonKeys) -> tuple[int, PersonKeys]:
        claimed = self._claimed.get(lead_id) if keys.email is None else None
        return lead_id, keys if claimed is None else keys._replace(email=claimed)

    def _claim(self, ref: int, reason: MatchReason, key: RowKeys, local: _LocalLeads) -> None:
        """A row with an email was taken for a lead without one: the lead is that email now.

        For the rest of the import, also when the policy leaves the lead as it
        is: a later row with another email is another person, not this lead.
        """
        if key.email is None or reason is MatchReason.SAME_EMAIL:
            return
        if ref > 0:
            self._claimed.setdefault(ref, key.email)
            self._claimed_by_email.setdefault(key.email, ref)
        else:
            local.claim(-ref - 1, key.email)

    def _merge_into_earlier_row(self, index: int, note: _Settled, local: _LocalLeads) -> None:
        """Fill or overwrite a new lead of this chunk with a later row of the same person."""
        assert note.values is not None
        earlier = local.pending[index]
        changes = merged_changes(earlier.values, note.values, self.policy)
        if changes:
            earlier.values.update(changes)
            earlier.keys = row_keys(earlier.values)
            local.index(index, earlier.keys)
            self.result.updated += 1
            note.action = DuplicateAction.UPDATED
        else:
            self.result.row_skipped(note.values)
            note.action = DuplicateAction.SKIPPED

    def _record(self, settled: list[_Settled], local: _LocalLeads, first_id: int) -> None:
        """Keep the chunk's settled rows for review, now that its new leads have ids."""
        for index, email in local.claims.items():
            self._claimed.setdefault(first_id + index, email)
            self._claimed_by_email.setdefault(email, first_id + index)
        result = self.result
        if not settled:
            return
        rows: list[SettledRow] = [
            [
                note.line_number,
                note.matched if note.matched > 0 else first_id - note.matched - 1,
                note.reason.value,
                (note.action or _CREATED).value,
                "" if note.index is None else first_id + note.index,
                *note.cells,
            ]
            for note in settled
        ]
        self.possible_pairs.extend(
            (row[4], row[1], row[2]) for row in rows if row[3] == _CREATED and row[4] != ""
        )
        room = DUPLICATE_SAMPLE - len(result.duplicates_sample)
        shown: list[tuple[DuplicateRow, dict[str, Any] | None]] = []
        for note, (line, matched, reason, action, lead, *_cells) in zip(
            settled[:room], rows, strict=False
        ):
            values = (
                note.values if note.values is not None else local.pending[note.index or 0].values
            )
            row = DuplicateRow(line, matched, reason, DuplicateAction(action), lead=lead or None)
            row.who = display_name(
                values.get("first_name"),
                values.get("last_name"),
                values.get("email") or values.get("phone"),
            )
            skipped = row.action is DuplicateAction.SKIPPED
            shown.append((row, values if skipped else None))
        result.add_duplicates(rows, shown)

    def _status_says_worked(self, cells: list[str]) -> bool:
        """Whether a status column of the row says the lead was already worked."""
        for column in self._status_columns:
            if column < len(cells) and status_says_worked(cells[column]):
                return True
        return False

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
        temperatures = [t or _COLD for t in map(methodcaller("get", "temperature"), all_values)]
        stages = [s or _FIRST_STAGE for s in map(methodcaller("get", "stage"), all_values)]
        countdowns = countdown_flags(
            created, temperatures, stages, [item.worked for item in pending], now, self._sla_minutes
        )
        rows = list(
            zip(
                *field_columns,
                range(first_id, first_id + count),
                repeat(1),
                temperatures,
                stages,
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
                countdowns,
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
        self.result.countdowns += sum(countdowns)

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
        if self.possible_pairs:
            add_pairs(self.conn, self.possible_pairs, self.now)
        if self._search is not None:
            self._search.finish(self.conn)
        if self._deferred_indexes is not None:
            self._deferred_indexes.rebuild(self.conn)
            self._deferred_indexes = None


def _unchanged(value: Any) -> Any:
    return value
