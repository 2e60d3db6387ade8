"""Finding the stored leads one lead (as typed in the form) may duplicate.

The import settles duplicates for a whole file at once (operations/importing/);
this answers the same question for one lead while it is being typed: the same
normalised email, the same normalised phone, or a close name at the same company
(leaddesk/core/dedupe.py). A few indexed lookups, fast enough for every keystroke.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from leaddesk.core.dedupe import person_name, same_person_name
from leaddesk.core.fields import display_name
from leaddesk.core.normalize import company_key, normalize_email, normalize_phone
from leaddesk.storage.schema import leads

# A company block larger than this is a bought list, not a few colleagues; the
# name comparison looks at its first rows only rather than stall the form.
_COMPANY_BLOCK_LIMIT = 2_000
_MAX_MATCHES = 5


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """A stored lead that looks like the same person, and why."""

    lead_id: int
    name: str
    company: str | None
    email: str | None
    phone: str | None
    # "email", "phone", "name" (a close name at the same company), in that order.
    reasons: tuple[str, ...]

    @property
    def reason_text(self) -> str:
        words = {"email": "same email", "phone": "same phone", "name": "same name and company"}
        return ", ".join(words[reason] for reason in self.reasons)


def _text(values: Mapping[str, Any], name: str) -> str | None:
    value = values.get(name)
    return value.strip() or None if isinstance(value, str) else None


def find_duplicates(
    connection: Connection,
    values: Mapping[str, Any],
    exclude_id: int | None = None,
) -> list[DuplicateMatch]:
    """Live leads that match ``values`` (lead field values), best matches first."""
    email = normalize_email(_text(values, "email"))
    phone_text = _text(values, "phone")
    phone = normalize_phone(phone_text) if phone_text else None
    company = company_key(_text(values, "company"))
    name = person_name(_text(values, "first_name"), _text(values, "last_name"))
    reasons: dict[int, list[str]] = {}
    # Trashed leads are skipped here rather than in SQL, so each lookup probes its
    # key's own index (see operations/importing/duplicate_finder.py).
    for reason, column, key in (
        ("email", leads.c.email_normalized, email),
        ("phone", leads.c.phone_normalized, phone),
    ):
        if key is None:
            continue
        query = select(leads.c.id, leads.c.deleted_at).where(column == key)
        for lead_id, deleted_at in connection.execute(query):
            if deleted_at is None and lead_id != exclude_id:
                reasons.setdefault(lead_id, []).append(reason)
    if company is not None and any(name):
        query = (
            select(leads.c.id, leads.c.first_name, leads.c.last_name, leads.c.deleted_at)
            .where(leads.c.company_key == company)
            .limit(_COMPANY_BLOCK_LIMIT)
        )
        for row in connection.execute(query):
            if (
                row.deleted_at is None
                and row.id != exclude_id
                and same_person_name(name, person_name(row.first_name, row.last_name))
            ):
                reasons.setdefault(row.id, []).append("name")
    if not reasons:
        return []
    ranked = sorted(reasons, key=lambda lead_id: (-len(reasons[lead_id]), lead_id))[:_MAX_MATCHES]
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
            reasons=tuple(reasons[lead_id]),
        )
        for lead_id in ranked
        if lead_id in rows
    ]
