"""Writing one import into the database: the rows of each chunk, their duplicates.

``ImportBatchWriter`` lives inside the import's transaction. For each chunk it
finds the leads the rows duplicate (already stored, stored by an earlier chunk,
or earlier in the same chunk), creates the new ones in bulk and merges the
duplicates by policy, recording what undo needs to put back.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, select, update

from leaddesk.core.csv_import.mapping import CREATED_AT
from leaddesk.core.dedupe import KeyScreen, PersonName, person_name, same_person_name
from leaddesk.core.fields import FIELDS_BY_NAME, LEAD_FIELDS, Consent, Stage, Temperature
from leaddesk.core.import_merge import DuplicatePolicy, merged_changes
from leaddesk.core.normalize import company_key, normalize_email, normalize_phone
from leaddesk.core.scoring import LeadFacts, NewLeadScorer
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes
from leaddesk.operations.context import OperationContext
from leaddesk.operations.scoring import load_rules, load_score_settings, rescore_leads
from leaddesk.storage.schema import import_changes, leads, owners, stage_history

REJECTED_SAMPLE = 50

# Lead columns an import may write, besides the field columns themselves.
_DERIVED = ("email_normalized", "phone_normalized", "company_key")
_FIELD_COLUMNS = tuple(field.column_name for field in LEAD_FIELDS)
# What undo must put back on a lead an import changed.
_RESTORED = (*_FIELD_COLUMNS, *_DERIVED, "score", "version", "updated_at", "updated_by")
_RESTORED += ("stage_changed_at",)


@dataclass(frozen=True)
class RejectedRow:
    line_number: int
    cells: list[str]
    reason: str


@dataclass
class ImportResult:
    batch_id: int | None
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0
    warnings: int = 0
    rejected_sample: list[RejectedRow] = field(default_factory=list)
    headers: tuple[str, ...] = ()
    changes: Changes = field(default_factory=Changes)
    _error_rows: Any = field(default=None, repr=False)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.skipped + self.rejected

    def close(self) -> None:
        """Free the temporary file that holds the rejected rows."""
        if self._error_rows is not None:
            self._error_rows.close()
            self._error_rows = None

    def __del__(self) -> None:
        self.close()

    def write_error_report(self, path: str | os.PathLike[str]) -> None:
        """The rejected rows as they were, with their line number and the reason.

        UTF-8 with a BOM so that Excel shows accents; the file's own headers first.
        """
        try:
            with open(path, "w", encoding="utf-8-sig", newline="") as stream:
                writer = csv.writer(stream)
                writer.writerow([*self.headers, "Line", "Reason"])
                if self._error_rows is not None:
                    self._error_rows.flush()
                    self._error_rows.seek(0)
                    for record in csv.reader(self._error_rows):
                        writer.writerow(record)
        except OSError as error:
            raise UserError(f"Cannot write {path}: {error.strerror or error}.") from None


@dataclass
class _Pending:
    """A lead this chunk will create."""

    values: dict[str, Any]
    line_number: int


@dataclass
class _Keys:
    email: str | None
    phone: str | None
    company: str | None
    name: PersonName


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
        self.created_ids: list[int] = []
        self.updated_ids: set[int] = set()
        self._recorded: set[int] = set()  # leads whose previous values are saved
        self._owner_ids: dict[str, int] = {}
        self._scorer = NewLeadScorer(
            load_rules(connection), load_score_settings(connection), self.now
        )
        self._next_id = (connection.execute(select(func.max(leads.c.id))).scalar() or 0) + 1
        self._next_rank = connection.execute(select(func.min(leads.c.board_rank))).scalar() or 0.0
        self._screen = KeyScreen(expected_rows * 3 + 1000)
        self._search = _BulkSearchIndex.start(connection)
        self._load_existing_keys()
        # Owned by the result, which hands it to write_error_report; freed with it.
        self._errors = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self._error_writer = csv.writer(self._errors)
        self.result._error_rows = self._errors

    # -- keys ------------------------------------------------------------------

    def _load_existing_keys(self) -> None:
        screen = self._screen
        rows = self.conn.execute(
            select(leads.c.email_normalized, leads.c.phone_normalized, leads.c.company_key).where(
                leads.c.deleted_at.is_(None)
            )
        )
        for email, phone, company in rows:
            if email:
                screen.add("e" + email)
            if phone:
                screen.add("p" + phone)
            if company:
                screen.add("c" + company)

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
        """Leads already stored (before or earlier in this import) sharing a key."""
        screen = self._screen
        emails = {k.email for k in keys if k.email and "e" + k.email in screen}
        phones = {k.phone for k in keys if k.phone and "p" + k.phone in screen}
        companies = {
            k.company for k in keys if k.company and any(k.name) and "c" + k.company in screen
        }
        # Trashed leads are filtered here, not in SQL: with "deleted_at IS NULL" in
        # the query SQLite may walk the board index (which starts with deleted_at)
        # instead of probing the key's own index.
        by_email: dict[str, int] = {}
        by_phone: dict[str, int] = {}
        by_company: dict[str, list[tuple[PersonName, int]]] = {}
        if emails:
            query = select(leads.c.email_normalized, leads.c.id, leads.c.deleted_at).where(
                leads.c.email_normalized.in_(emails)
            )
            # No ORDER BY either, for the same reason; the oldest lead wins a tie.
            for email, lead_id, deleted_at in self.conn.execute(query):
                if deleted_at is None:
                    by_email[email] = min(lead_id, by_email.get(email, lead_id))
        if phones:
            query = select(leads.c.phone_normalized, leads.c.id, leads.c.deleted_at).where(
                leads.c.phone_normalized.in_(phones)
            )
            for phone, lead_id, deleted_at in self.conn.execute(query):
                if deleted_at is None:
                    by_phone[phone] = min(lead_id, by_phone.get(phone, lead_id))
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

    def _remember(self, keys: _Keys) -> None:
        if keys.email:
            self._screen.add("e" + keys.email)
        if keys.phone:
            self._screen.add("p" + keys.phone)
        if keys.company:
            self._screen.add("c" + keys.company)

    # -- rows ------------------------------------------------------------------

    def reject(self, line_number: int, cells: list[str], reason: str) -> None:
        self.result.rejected += 1
        if len(self.result.rejected_sample) < REJECTED_SAMPLE:
            self.result.rejected_sample.append(RejectedRow(line_number, cells, reason))
        self._error_writer.writerow([*cells, line_number, reason])

    def process_chunk(self, chunk: Sequence[tuple[int, list[str], dict[str, Any]]]) -> None:
        keys = [self._keys(values) for _line, _cells, values in chunk]
        by_email, by_phone, by_company = self._known(keys)
        pending: list[_Pending] = []
        local_email: dict[str, int] = {}
        local_phone: dict[str, int] = {}
        local_company: dict[str, list[tuple[PersonName, int]]] = {}
        # lead id -> merged incoming values, applied after the chunk is read
        updates: dict[int, list[dict[str, Any]]] = {}

        for (line_number, _cells, values), key in zip(chunk, keys, strict=True):
            target: tuple[str, int] | None = None
            if self.policy is not DuplicatePolicy.CREATE:
                target = self._match(key, by_email, by_phone, by_company, "lead") or self._match(
                    key, local_email, local_phone, local_company, "new"
                )
            if target is None:
                index = len(pending)
                pending.append(_Pending(values, line_number))
                if key.email:
                    local_email.setdefault(key.email, index)
                if key.phone:
                    local_phone.setdefault(key.phone, index)
                if key.company and any(key.name):
                    local_company.setdefault(key.company, []).append((key.name, index))
                self._remember(key)
                continue
            kind, ref = target
            if self.policy is DuplicatePolicy.SKIP:
                self.result.skipped += 1
            elif kind == "new":
                changes = merged_changes(pending[ref].values, values, self.policy)
                if changes:
                    pending[ref].values.update(changes)
                    self.result.updated += 1
                else:
                    self.result.skipped += 1
            else:
                updates.setdefault(ref, []).append(values)

        self._insert(pending)
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
        if key.company and any(key.name):
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

    def _columns(self, values: Mapping[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name, value in values.items():
            if name == CREATED_AT:
                continue
            if name == "owner":
                row["owner_id"] = self._owner_id(str(value)) if value else None
                continue
            row[FIELDS_BY_NAME[name].column_name] = value
        if "email" in values:
            row["email_normalized"] = normalize_email(values["email"])
        if "phone" in values:
            row["phone_normalized"] = normalize_phone(values["phone"])
        if "company" in values:
            row["company_key"] = company_key(values["company"])
        return row

    def _insert(self, pending: list[_Pending]) -> None:
        if not pending:
            return
        now, actor = self.now, self.ctx.actor
        first_id = self._next_id
        rank = self._next_rank - len(pending)
        lead_rows: list[dict[str, Any]] = []
        history_rows: list[dict[str, Any]] = []
        for offset, item in enumerate(pending):
            values = item.values
            lead_id = first_id + offset
            created_at = values.get(CREATED_AT) or now
            row = dict.fromkeys(_INSERT_COLUMNS)
            row.update(self._columns(values))
            stage = row["stage"] or Stage.LEAD.value
            consent = row["consent"] or Consent.UNKNOWN.value
            row.update(
                id=lead_id,
                version=1,
                temperature=row["temperature"] or Temperature.COLD.value,
                stage=stage,
                consent=consent,
                board_rank=rank + offset,
                created_at=created_at,
                updated_at=now,
                stage_changed_at=created_at,
                created_by=actor,
                updated_by=actor,
                import_batch_id=self.batch_id,
            )
            row["score"] = self._scorer.score(
                LeadFacts(
                    job_title=row["job_title"],
                    company_size=row["company_size"],
                    country=row["country"],
                    email=row["email"],
                    consent=Consent(consent),
                    created_at=created_at,
                )
            )
            lead_rows.append(row)
            history_rows.append(
                {
                    "lead_id": lead_id,
                    "from_stage": None,
                    "to_stage": stage,
                    "changed_at": created_at,
                    "changed_by": actor,
                    "import_batch_id": self.batch_id,
                }
            )
        self._bulk_insert(leads, lead_rows)
        self._bulk_insert(stage_history, history_rows)
        self._next_id += len(pending)
        self._next_rank = rank
        self.created_ids.extend(range(first_id, first_id + len(pending)))
        self.result.created += len(pending)

    def _bulk_insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if self._search is None:
            self.conn.execute(table.insert(), rows)
            return
        # SQLite: hand the driver plain tuples. SQLAlchemy's per-value type
        # processing costs more than the insert itself at this volume; the text
        # forms below are exactly what its SQLite types store.
        # Only columns some row fills: the rest default to NULL anyway.
        columns = [column for column in rows[0] if any(row[column] is not None for row in rows)]
        placeholders = ", ".join("?" for _ in columns)
        self.conn.exec_driver_sql(
            f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})",
            [tuple(_sqlite_value(row[column]) for column in columns) for row in rows],
        )

    def _index_before_update(self, lead_ids: list[int]) -> None:
        """Index leads of this import before their first update (see _BulkSearchIndex)."""
        if self._search is not None:
            self._search.index_now(self.conn, lead_ids)

    def finish(self) -> None:
        if self._search is not None:
            self._search.finish(self.conn, self.batch_id)

    def _update(self, updates: dict[int, list[dict[str, Any]]]) -> None:
        current_rows = {
            row.id: row._asdict()
            for row in self.conn.execute(
                select(leads.c.id, leads.c.import_batch_id, *(leads.c[c] for c in _RESTORED)).where(
                    leads.c.id.in_(updates)
                )
            )
        }
        changed_rows: list[dict[str, Any]] = []
        previous_rows: list[dict[str, Any]] = []
        history_rows: list[dict[str, Any]] = []
        for lead_id, incoming_rows in updates.items():
            current = current_rows[lead_id]
            fields_now = _field_values(current)
            merged = dict(fields_now)
            changed_any = False
            for row_values in incoming_rows:
                # An update never rewrites when the lead was created.
                incoming = {k: v for k, v in row_values.items() if k != CREATED_AT}
                if incoming.get("owner"):
                    incoming["owner"] = self._owner_id(str(incoming["owner"]))
                changes = merged_changes(merged, incoming, self.policy)
                if changes:
                    merged.update(changes)
                    self.result.updated += 1
                    changed_any = True
                else:
                    self.result.skipped += 1
            if not changed_any:
                continue
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


_INSERT_COLUMNS = (*_FIELD_COLUMNS, *_DERIVED)
_SEARCHED = "first_name, last_name, email, phone, company, job_title"


class _BulkSearchIndex:
    """SQLite: index an import's new leads in one statement instead of row by row.

    The per-row insert trigger costs about 60 µs a lead; one INSERT ... SELECT at
    the end costs a fraction. The trigger is dropped inside the import's own
    transaction (SQLite DDL is transactional, and the transaction holds the write
    lock), and put back before it commits -- so no other writer ever sees the
    table without it, and a rollback restores it.
    """

    TRIGGER = "leads_search_insert"

    def __init__(self, trigger_sql: str) -> None:
        self._trigger_sql = trigger_sql
        self._indexed_early: set[int] = set()

    @classmethod
    def start(cls, connection: Connection) -> _BulkSearchIndex | None:
        if connection.dialect.name != "sqlite":
            return None
        trigger_sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (cls.TRIGGER,)
        ).scalar()
        if not trigger_sql:
            return None
        connection.exec_driver_sql(f"DROP TRIGGER {cls.TRIGGER}")
        return cls(trigger_sql)

    def index_now(self, connection: Connection, lead_ids: list[int]) -> None:
        """Index these new leads now: an update's trigger expects them indexed."""
        fresh = [lead_id for lead_id in lead_ids if lead_id not in self._indexed_early]
        for start in range(0, len(fresh), 500):
            chunk = fresh[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            connection.exec_driver_sql(
                f"INSERT INTO lead_search(rowid, {_SEARCHED}) "
                f"SELECT id, {_SEARCHED} FROM leads WHERE id IN ({marks})",
                tuple(chunk),
            )
        self._indexed_early.update(fresh)

    def finish(self, connection: Connection, batch_id: int) -> None:
        """Index every new lead not indexed yet, and put the trigger back."""
        select_new = f"SELECT id, {_SEARCHED} FROM leads WHERE import_batch_id = ?"
        if self._indexed_early:
            connection.exec_driver_sql("CREATE TEMP TABLE import_indexed (id INTEGER PRIMARY KEY)")
            connection.exec_driver_sql(
                "INSERT INTO import_indexed VALUES (?)", [(i,) for i in self._indexed_early]
            )
            select_new += " AND id NOT IN (SELECT id FROM import_indexed)"
        connection.exec_driver_sql(
            f"INSERT INTO lead_search(rowid, {_SEARCHED}) {select_new}", (batch_id,)
        )
        if self._indexed_early:
            connection.exec_driver_sql("DROP TABLE import_indexed")
        connection.exec_driver_sql(self._trigger_sql)


def _sqlite_value(value: Any) -> Any:
    """A Python value as SQLAlchemy's SQLite types store it."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    if isinstance(value, str):
        return str(value)  # plain str, also for the StrEnum members
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        utc = value.astimezone(dt.UTC) if value.tzinfo else value
        return utc.replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _field_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored lead row as field name -> value (owner as its id)."""
    return {field.name: row[field.column_name] for field in LEAD_FIELDS}


def to_json_values(values: Mapping[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dt.datetime):
            plain[name] = {"datetime": value.isoformat()}
        elif isinstance(value, dt.date):
            plain[name] = {"date": value.isoformat()}
        else:
            plain[name] = value
    return plain


def from_json_values(values: Mapping[str, Any]) -> dict[str, Any]:
    restored: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dict) and "datetime" in value:
            restored[name] = dt.datetime.fromisoformat(value["datetime"])
        elif isinstance(value, dict) and "date" in value:
            restored[name] = dt.date.fromisoformat(value["date"])
        else:
            restored[name] = value
    return restored
