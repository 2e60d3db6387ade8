"""Merging an import's rows into the stored leads they duplicate, saving what undo needs.

``LeadUpdater`` judges the merge by policy, writes the changed leads with their
stage history and records each lead's previous values for undo.
``ImportBatchWriter`` (batch_writer) holds one for its whole import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from leaddesk.core.csv_import.mapping import CREATED_AT, FIRST_CONTACTED
from leaddesk.core.fields import LEAD_FIELDS
from leaddesk.core.import_merge import DuplicatePolicy, merged_changes
from leaddesk.core.normalize import company_key, normalize_email, normalize_phone
from leaddesk.operations.importing.duplicate_finder import DuplicateFinder, row_keys
from leaddesk.operations.importing.owners import ImportOwners
from leaddesk.operations.importing.result import ImportResult, to_json_values
from leaddesk.operations.scoring import rescore_leads
from leaddesk.storage.bulk_search_index import BulkSearchIndex
from leaddesk.storage.schema import import_changes, leads, stage_history

# Lead columns an import may write, besides the field columns themselves.
_DERIVED = ("email_normalized", "phone_normalized", "company_key")
_FIELD_COLUMNS = tuple(field.column_name for field in LEAD_FIELDS)
# The column of each value an update may write: the fields, and the first contact.
_COLUMN_OF = {field.name: field.column_name for field in LEAD_FIELDS}
_COLUMN_OF[FIRST_CONTACTED] = "first_contacted_at"
# What undo must put back on a lead an import changed.
_RESTORED = (*_FIELD_COLUMNS, *_DERIVED, "score", "version", "updated_at", "updated_by")
_RESTORED += ("stage_changed_at", "first_contacted_at")

# The fields a lead is recognised by (duplicate_finder.row_keys): an update that
# changes none of them leaves what the import knows of the lead as it was.
_KEY_FIELDS = frozenset({"email", "phone", "company", "first_name", "last_name"})


class LeadUpdater:
    """Merges one import's duplicate rows into stored leads, inside its transaction."""

    def __init__(
        self,
        connection: Connection,
        *,
        batch_id: int,
        policy: DuplicatePolicy,
        now: dt.datetime,
        actor: str | None,
        result: ImportResult,
        owners: ImportOwners,
        duplicates: DuplicateFinder,
        search: BulkSearchIndex | None,
    ) -> None:
        """``result`` gets the counts; ``duplicates`` learns the keys leads change to;
        ``search`` (while the import indexes in bulk) checks an updated lead is indexed."""
        self._conn = connection
        self._batch_id = batch_id
        self._policy = policy
        self._now = now
        self._actor = actor
        self._result = result
        self._owners = owners
        self._duplicates = duplicates
        self._search = search
        self.updated_ids: set[int] = set()
        """The stored leads this import changed."""
        self._recorded: set[int] = set()  # leads whose previous values are saved

    def update(self, updates: dict[int, list[dict[str, Any]]]) -> dict[int, list[bool]]:
        """Merge rows into the stored leads they duplicate, by policy.

        Returns, for each lead, whether each of its rows changed it (updated) or
        not (skipped). Re-importing a file mostly changes nothing, so the merge is
        first judged on just the fields the rows hold; only leads that change are
        read whole (for undo and the update).
        """
        incoming_names: set[str] = set()
        for incoming_rows in updates.values():
            for row_values in incoming_rows:
                incoming_names.update(row_values)
        names = [name for name in _COLUMN_OF if name in incoming_names]
        # Each lead's dict is its own: merged into below, never read again.
        fields_of: dict[int, dict[str, Any]] = {
            row[0]: dict(zip(names, row[1:], strict=True))
            for row in self._conn.execute(
                select(leads.c.id, *(leads.c[_COLUMN_OF[name]] for name in names)).where(
                    leads.c.id.in_(updates)
                )
            ).all()
        }
        merged_of: dict[int, dict[str, Any]] = {}
        changed_rows: dict[int, list[bool]] = {}
        for lead_id, incoming_rows in updates.items():
            merged = fields_of[lead_id]
            changed_any = False
            row_changed = changed_rows[lead_id] = []
            for row_values in incoming_rows:
                incoming = row_values
                if incoming.get("owner"):
                    incoming = {**incoming, "owner": self._owners.id_of(str(incoming["owner"]))}
                changes = merged_changes(merged, incoming, self._policy)
                # An update never rewrites when the lead was created. (Each field
                # is judged on its own, so dropping it here equals leaving it out.)
                changes.pop(CREATED_AT, None)
                row_changed.append(bool(changes))
                if changes:
                    merged.update(changes)
                    self._result.updated += 1
                    changed_any = True
                else:
                    self._result.row_skipped(row_values)
            if changed_any:
                merged_of[lead_id] = merged
        if merged_of:
            self._apply_updates(merged_of)
        return changed_rows

    def _apply_updates(self, merged_of: dict[int, dict[str, Any]]) -> None:
        """Write the merged fields of these leads, saving what undo puts back."""
        current_rows = {
            row.id: row._asdict()
            for row in self._conn.execute(
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
            if current["import_batch_id"] != self._batch_id and lead_id not in self._recorded:
                previous_rows.append(
                    {
                        "batch_id": self._batch_id,
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
                row[_COLUMN_OF[name]] = value
            if "email" in new_values:
                row["email_normalized"] = normalize_email(new_values["email"])
            if "phone" in new_values:
                row["phone_normalized"] = normalize_phone(new_values["phone"])
            if "company" in new_values:
                row["company_key"] = company_key(new_values["company"])
            if "stage" in new_values:
                row["stage_changed_at"] = self._now
                history_rows.append(
                    {
                        "lead_id": lead_id,
                        "from_stage": current["stage"],
                        "to_stage": new_values["stage"],
                        "changed_at": self._now,
                        "changed_by": self._actor,
                        "import_batch_id": self._batch_id,
                    }
                )
            row.update(
                lead_id=lead_id,
                version=current["version"] + 1,
                updated_at=self._now,
                updated_by=self._actor,
            )
            changed_rows.append(row)
            if not _KEY_FIELDS.isdisjoint(new_values):
                self._duplicates.remember(row_keys(merged))
            self.updated_ids.add(lead_id)
        if previous_rows:
            self._conn.execute(import_changes.insert(), previous_rows)
        if history_rows:
            self._conn.execute(stage_history.insert(), history_rows)
        if changed_rows:
            if self._search is not None:
                # Leads of this import about to be updated are in the search index already.
                self._search.check_indexed(
                    [
                        r["lead_id"]
                        for r in changed_rows
                        if current_rows[r["lead_id"]]["import_batch_id"] == self._batch_id
                    ]
                )
            columns = [c for c in _RESTORED if c != "score"]
            self._conn.execute(
                update(leads)
                .where(leads.c.id == bindparam("lead_id"))
                .values({c: bindparam(c) for c in columns}),
                [{"lead_id": r["lead_id"], **{c: r[c] for c in columns}} for r in changed_rows],
            )
            rescore_leads(self._conn, [r["lead_id"] for r in changed_rows], self._now)


def _field_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored lead row as field name -> value (owner as its id), with its first contact."""
    return {name: row[column] for name, column in _COLUMN_OF.items()}
