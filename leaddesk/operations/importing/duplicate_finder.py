"""The duplicate keys of an import: which stored or earlier leads a row matches.

``DuplicateFinder`` keeps the import's key screens filled and looks up, for a
chunk of rows, the leads sharing an email, a phone, or a name at the same
company. ``ImportBatchWriter`` (batch_writer) holds one for its whole import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import repeat
from operator import methodcaller
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from leaddesk.core.dedupe import (
    ExactKeyScreen,
    KeyScreen,
    PersonName,
    person_name,
    same_person_name,
)
from leaddesk.core.normalize import (
    company_key,
    normalize_email,
    normalize_emails,
    normalize_phone,
    normalize_phones,
)
from leaddesk.storage.schema import leads


class RowKeys(NamedTuple):
    """What a row is matched by: its normalised email and phone, company and name."""

    email: str | None
    phone: str | None
    company: str | None
    name: PersonName


# person_name of a row without a name: any(name) is False exactly for this.
NO_NAME: PersonName = ("", "")
_GET_EMAIL = methodcaller("get", "email")
_GET_PHONE = methodcaller("get", "phone")
_GET_COMPANY = methodcaller("get", "company")
_GET_FIRST = methodcaller("get", "first_name")
_GET_LAST = methodcaller("get", "last_name")

# Up to this many keys a screen holds them exactly (a set: tens of megabytes at
# most); beyond, a Bloom filter keeps a million-row import within its memory.
EXACT_SCREEN_KEYS = 250_000

IdsByKey = dict[str, int]
"""A normalised email or phone -> the lead id (or pending row index) that has it."""
NamesByCompany = dict[str, list[tuple[PersonName, int]]]
"""Company key -> (person name, lead id or pending row index) of each lead there."""


def chunk_keys(all_values: Sequence[Mapping[str, Any]]) -> list[RowKeys]:
    """``[row_keys(values) for values in all_values]``, a column at a time."""
    emails = normalize_emails(list(map(_GET_EMAIL, all_values)))
    phones = normalize_phones(list(map(_GET_PHONE, all_values)))
    companies = map(company_key, map(_GET_COMPANY, all_values))
    names = map(person_name, map(_GET_FIRST, all_values), map(_GET_LAST, all_values))
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


def find_match(
    key: RowKeys,
    by_email: Mapping[str, int],
    by_phone: Mapping[str, int],
    by_company: Mapping[str, list[tuple[PersonName, int]]],
    kind: str,
) -> tuple[str, int] | None:
    """``(kind, ref)`` of the lead ``key`` matches: by email, else phone, else name at company."""
    if key.email and key.email in by_email:
        return kind, by_email[key.email]
    if key.phone and key.phone in by_phone:
        return kind, by_phone[key.phone]
    if key.company and key.name != NO_NAME:
        for other_name, ref in by_company.get(key.company, ()):
            if same_person_name(key.name, other_name):
                return kind, ref
    return None


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

    def stored_matches(self, keys: list[RowKeys]) -> tuple[IdsByKey, IdsByKey, NamesByCompany]:
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
            and k.name != NO_NAME
            and k.email not in by_email
            and k.phone not in by_phone
        }
        by_company: NamesByCompany = {}
        if companies:
            query = select(
                leads.c.company_key,
                leads.c.first_name,
                leads.c.last_name,
                leads.c.id,
                leads.c.deleted_at,
            ).where(leads.c.company_key.in_(companies))
            for row in self._conn.execute(query):
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
        for key, lead_id, deleted_at in self._conn.execute(query).all():
            if deleted_at is None:
                found[key] = min(lead_id, found.get(key, lead_id))
        return found

    def remember(self, keys: RowKeys) -> None:
        """A stored lead now has these keys (an update changed them)."""
        if keys.email:
            self._emails.add(keys.email)
        if keys.phone:
            self._phones.add(keys.phone)
        if keys.company:
            self._companies.add(keys.company)
