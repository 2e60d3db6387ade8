"""Writing one import into the database: the rows of each chunk, their duplicates.

``ImportBatchWriter`` lives inside the import's transaction. For each chunk it
finds the leads the rows duplicate (already stored, stored by an earlier chunk,
or earlier in the same chunk), creates the new ones in bulk and merges the
duplicates by policy, recording what undo needs to put back.

It holds its collaborators, each with its own state: a ``DuplicateFinder``
(duplicate_finder: the key screens and the lookups of duplicates), a
``LeadUpdater`` (lead_updater: merging rows into stored leads, saving what undo
needs), a ``NewLeadWriter`` (new_leads: creating the new leads in bulk, with
their scores, history and search words) and the ``ImportOwners`` (owners); each
chunk's new leads are gathered in ``LocalLeads`` (local_leads). This module
keeps the chunk loop: which rows are new leads, which duplicate whom, and what
the review lists. A row matched to a lead with another email is a *possible*
duplicate: created, and listed (see ``decision.possible`` in process_chunk).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from leaddesk.core.agenda import (
    STATUS_HEADERS,
    contact_date_says_worked,
    sla_minutes_from_settings,
    status_says_worked,
)
from leaddesk.core.csv_import.header_synonyms import is_other_contact_header
from leaddesk.core.csv_import.mapping import ColumnMapping
from leaddesk.core.dedupe import (
    NO_NAME,
    Decision,
    MatchReason,
    PersonKeys,
    choose,
)
from leaddesk.core.fields import display_name
from leaddesk.core.import_merge import DuplicatePolicy, merged_changes
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing.duplicate_finder import (
    DuplicateFinder,
    RowKeys,
    StoredCandidates,
    chunk_keys,
    row_keys,
)
from leaddesk.operations.importing.lead_updater import LeadUpdater
from leaddesk.operations.importing.local_leads import LocalLeads, lone_rows
from leaddesk.operations.importing.new_leads import NewLeadWriter
from leaddesk.operations.importing.owners import ImportOwners
from leaddesk.operations.importing.result import (
    DUPLICATE_SAMPLE,
    DuplicateAction,
    DuplicateRow,
    ImportResult,
    SettledRow,
)
from leaddesk.storage.duplicates import add_pairs
from leaddesk.storage.schema import leads
from leaddesk.storage.settings_store import read_settings


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


_NEW_LEAD: Decision[int] = Decision()

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


def contact_columns(mapping: ColumnMapping) -> tuple[int, ...]:
    """The columns whose dates say a lead was already contacted, other than its first
    contact's own: a last contact, another channel's first contact."""
    return tuple(
        column
        for column, (header, target) in enumerate(
            zip(mapping.headers, mapping.targets, strict=True)
        )
        if is_other_contact_header(header, target)
    )


ParsedLine = tuple[int, list[str], dict[str, Any]]
"""One importable row: line number, its cells as read, its parsed values."""

# An import expected to add at least this many leads, more than the table holds,
# rebuilds the secondary indexes at the end (see DeferredIndexes).
DEFER_INDEXES_FROM_ROWS = 5000


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
        contact_columns: Sequence[int] = (),
    ) -> None:
        """``status_columns``: the file's columns that may say a lead was already worked;
        ``contact_columns``: those whose dates say so (a last contact)."""
        self.ctx = ctx
        self.conn = connection
        self.batch_id = batch_id
        self.policy = policy
        self.now = ctx.clock.now()
        self.result = ImportResult(batch_id=batch_id)
        self.owners = ImportOwners(connection, batch_id, self.now)
        self._expected_rows = expected_rows
        self._stored_leads = connection.execute(select(func.count()).select_from(leads)).scalar()
        self.duplicates = DuplicateFinder(
            connection, expected_rows + (self._stored_leads or 0) + 1000
        )
        self.new_leads = NewLeadWriter(
            connection,
            batch_id=batch_id,
            now=self.now,
            actor=ctx.actor,
            owners=self.owners,
            sla_minutes=sla_minutes_from_settings(read_settings(connection)),
        )
        self.updater = LeadUpdater(
            connection,
            batch_id=batch_id,
            policy=policy,
            now=self.now,
            actor=ctx.actor,
            result=self.result,
            owners=self.owners,
            duplicates=self.duplicates,
            search=self.new_leads.search,
        )
        self._indexes_considered = False
        if policy is not DuplicatePolicy.CREATE:
            self.duplicates.load_stored_keys()
        # Stored leads without an email that a row with one was taken for, this import.
        self._claimed: dict[int, str] = {}
        self._claimed_by_email: dict[str, int] = {}
        self._worked_judges: list[tuple[int, Callable[[str], bool]]] = [
            (column, status_says_worked) for column in status_columns
        ]
        self._worked_judges += [(column, contact_date_says_worked) for column in contact_columns]
        # The result owns the file of rejected rows, and frees it with itself.
        self.result.open_error_rows()
        # (new lead, the lead it may duplicate, why): recorded for review in finish().
        self.possible_pairs: list[tuple[int, int, str]] = []

    @property
    def created_ranges(self) -> list[range]:
        """The ids of the leads this import created, one range a chunk."""
        return self.new_leads.created_ranges

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
        all_values = [values for _line, _cells, values in chunk]
        keys = chunk_keys(all_values)
        worked = self._worked([cells for _line, cells, _values in chunk])
        # The last chunk's statements run on the helper thread until this chunk
        # first uses the connection: each use below settles them first (and
        # raises what they raised), so that they overlap as much of this
        # chunk's work as can be done without the database.
        if self.policy is DuplicatePolicy.CREATE:
            # Every row becomes a lead: nothing to look up or remember.
            self._insert(all_values, keys, worked, len(chunk))
            return
        stored = self.duplicates.stored_matches(keys, before_lookup=self.new_leads.settle)
        lone = lone_rows(
            keys, stored.by_email, self._claimed_by_email, stored.by_phone, stored.by_company
        )
        if lone is None:
            # No row shares a key with a stored lead or another row: all are new.
            self._insert(all_values, keys, worked, len(chunk))
            return
        local = LocalLeads()
        settled: list[_Settled] = []
        # lead id -> merged incoming values, applied after the chunk is read
        updates: dict[int, list[dict[str, Any]]] = {}
        update_notes: dict[int, list[_Settled]] = {}
        decide, add, append = self._decide, local.add, local.append
        stored_email = stored.by_email
        skip = self.policy is DuplicatePolicy.SKIP
        for (line_number, cells, values), key, alone, was_worked in zip(
            chunk, keys, lone, worked, strict=True
        ):
            if alone:
                # The common row, settled without the general rule: nobody shares a key.
                append(values, key, was_worked)
                continue
            # A stored lead with the row's email: the re-import's row, settled at once.
            same = stored_email.get(key.email) if key.email is not None else None
            if same is not None:
                reason = _SAME_EMAIL
            else:
                decision = decide(key, stored, local)
                if decision.reason is None:
                    add(values, key, was_worked)
                    continue
                if decision.same is None:
                    # Another email: a new lead, listed as a possible duplicate.
                    assert decision.possible is not None
                    index = add(values, key, was_worked)
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

        first_id = self._insert(local.values, local.keys, local.worked, len(chunk))
        if updates:
            self.new_leads.settle()
            changed = self.updater.update(updates)
            for lead_id, notes in update_notes.items():
                for note, row_changed in zip(notes, changed[lead_id], strict=True):
                    note.action = _UPDATED if row_changed else DuplicateAction.SKIPPED
        self._record(settled, local, first_id)

    def _worked(self, all_cells: list[list[str]]) -> list[bool]:
        """Whether a status or last-contact column of each row says the lead was already worked.

        A column at a time, each distinct word judged once: a status column
        holds a few words, repeated on every row.
        """
        worked = [False] * len(all_cells)
        for column, judge in self._worked_judges:
            texts = [cells[column] if column < len(cells) else None for cells in all_cells]
            says = {text: text is not None and judge(text) for text in set(texts)}
            if any(says.values()):
                worked = [a or b for a, b in zip(worked, map(says.__getitem__, texts), strict=True)]
        return worked

    def _decide(self, key: RowKeys, stored: StoredCandidates, local: LocalLeads) -> Decision[int]:
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

    def _claim(self, ref: int, reason: MatchReason, key: RowKeys, local: LocalLeads) -> None:
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

    def _merge_into_earlier_row(self, index: int, note: _Settled, local: LocalLeads) -> None:
        """Fill or overwrite a new lead of this chunk with a later row of the same person."""
        assert note.values is not None
        earlier = local.values[index]
        changes = merged_changes(earlier, note.values, self.policy)
        if changes:
            earlier.update(changes)
            local.index(index, row_keys(earlier))
            self.result.updated += 1
            note.action = DuplicateAction.UPDATED
        else:
            self.result.row_skipped(note.values)
            note.action = DuplicateAction.SKIPPED

    def _record(self, settled: list[_Settled], local: LocalLeads, first_id: int) -> None:
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
            values = note.values if note.values is not None else local.values[note.index or 0]
            row = DuplicateRow(line, matched, reason, DuplicateAction(action), lead=lead or None)
            row.who = display_name(
                values.get("first_name"),
                values.get("last_name"),
                values.get("email") or values.get("phone"),
            )
            skipped = row.action is DuplicateAction.SKIPPED
            shown.append((row, values if skipped else None))
        result.add_duplicates(rows, shown)

    # -- writing ---------------------------------------------------------------

    def _insert(
        self,
        all_values: Sequence[dict[str, Any]],
        keys: Sequence[RowKeys],
        worked: Sequence[bool],
        chunk_rows: int,
    ) -> int:
        """Create new leads (see NewLeadWriter.insert); the id of the first."""
        first_id = self.new_leads.next_id
        if all_values:
            self._defer_indexes_if_worthwhile(len(all_values), chunk_rows)
            self.result.countdowns += self.new_leads.insert(all_values, keys, worked)
            self.result.created += len(all_values)
            self.duplicates.add_new(first_id, keys)
        return first_id

    def _defer_indexes_if_worthwhile(self, new_rows: int, chunk_rows: int) -> None:
        """On the first chunk that creates leads, judge how many the file will add."""
        if self._indexes_considered:
            return
        self._indexes_considered = True
        expected_new = self._expected_rows * new_rows / max(1, chunk_rows)
        if expected_new >= DEFER_INDEXES_FROM_ROWS and expected_new > (self._stored_leads or 0):
            self.new_leads.defer_indexes()

    def close(self) -> None:
        """Stop the helper thread; call before the transaction ends, whichever way it ends."""
        self.new_leads.close()

    def finish(self) -> None:
        """Put back what the import took out for speed; call before the commit."""
        self.new_leads.finish()
        # After the new leads are in: each pair names one of them.
        if self.possible_pairs:
            add_pairs(self.conn, self.possible_pairs, self.now)
