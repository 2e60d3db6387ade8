"""Writing one import into the database: the rows of each chunk, their duplicates.

``ImportBatchWriter`` lives inside the import's transaction. For each chunk it
finds the leads the rows duplicate (already stored, stored by an earlier chunk,
or earlier in the same chunk), creates the new ones in bulk and merges the
duplicates by policy, recording what undo needs to put back.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import methodcaller
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Integer,
    String,
    Table,
    bindparam,
    func,
    literal,
    null,
    select,
    update,
)

from leaddesk.core.csv_import.mapping import CREATED_AT
from leaddesk.core.dedupe import (
    ExactKeyScreen,
    KeyScreen,
    PersonName,
    person_name,
    same_person_name,
)
from leaddesk.core.fields import (
    FIELDS_BY_NAME,
    LEAD_FIELDS,
    Consent,
    FieldKind,
    Stage,
    Temperature,
)
from leaddesk.core.import_merge import DuplicatePolicy, merged_changes
from leaddesk.core.normalize import company_key, normalize_email, normalize_phone
from leaddesk.core.scoring import NewLeadScorer
from leaddesk.core.validation import (
    FREE_MAIL_DOMAINS,
    SIMPLE_EMAIL,
    email_problem,
    is_free_mail,
)
from leaddesk.operations.context import OperationContext
from leaddesk.operations.import_bulk import (
    BulkSearchIndex,
    DeferredIndexes,
    cached_converter,
    is_sqlite,
    sqlite_value,
)
from leaddesk.operations.import_result import (
    ImportResult,
    RejectedRow,
    to_json_values,
)
from leaddesk.operations.import_result import (
    from_json_values as from_json_values,  # re-exported: import_undo reads it from here
)
from leaddesk.operations.scoring import load_rules, load_score_settings, rescore_leads
from leaddesk.storage.schema import import_changes, leads, owners, stage_history

REJECTED_SAMPLE = 50

# Lead columns an import may write, besides the field columns themselves.
_DERIVED = ("email_normalized", "phone_normalized", "company_key")
_FIELD_COLUMNS = tuple(field.column_name for field in LEAD_FIELDS)
# What undo must put back on a lead an import changed.
_RESTORED = (*_FIELD_COLUMNS, *_DERIVED, "score", "version", "updated_at", "updated_by")
_RESTORED += ("stage_changed_at",)


@dataclass(slots=True)
class _Pending:
    """A lead this chunk will create."""

    values: dict[str, Any]
    line_number: int
    keys: _Keys


class _Keys(NamedTuple):
    email: str | None
    phone: str | None
    company: str | None
    name: PersonName


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
# Columns every new lead row ends with, after its field values (see _insert).
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
        self.updated_ids: set[int] = set()
        self._recorded: set[int] = set()  # leads whose previous values are saved
        self._owner_ids: dict[str, int] = {}
        self._scorer = NewLeadScorer(
            load_rules(connection), load_score_settings(connection), self.now
        )
        self._scores = ScoreMemo(self._scorer.score_new_lead)
        self._score = self._scores.score
        self._next_id = (connection.execute(select(func.max(leads.c.id))).scalar() or 0) + 1
        self._next_rank = connection.execute(select(func.min(leads.c.board_rank))).scalar() or 0.0
        self._expected_rows = expected_rows
        self._stored_leads = connection.execute(select(func.count()).select_from(leads)).scalar()
        screened = expected_rows + (self._stored_leads or 0) + 1000
        self._emails = _screen(screened)
        self._phones = _screen(screened)
        self._companies = _screen(screened)
        # SQLite gets plain values through the driver (see _write); others get
        # Python values through SQLAlchemy.
        self._sqlite = is_sqlite(connection)
        self._db_value: Callable[[Any], Any] = (
            cached_converter(sqlite_value) if self._sqlite else _unchanged
        )
        self._now_in_db = self._db_value(self.now)
        self._search = BulkSearchIndex.start(connection)
        self._deferred_indexes: DeferredIndexes | None = None
        self._indexes_considered = not self._sqlite
        self._load_existing_keys()
        # Owned by the result, which hands it to write_error_report; freed with it.
        self._errors = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self._error_writer = csv.writer(self._errors)
        self.result._error_rows = self._errors

    # -- keys ------------------------------------------------------------------

    def _load_existing_keys(self) -> None:
        # Plain text columns: the driver's rows need no SQLAlchemy processing.
        rows = self.conn.exec_driver_sql(
            "SELECT email_normalized, phone_normalized, company_key FROM leads "
            "WHERE deleted_at IS NULL"
        )
        # In slices: a million stored leads must not be held at once.
        while batch := rows.fetchmany(10_000):
            self._emails.add_all([email for email, _phone, _company in batch if email])
            self._phones.add_all([phone for _email, phone, _company in batch if phone])
            self._companies.add_all([company for _email, _phone, company in batch if company])

    @staticmethod
    def _chunk_keys(all_values: Sequence[Mapping[str, Any]]) -> list[_Keys]:
        """``[_keys(values) for values in all_values]``, a column at a time."""
        emails = map(normalize_email, map(_GET_EMAIL, all_values))
        phones = [
            normalize_phone(phone) if phone else None for phone in map(_GET_PHONE, all_values)
        ]
        companies = map(company_key, map(_GET_COMPANY, all_values))
        names = map(person_name, map(_GET_FIRST, all_values), map(_GET_LAST, all_values))
        # tuple.__new__ builds the named tuples without a Python call each.
        return list(
            map(tuple.__new__, repeat(_Keys), zip(emails, phones, companies, names, strict=True))
        )

    @staticmethod
    def _keys(values: Mapping[str, Any]) -> _Keys:
        phone = values.get("phone")
        return _Keys(
            email=normalize_email(values.get("email")),
            phone=normalize_phone(phone) if phone else None,
            company=company_key(values.get("company")),
            name=person_name(values.get("first_name"), values.get("last_name")),
        )

    def _known(
        self, keys: list[_Keys]
    ) -> tuple[dict[str, int], dict[str, int], dict[str, list[tuple[PersonName, int]]]]:
        """Leads already stored (before or earlier in this import) sharing a key.

        Every key of the chunk goes into the screens here; only those the screens
        may have seen before are looked up. A row matches by email first, then
        phone, then name at its company, so phones are looked up only for rows
        whose email found no lead, and companies only for rows found by neither.
        """
        seen_emails = self._emails.check_and_add([k.email for k in keys if k.email])
        seen_phones = self._phones.check_and_add([k.phone for k in keys if k.phone])
        seen_companies = self._companies.check_and_add([k.company for k in keys if k.company])
        by_email = self._ids_by_key(
            leads.c.email_normalized, {k.email for k in keys if k.email in seen_emails}
        )
        by_phone = self._ids_by_key(
            leads.c.phone_normalized,
            {k.phone for k in keys if k.phone in seen_phones and k.email not in by_email},
        )
        companies = {
            k.company
            for k in keys
            if k.company in seen_companies
            and k.name != _NO_NAME
            and k.email not in by_email
            and k.phone not in by_phone
        }
        by_company: dict[str, list[tuple[PersonName, int]]] = {}
        if companies:
            query = select(
                leads.c.company_key,
                leads.c.first_name,
                leads.c.last_name,
                leads.c.id,
                leads.c.deleted_at,
            ).where(leads.c.company_key.in_(companies))
            for row in self.conn.execute(query):
                if row.deleted_at is not None:
                    continue
                by_company.setdefault(row.company_key, []).append(
                    (person_name(row.first_name, row.last_name), row.id)
                )
        return by_email, by_phone, by_company

    def _ids_by_key(self, column: Any, keys: set[str]) -> dict[str, int]:
        """The oldest stored lead, not trashed, for each key in ``column``."""
        found: dict[str, int] = {}
        if not keys:
            return found
        # Trashed leads are filtered here, not in SQL: with "deleted_at IS NULL" in
        # the query SQLite may walk the board index (which starts with deleted_at)
        # instead of probing the key's own index. No ORDER BY either, for the same
        # reason; the oldest lead wins a tie.
        query = select(column, leads.c.id, leads.c.deleted_at).where(column.in_(keys))
        for key, lead_id, deleted_at in self.conn.execute(query).all():
            if deleted_at is None:
                found[key] = min(lead_id, found.get(key, lead_id))
        return found

    def _remember(self, keys: _Keys) -> None:
        if keys.email:
            self._emails.add(keys.email)
        if keys.phone:
            self._phones.add(keys.phone)
        if keys.company:
            self._companies.add(keys.company)

    # -- rows ------------------------------------------------------------------

    def reject(self, line_number: int, cells: list[str], reason: str) -> None:
        self.result.rejected += 1
        if len(self.result.rejected_sample) < REJECTED_SAMPLE:
            self.result.rejected_sample.append(RejectedRow(line_number, cells, reason))
        self._error_writer.writerow([*cells, line_number, reason])

    def process_chunk(self, chunk: Sequence[ParsedLine]) -> None:
        keys = self._chunk_keys([values for _line, _cells, values in chunk])
        if self.policy is DuplicatePolicy.CREATE:
            # Every row becomes a lead: nothing to look up or remember.
            rows = zip(chunk, keys, strict=True)
            self._insert(
                [_Pending(values, line, key) for (line, _cells, values), key in rows], len(chunk)
            )
            return
        by_email, by_phone, by_company = self._known(keys)
        pending: list[_Pending] = []
        local_email: dict[str, int] = {}
        local_phone: dict[str, int] = {}
        local_company: dict[str, list[tuple[PersonName, int]]] = {}
        # lead id -> merged incoming values, applied after the chunk is read
        updates: dict[int, list[dict[str, Any]]] = {}

        for (line_number, _cells, values), key in zip(chunk, keys, strict=True):
            email, phone, company, _name = key
            if (
                (email is None or (email not in by_email and email not in local_email))
                and (phone is None or (phone not in by_phone and phone not in local_phone))
                and (
                    company is None or (company not in by_company and company not in local_company)
                )
            ):
                target = None  # what both _match calls below would say, settled quicker
            else:
                target = self._match(key, by_email, by_phone, by_company, "lead") or self._match(
                    key, local_email, local_phone, local_company, "new"
                )
            if target is None:
                index = len(pending)
                pending.append(_Pending(values, line_number, key))
                if key.email:
                    local_email.setdefault(key.email, index)
                if key.phone:
                    local_phone.setdefault(key.phone, index)
                if key.company and key.name != _NO_NAME:
                    local_company.setdefault(key.company, []).append((key.name, index))
                continue
            kind, ref = target
            if self.policy is DuplicatePolicy.SKIP:
                self.result.skipped += 1
            elif kind == "new":
                earlier = pending[ref]
                changes = merged_changes(earlier.values, values, self.policy)
                if changes:
                    earlier.values.update(changes)
                    earlier.keys = self._keys(earlier.values)
                    self.result.updated += 1
                else:
                    self.result.skipped += 1
            else:
                updates.setdefault(ref, []).append(values)

        self._insert(pending, len(chunk))
        if updates:
            self._update(updates)

    @staticmethod
    def _match(
        key: _Keys,
        by_email: Mapping[str, int],
        by_phone: Mapping[str, int],
        by_company: Mapping[str, list[tuple[PersonName, int]]],
        kind: str,
    ) -> tuple[str, int] | None:
        if key.email and key.email in by_email:
            return kind, by_email[key.email]
        if key.phone and key.phone in by_phone:
            return kind, by_phone[key.phone]
        if key.company and key.name != _NO_NAME:
            for other_name, ref in by_company.get(key.company, ()):
                if same_person_name(key.name, other_name):
                    return kind, ref
        return None

    # -- writing ---------------------------------------------------------------

    def _owner_id(self, name: str) -> int:
        name = " ".join(name.split())
        folded = name.casefold()
        if folded in self._owner_ids:
            return self._owner_ids[folded]
        existing = self.conn.execute(
            select(owners.c.id).where(func.lower(owners.c.name) == name.lower())
        ).scalar()
        if existing is None:
            existing = self.conn.execute(
                owners.insert()
                .values(name=name, active=True, created_at=self.now, import_batch_id=self.batch_id)
                .returning(owners.c.id)
            ).scalar_one()
        self._owner_ids[folded] = int(existing)
        return int(existing)

    def _defer_indexes_if_worthwhile(self, new_rows: int, chunk_rows: int) -> None:
        """On the first chunk that creates leads, judge how many the file will add."""
        if self._indexes_considered:
            return
        self._indexes_considered = True
        expected_new = self._expected_rows * new_rows / max(1, chunk_rows)
        if expected_new >= DEFER_INDEXES_FROM_ROWS and expected_new > (self._stored_leads or 0):
            self._deferred_indexes = DeferredIndexes.drop(self.conn)

    def _insert(self, pending: list[_Pending], chunk_rows: int) -> None:
        """Create this chunk's new leads, with their first stage history entry.

        Builds the rows as tuples in one fixed column order: at 100,000 rows the
        per-row dicts and per-value conversions cost more than SQLite's insert.
        """
        if not pending:
            return
        self._defer_indexes_if_worthwhile(len(pending), chunk_rows)
        now, actor, batch_id = self.now, self.ctx.actor, self.batch_id
        now_in_db, db_value, score = self._now_in_db, self._db_value, self._score
        present: set[str] = set()
        for item in pending:
            present.update(item.values)
        # Field columns some row fills, in field order; the others stay NULL.
        names = [f.name for f in LEAD_FIELDS if f.name in present and f.name not in _SET_BY_INSERT]
        # Only dates and moments need converting; the rest are str, int or bool.
        moments = {i for i, name in enumerate(names) if FIELDS_BY_NAME[name].kind in _MOMENT_KINDS}
        with_owner = "owner" in present
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
                    self._owner_id(str(owner)) if owner else None
                    for owner in map(methodcaller("get", "owner"), all_values)
                ]
            )
        created = [moment or now for moment in map(methodcaller("get", CREATED_AT), all_values)]
        created_in_db = [now_in_db if moment is now else db_value(moment) for moment in created]
        consents = [
            consent or _UNKNOWN_CONSENT
            for consent in map(methodcaller("get", "consent"), all_values)
        ]
        scores = list(
            map(
                score,
                map(methodcaller("get", "job_title"), all_values),
                map(methodcaller("get", "company_size"), all_values),
                map(methodcaller("get", "country"), all_values),
                map(methodcaller("get", "email"), all_values),
                consents,
                created,
            )
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
        self._write(leads, [*columns, *_NEW_LEAD_COLUMNS], rows)
        last_id = first_id + len(pending) - 1
        # The first history entry of each new lead, copied from the rows just written.
        self.conn.execute(
            stage_history.insert().from_select(
                _HISTORY_COLUMNS,
                select(
                    leads.c.id,
                    null(),
                    leads.c.stage,
                    leads.c.created_at,
                    literal(actor, String),
                    literal(batch_id, Integer),
                )
                .where(leads.c.id.between(first_id, last_id))
                .order_by(leads.c.id),
            )
        )
        self._next_id += count
        self._next_rank = rank
        self.created_ranges.append(range(first_id, last_id + 1))
        self.result.created += len(pending)

    def _write(self, table: Table, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
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

    def _index_before_update(self, lead_ids: list[int]) -> None:
        """Index leads of this import before their first update (see BulkSearchIndex)."""
        if self._search is not None:
            self._search.index_now(self.conn, lead_ids)

    def finish(self) -> None:
        """Put back what the import took out for speed; call before the commit."""
        if self._search is not None:
            self._search.finish(self.conn, self.batch_id)
        if self._deferred_indexes is not None:
            self._deferred_indexes.rebuild(self.conn)
            self._deferred_indexes = None

    def _update(self, updates: dict[int, list[dict[str, Any]]]) -> None:
        """Merge rows into the stored leads they duplicate, by policy.

        Re-importing a file mostly changes nothing, so the merge is first judged
        on just the fields the rows hold; only leads that change are read whole
        (for undo and the update).
        """
        incoming_names: set[str] = set()
        for incoming_rows in updates.values():
            for row_values in incoming_rows:
                incoming_names.update(row_values)
        compared = [f for f in LEAD_FIELDS if f.name in incoming_names]
        names = [f.name for f in compared]
        # Each lead's dict is its own: merged into below, never read again.
        fields_of: dict[int, dict[str, Any]] = {
            row[0]: dict(zip(names, row[1:], strict=True))
            for row in self.conn.execute(
                select(leads.c.id, *(leads.c[f.column_name] for f in compared)).where(
                    leads.c.id.in_(updates)
                )
            ).all()
        }
        merged_of: dict[int, dict[str, Any]] = {}
        for lead_id, incoming_rows in updates.items():
            merged = fields_of[lead_id]
            changed_any = False
            for incoming in incoming_rows:
                if incoming.get("owner"):
                    incoming = {**incoming, "owner": self._owner_id(str(incoming["owner"]))}
                changes = merged_changes(merged, incoming, self.policy)
                # An update never rewrites when the lead was created. (Each field
                # is judged on its own, so dropping it here equals leaving it out.)
                changes.pop(CREATED_AT, None)
                if changes:
                    merged.update(changes)
                    self.result.updated += 1
                    changed_any = True
                else:
                    self.result.skipped += 1
            if changed_any:
                merged_of[lead_id] = merged
        if merged_of:
            self._apply_updates(merged_of)

    def _apply_updates(self, merged_of: dict[int, dict[str, Any]]) -> None:
        """Write the merged fields of these leads, saving what undo puts back."""
        current_rows = {
            row.id: row._asdict()
            for row in self.conn.execute(
                select(leads.c.id, leads.c.import_batch_id, *(leads.c[c] for c in _RESTORED)).where(
                    leads.c.id.in_(merged_of)
                )
            )
        }
        changed_rows: list[dict[str, Any]] = []
        previous_rows: list[dict[str, Any]] = []
        history_rows: list[dict[str, Any]] = []
        for lead_id, merged_fields in merged_of.items():
            current = current_rows[lead_id]
            fields_now = _field_values(current)
            merged = {**fields_now, **merged_fields}
            if current["import_batch_id"] != self.batch_id and lead_id not in self._recorded:
                previous_rows.append(
                    {
                        "batch_id": self.batch_id,
                        "lead_id": lead_id,
                        "previous": to_json_values({c: current[c] for c in _RESTORED}),
                    }
                )
                self._recorded.add(lead_id)
            new_values = {
                name: value for name, value in merged.items() if fields_now.get(name) != value
            }
            row = {c: current[c] for c in _RESTORED}
            for name, value in new_values.items():
                row[FIELDS_BY_NAME[name].column_name] = value
            if "email" in new_values:
                row["email_normalized"] = normalize_email(new_values["email"])
            if "phone" in new_values:
                row["phone_normalized"] = normalize_phone(new_values["phone"])
            if "company" in new_values:
                row["company_key"] = company_key(new_values["company"])
            if "stage" in new_values:
                row["stage_changed_at"] = self.now
                history_rows.append(
                    {
                        "lead_id": lead_id,
                        "from_stage": current["stage"],
                        "to_stage": new_values["stage"],
                        "changed_at": self.now,
                        "changed_by": self.ctx.actor,
                        "import_batch_id": self.batch_id,
                    }
                )
            row.update(
                lead_id=lead_id,
                version=current["version"] + 1,
                updated_at=self.now,
                updated_by=self.ctx.actor,
            )
            changed_rows.append(row)
            self._remember(self._keys(merged))
            self.updated_ids.add(lead_id)
        if previous_rows:
            self.conn.execute(import_changes.insert(), previous_rows)
        if history_rows:
            self.conn.execute(stage_history.insert(), history_rows)
        if changed_rows:
            self._index_before_update(
                [
                    r["lead_id"]
                    for r in changed_rows
                    if current_rows[r["lead_id"]]["import_batch_id"] == self.batch_id
                ]
            )
            columns = [c for c in _RESTORED if c != "score"]
            self.conn.execute(
                update(leads)
                .where(leads.c.id == bindparam("lead_id"))
                .values({c: bindparam(c) for c in columns}),
                [{"lead_id": r["lead_id"], **{c: r[c] for c in columns}} for r in changed_rows],
            )
            rescore_leads(self.conn, [r["lead_id"] for r in changed_rows], self.now)


class ScoreMemo:
    """``score_new_lead`` memoised on what it reads of a lead.

    It reads the email only as whether it is valid, free mail, and not empty
    (see NewLeadScorer.score_new_lead), so the memo is keyed on those three and
    the other facts; a miss asks ``score_new_lead`` itself. Addresses the fast
    pattern accepts are valid without asking email_problem.
    """

    LIMIT = 65_536

    def __init__(self, score_new_lead: Callable[..., int]) -> None:
        self._score_new_lead = score_new_lead
        self._memo: dict[tuple[Any, ...], int] = {}

    def score(
        self,
        job_title: str | None,
        company_size: int | None,
        country: str | None,
        email: str | None,
        consent: str,
        since: Any,
    ) -> int:
        email_class: tuple[bool, bool, bool]
        if email is None:
            email_class = _NO_EMAIL
        elif len(email) <= _EMAIL_MAX and SIMPLE_EMAIL.fullmatch(email):
            # Valid for email_problem; its domain is what is_free_mail reads.
            free = email.rpartition("@")[2].lower() in FREE_MAIL_DOMAINS
            email_class = _VALID_FREE if free else _VALID_BUSINESS
        else:
            email_class = (email_problem(email) is None, is_free_mail(email), bool(email))
        key = (job_title, company_size, country, consent, since, email_class)
        try:
            return self._memo[key]
        except KeyError:
            if len(self._memo) >= self.LIMIT:
                self._memo.clear()
            points = self._memo[key] = self._score_new_lead(
                job_title, company_size, country, email, consent, since
            )
            return points


_EMAIL_MAX = 320
# person_name of a row without a name: any(name) is False exactly for this.
_NO_NAME: PersonName = ("", "")
# (valid, free mail, not empty) of an email, as score_new_lead reads it.
_NO_EMAIL = (True, False, False)
_VALID_FREE = (True, True, True)
_VALID_BUSINESS = (True, False, True)
_GET_EMAIL = methodcaller("get", "email")
_GET_PHONE = methodcaller("get", "phone")
_GET_COMPANY = methodcaller("get", "company")
_GET_FIRST = methodcaller("get", "first_name")
_GET_LAST = methodcaller("get", "last_name")


# Up to this many keys a screen holds them exactly (a set: tens of megabytes at
# most); beyond, a Bloom filter keeps a million-row import within its memory.
EXACT_SCREEN_KEYS = 250_000


def _screen(expected: int) -> KeyScreen | ExactKeyScreen:
    return ExactKeyScreen() if expected <= EXACT_SCREEN_KEYS else KeyScreen(expected)


def _unchanged(value: Any) -> Any:
    return value


def _field_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored lead row as field name -> value (owner as its id)."""
    return {field.name: row[field.column_name] for field in LEAD_FIELDS}
