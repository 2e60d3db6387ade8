"""Finding the stored leads one lead (as typed in the form) may duplicate.

The import settles duplicates for a whole file at once (operations/importing/);
this answers the same question for one lead while it is being typed, by the same
rule (leaddesk.core.dedupe.compare): the same normalised email is the same
person; a matching phone, or a close name at the same company, is the same
person only when one of the two has no email, and a *possible* duplicate when
both have different emails (colleagues behind one switchboard). A few indexed
lookups, fast enough for every keystroke.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from leaddesk.core.dedupe import MatchReason, PersonKeys, compare, person_name, same_company_name
from leaddesk.core.fields import display_name
from leaddesk.core.normalize import company_key, normalize_email, normalize_phone
from leaddesk.storage.schema import leads

# A company block larger than this is a bought list, not a few colleagues; the
# name comparison looks at its first rows only rather than stall the form.
_COMPANY_BLOCK_LIMIT = 2_000
_MAX_MATCHES = 5
_REASON_WORDS = {"email": "same email", "phone": "same phone", "name": "same name and company"}


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """A stored lead that looks like the same person (or possibly is), and why."""

    lead_id: int
    name: str
    company: str | None
    email: str | None
    phone: str | None
    # "email", "phone", "name" (a close name at the same company), in that order.
    reasons: tuple[str, ...]
    # The rule's verdict: the same person, or only a possible duplicate (another email).
    reason: MatchReason = MatchReason.SAME_EMAIL

    @property
    def same_person(self) -> bool:
        return self.reason.same_person

    @property
    def reason_text(self) -> str:
        text = ", ".join(_REASON_WORDS[reason] for reason in self.reasons)
        return text if self.same_person else f"{text}, but a different email"


def _text(values: Mapping[str, Any], name: str) -> str | None:
    value = values.get(name)
    return value.strip() or None if isinstance(value, str) else None


_KEY_COLUMNS = (
    leads.c.id,
    leads.c.email_normalized,
    leads.c.phone_normalized,
    leads.c.company_key,
    leads.c.first_name,
    leads.c.last_name,
    leads.c.deleted_at,
)


def _candidates(
    connection: Connection, keys: PersonKeys, exclude_id: int | None
) -> dict[int, PersonKeys]:
    """Live leads sharing the email, the phone or the company of ``keys``, with their keys."""
    found: dict[int, PersonKeys] = {}
    # Trashed leads are skipped here rather than in SQL, so each lookup probes its
    # key's own index (see operations/importing/duplicate_finder.py).
    for column, key, limit in (
        (leads.c.email_normalized, keys.email, None),
        (leads.c.phone_normalized, keys.phone, None),
        (leads.c.company_key, keys.company if any(keys.name) else None, _COMPANY_BLOCK_LIMIT),
    ):
        if key is None:
            continue
        query = select(*_KEY_COLUMNS).where(column == key).limit(limit)
        for row in connection.execute(query):
            if row.deleted_at is None and row.id != exclude_id:
                found[row.id] = PersonKeys(
                    row.email_normalized,
                    row.phone_normalized,
                    row.company_key,
                    person_name(row.first_name, row.last_name),
                )
    return found


def find_duplicates(
    connection: Connection,
    values: Mapping[str, Any],
    exclude_id: int | None = None,
) -> list[DuplicateMatch]:
    """Live leads that match ``values`` (lead field values): the same person first,
    then possible duplicates; more matching keys first."""
    phone_text = _text(values, "phone")
    keys = PersonKeys(
        normalize_email(_text(values, "email")),
        normalize_phone(phone_text) if phone_text else None,
        company_key(_text(values, "company")),
        person_name(_text(values, "first_name"), _text(values, "last_name")),
    )
    verdicts: dict[int, tuple[MatchReason, tuple[str, ...]]] = {}
    for lead_id, other in _candidates(connection, keys, exclude_id).items():
        verdict = compare(keys, other)
        if verdict is None:
            continue
        matching = (
            ("email", keys.email is not None and keys.email == other.email),
            ("phone", keys.phone is not None and keys.phone == other.phone),
            ("name", same_company_name(keys, other)),
        )
        verdicts[lead_id] = (verdict, tuple(name for name, matched in matching if matched))
    if not verdicts:
        return []
    ranked = sorted(
        verdicts,
        key=lambda lead_id: (
            not verdicts[lead_id][0].same_person,
            -len(verdicts[lead_id][1]),
            lead_id,
        ),
    )[:_MAX_MATCHES]
    rows = {
        row.id: row
        for row in connection.execute(
            select(
                leads.c.id,
                leads.c.first_name,
                leads.c.last_name,
                leads.c.email,
                leads.c.phone,
                leads.c.company,
            ).where(leads.c.id.in_(ranked))
        )
    }
    return [
        DuplicateMatch(
            lead_id=lead_id,
            name=display_name(
                rows[lead_id].first_name, rows[lead_id].last_name, rows[lead_id].email
            ),
            company=rows[lead_id].company,
            email=rows[lead_id].email,
            phone=rows[lead_id].phone,
            reasons=verdicts[lead_id][1],
            reason=verdicts[lead_id][0],
        )
        for lead_id in ranked
        if lead_id in rows
    ]


def lead_names(connection: Connection, lead_ids: Collection[int]) -> dict[int, str]:
    """The name each of these leads shows (its email when it has no name), by id."""
    names: dict[int, str] = {}
    ids = list(dict.fromkeys(lead_ids))
    # Chunked: SQLite limits the number of bound parameters of one statement.
    for start in range(0, len(ids), 500):
        query = select(leads.c.id, leads.c.first_name, leads.c.last_name, leads.c.email).where(
            leads.c.id.in_(ids[start : start + 500])
        )
        for row in connection.execute(query):
            names[row.id] = display_name(row.first_name, row.last_name, row.email)
    return names
