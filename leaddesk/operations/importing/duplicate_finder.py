"""The duplicate keys of an import: which stored leads a row may be.

``DuplicateFinder`` keeps the import's key screens filled and looks up, for a
chunk of rows, the stored leads sharing an email, a phone, or a company; who is
the same person among them is decided by leaddesk.core.dedupe (``choose``).
``ImportBatchWriter`` (batch_writer) holds one for its whole import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import count, islice, repeat
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from leaddesk.core.dedupe import (
    NO_NAME,
    ExactKeyScreen,
    KeyScreen,
    PersonKeys,
    person_name,
)
from leaddesk.core.normalize import (
    company_key,
    company_keys,
    normalize_email,
    normalize_emails,
    normalize_phone,
    normalize_phones,
)
from leaddesk.core.value_columns import value_columns
from leaddesk.storage.schema import leads

RowKeys = PersonKeys
"""What a row is matched by: its normalised email and phone, company and name."""

__all__ = ["NO_NAME", "DuplicateFinder", "RowKeys", "StoredCandidates", "chunk_keys", "row_keys"]

# The fields a row's keys are made of.
_KEYED = ("email", "phone", "company", "first_name", "last_name")

# Up to this many keys a screen holds them exactly (a set: tens of megabytes at
# most); beyond, a Bloom filter keeps a million-row import within its memory.
EXACT_SCREEN_KEYS = 250_000
# The leads one phone or one company brings as candidates, oldest first: a
# switchboard or a bought list of thousands at one company must not make every
# row compare itself with all of them.
MAX_CANDIDATES = 200
# The stored candidates an import keeps between chunks (see DuplicateFinder.add_new):
# at most this many in all, so a million-row import stays within its memory.
MEMO_ENTRIES = 100_000

# A lead's phone and company key (itemgetter: quicker than an attribute in the
# per-lead loop of add_new).
_PHONE_OF: Callable[[RowKeys], str | None] = itemgetter(RowKeys._fields.index("phone"))
_COMPANY_OF: Callable[[RowKeys], str | None] = itemgetter(RowKeys._fields.index("company"))

IdsByKey = dict[str, int]
"""A normalised email -> the oldest lead id that has it."""
Candidates = dict[str, list[tuple[int, PersonKeys]]]
"""A normalised phone or company key -> (lead id, keys) of the leads that have it, oldest first."""


class StoredCandidates(NamedTuple):
    """The stored leads a chunk's rows may be: by email, by phone, by company."""

    by_email: IdsByKey
    by_phone: Candidates
    by_company: Candidates


def chunk_keys(all_values: Sequence[Mapping[str, Any]]) -> list[RowKeys]:
    """``[row_keys(values) for values in all_values]``, a column at a time."""
    read = value_columns(all_values, _KEYED)
    emails = normalize_emails(read["email"])
    phones = normalize_phones(read["phone"])
    # Colleagues share a company: each spelling is reduced once.
    spellings = read["company"]
    reduced = company_keys(set(spellings))
    companies = map(reduced.__getitem__, spellings)
    # A chunk's first and last names repeat: each pair is folded once.
    pairs = list(zip(read["first_name"], read["last_name"], strict=True))
    folded = {pair: person_name(*pair) for pair in set(pairs)}
    names = map(folded.__getitem__, pairs)
    # tuple.__new__ builds the named tuples without a Python call each.
    return list(
        map(tuple.__new__, repeat(RowKeys), zip(emails, phones, companies, names, strict=True))
    )


def row_keys(values: Mapping[str, Any]) -> RowKeys:
    """The keys of one row (or one lead's merged values)."""
    phone = values.get("phone")
    return RowKeys(
        email=normalize_email(values.get("email")),
        phone=normalize_phone(phone) if phone else None,
        company=company_key(values.get("company")),
        name=person_name(values.get("first_name"), values.get("last_name")),
    )


def _screen(expected: int) -> KeyScreen | ExactKeyScreen:
    return ExactKeyScreen() if expected <= EXACT_SCREEN_KEYS else KeyScreen(expected)


class DuplicateFinder:
    """The keys an import has seen (stored leads, earlier rows) and the lookups of duplicates.

    The screens say cheaply which keys are surely new; only the others are
    looked up in the database.
    """

    def __init__(self, connection: Connection, expected_keys: int) -> None:
        """Screens sized for ``expected_keys`` (the stored leads and the file's rows)."""
        self._conn = connection
        self._emails = _screen(expected_keys)
        self._phones = _screen(expected_keys)
        self._companies = _screen(expected_keys)
        # The candidates of each phone and company already read, kept up to date
        # with the leads this import creates: a file of thousands of colleagues at a
        # few companies would otherwise read them all again for every chunk.
        self._by_phone: Candidates = {}
        self._by_company: Candidates = {}
        self._memo_entries = 0

    def load_stored_keys(self) -> None:
        """Fill the screens with the keys of every stored lead not in the trash."""
        # Plain text columns: the driver's rows need no SQLAlchemy processing.
        rows = self._conn.exec_driver_sql(
            "SELECT email_normalized, phone_normalized, company_key FROM leads "
            "WHERE deleted_at IS NULL"
        )
        # In slices: a million stored leads must not be held at once.
        while batch := rows.fetchmany(10_000):
            self._emails.add_all([email for email, _phone, _company in batch if email])
            self._phones.add_all([phone for _email, phone, _company in batch if phone])
            self._companies.add_all([company for _email, _phone, company in batch if company])

    def stored_matches(
        self, keys: list[RowKeys], *, before_lookup: Callable[[], None] | None = None
    ) -> StoredCandidates:
        """Leads already stored (before or earlier in this import) a chunk's rows may be.

        Every key of the chunk goes into the screens here; only those the screens
        may have seen before are looked up. An email decides alone, so phones and
        companies are looked up only for rows whose email found no lead.
        ``before_lookup`` is called before the database is first asked (the
        import's earlier rows must be written by then).
        """
        seen_emails = self._emails.check_and_add([k.email for k in keys if k.email])
        seen_phones = self._phones.check_and_add([k.phone for k in keys if k.phone])
        # A company no lead had before this chunk has, as far as the database
        # knows, no leads: its memo starts empty and add_new fills it, so its
        # colleagues in later chunks are found without a query.
        unseen_companies: set[str] = set()
        seen_companies = self._companies.check_and_add(
            [k.company for k in keys if k.company], unseen_companies
        )
        self._memoise_unseen(self._by_company, unseen_companies)
        # The connection is asked only for keys the memos cannot answer: a chunk
        # answered from memory lets the last chunk's statements run on meanwhile.
        ready = _once(before_lookup)
        by_email = self._ids_by_key(
            leads.c.email_normalized, {k.email for k in keys if k.email in seen_emails}, ready
        )
        unsettled = [k for k in keys if k.email is None or k.email not in by_email]
        by_phone = self._remembered(
            leads.c.phone_normalized,
            {k.phone for k in unsettled if k.phone in seen_phones},
            self._by_phone,
            ready,
        )
        by_company = self._remembered(
            leads.c.company_key,
            {k.company for k in unsettled if k.company in seen_companies and k.name != NO_NAME},
            self._by_company,
            ready,
        )
        return StoredCandidates(by_email, by_phone, by_company)

    def _remembered(
        self, column: Any, keys: set[str], memo: Candidates, ready: Callable[[], None]
    ) -> Candidates:
        """``_leads_by_key``, reading from the database only the keys not read before."""
        found = self._leads_by_key(column, {key for key in keys if key not in memo}, ready)
        for key in keys:
            if key not in memo:
                candidates = memo[key] = found.get(key, [])
                self._memo_entries += len(candidates) + 1
        # Only keys a stored lead has, as the database answers (lone_rows relies on it).
        for key in keys:
            if key not in found and memo.get(key):
                found[key] = memo[key]
        self._keep_memo_bounded()
        return found

    def _memoise_unseen(self, memo: Candidates, keys: set[str]) -> None:
        """Keys no stored lead has (the screen never saw them): known without a query."""
        for key in keys:
            memo[key] = []
        self._memo_entries += len(keys)
        self._keep_memo_bounded()

    def _keep_memo_bounded(self) -> None:
        """Forget the older half of the memos once they hold more than MEMO_ENTRIES.

        A forgotten key is looked up in the database again if it comes back
        (colleagues in an export mostly come near each other); every entry kept
        stays complete. The older keys are deleted where they are, which costs
        less than rebuilding the dicts from their younger halves.
        """
        if self._memo_entries <= MEMO_ENTRIES:
            return
        for memo in (self._by_phone, self._by_company):
            older = list(islice(memo, len(memo) // 2))
            self._memo_entries -= len(older) + sum(map(len, map(memo.pop, older)))

    def add_new(self, first_id: int, keys: Sequence[RowKeys]) -> None:
        """The import created leads ``first_id``, ``first_id + 1``, ... with ``keys``."""
        for memo, key_of in ((self._by_phone, _PHONE_OF), (self._by_company, _COMPANY_OF)):
            if not memo:
                continue
            lead_keys = list(map(key_of, keys))
            if memo.keys().isdisjoint(lead_keys):
                continue  # the usual phone memo: a few keys, none in this chunk
            get, added = memo.get, 0
            for lead_id, key, their_keys in zip(count(first_id), lead_keys, keys):
                candidates = get(key)  # type: ignore[arg-type]  # None is never in a memo
                if candidates is not None and len(candidates) < MAX_CANDIDATES:
                    candidates.append((lead_id, their_keys))
                    added += 1
            self._memo_entries += added
        self._keep_memo_bounded()

    def _ids_by_key(self, column: Any, keys: set[str], ready: Callable[[], None]) -> dict[str, int]:
        """The oldest stored lead, not trashed, for each key in ``column``.

        ``ready`` is called before the database is asked.
        """
        found: dict[str, int] = {}
        if not keys:
            return found
        ready()
        # Trashed leads are filtered here, not in SQL: with "deleted_at IS NULL" in
        # the query SQLite may walk the board index (which starts with deleted_at)
        # instead of probing the key's own index. No ORDER BY either, for the same
        # reason; the oldest lead wins a tie.
        query = select(column, leads.c.id, leads.c.deleted_at).where(column.in_(keys))
        for key, lead_id, deleted_at in self._conn.execute(query).all():
            if deleted_at is None:
                found[key] = min(lead_id, found.get(key, lead_id))
        return found

    def _leads_by_key(self, column: Any, keys: set[str], ready: Callable[[], None]) -> Candidates:
        """The stored leads, not trashed, with each key in ``column``, with their own keys."""
        found: Candidates = {}
        if not keys:
            return found
        ready()
        query = select(
            column.label("key"),
            leads.c.id,
            leads.c.email_normalized,
            leads.c.phone_normalized,
            leads.c.company_key,
            leads.c.first_name,
            leads.c.last_name,
            leads.c.deleted_at,
        ).where(column.in_(keys))
        for row in self._conn.execute(query).all():
            if row.deleted_at is None:
                found.setdefault(row.key, []).append(
                    (
                        row.id,
                        PersonKeys(
                            row.email_normalized,
                            row.phone_normalized,
                            row.company_key,
                            person_name(row.first_name, row.last_name),
                        ),
                    )
                )
        for candidates in found.values():
            candidates.sort()
            del candidates[MAX_CANDIDATES:]
        return found

    def remember(self, keys: RowKeys) -> None:
        """A stored lead now has these keys (an update changed them)."""
        # Its old keys are not known here: what was read before may be out of date.
        self._by_phone.clear()
        self._by_company.clear()
        self._memo_entries = 0
        if keys.email:
            self._emails.add(keys.email)
        if keys.phone:
            self._phones.add(keys.phone)
        if keys.company:
            self._companies.add(keys.company)


def _once(call: Callable[[], None] | None) -> Callable[[], None]:
    """``call`` at the first call only (nothing if None): a chunk settles once."""

    def first_time() -> None:
        nonlocal call
        if call is not None:
            due, call = call, None
            due()

    return first_time
