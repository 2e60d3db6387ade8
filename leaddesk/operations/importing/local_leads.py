"""The new leads one chunk of an import will create, and the keys later rows find them by.

``LocalLeads`` holds them in parallel lists (values, keys, whether a status
column says someone already worked the lead) rather than an object a lead: a
large import creates a hundred thousand of them. ``ImportBatchWriter``
(batch_writer) fills one per chunk and hands the lists to ``NewLeadWriter``
(new_leads).

A lead none of whose keys another row of its chunk (or a stored lead) has is
``append``-ed without being indexed: no later row of the chunk can look it up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from typing import Any

from leaddesk.core.dedupe import NO_NAME, PersonKeys
from leaddesk.operations.importing.duplicate_finder import MAX_CANDIDATES, RowKeys


class LocalLeads:
    """The new leads of one chunk, by key, for the rows after them in the chunk."""

    def __init__(self) -> None:
        self.values: list[dict[str, Any]] = []
        self.keys: list[RowKeys] = []
        self.worked: list[bool] = []
        self.by_email: dict[str, int] = {}
        self.by_phone: dict[str, list[int]] = {}
        self.by_company: dict[str, list[int]] = {}
        # index -> the email a later row (the same person) gave a lead that had none
        self.claims: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.values)

    def append(self, values: dict[str, Any], keys: RowKeys, worked: bool) -> None:
        """A new lead no later row of the chunk can be (see the module docstring)."""
        self.values.append(values)
        self.keys.append(keys)
        self.worked.append(worked)

    def add(self, values: dict[str, Any], keys: RowKeys, worked: bool) -> int:
        """Index a new lead by its keys; its index among the chunk's new leads."""
        index = len(self.values)
        self.append(values, keys, worked)
        email, phone, company, name = keys
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
        """The lead ``index`` now has these keys too (a later row was merged into it)."""
        self.keys[index] = keys
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
        if self.keys[index].email is None and index not in self.claims:
            self.claims[index] = email
            self.by_email.setdefault(email, index)

    def candidates(self, key: RowKeys) -> list[tuple[int, PersonKeys]]:
        """The new leads sharing the row's phone or company, as (-(index + 1), keys)."""
        _email, phone, company, _name = key
        found = self.by_phone.get(phone, ()) if phone is not None else ()
        at_company = self.by_company.get(company, ()) if company is not None else ()
        if not found and not at_company:
            return []
        all_keys, claims = self.keys, self.claims
        candidates = []
        for index in (*found, *at_company):
            keys = all_keys[index]
            if keys.email is None and index in claims:
                keys = keys._replace(email=claims[index])
            candidates.append((-index - 1, keys))
        return candidates


def lone_rows(
    keys: Sequence[RowKeys],
    stored_emails: Collection[str],
    claimed_emails: Collection[str],
    stored_phones: Collection[str],
    stored_companies: Collection[str],
) -> list[bool] | None:
    """Which rows share no key with a stored lead or another row of the chunk.

    Such a row is a new lead whatever the duplicate rule says, and no later row
    of the chunk can be it. None when every row is one (a new file into an empty
    table), which the caller settles without a loop. Worked out a column at a
    time with set operations: this runs for every row of a large import.
    """
    emails = [key.email for key in keys]
    phones = [key.phone for key in keys]
    companies = [key.company for key in keys]
    shared_emails = _shared(emails, stored_emails, claimed_emails)
    shared_phones = _shared(phones, stored_phones)
    shared_companies = _shared(companies, stored_companies)
    if not (shared_emails or shared_phones or shared_companies):
        return None
    return [
        not (email_shared or phone_shared or company_shared)
        for email_shared, phone_shared, company_shared in zip(
            map(shared_emails.__contains__, emails),
            map(shared_phones.__contains__, phones),
            map(shared_companies.__contains__, companies),
            strict=True,
        )
    ]


def _shared(column: list[str | None], *stored: Collection[str]) -> set[str | None]:
    """The keys of ``column`` a stored lead has or more than one row has (never None)."""
    present = set(column)
    shared: set[str | None] = set()
    for taken in stored:
        if taken:
            shared.update(key for key in present if key in taken)
    if len(present) != len(column):
        shared.update(key for key, times in Counter(column).items() if times > 1)
    shared.discard(None)
    return shared
