"""Finding the stored leads one lead (as typed in the form) may duplicate.

The import settles duplicates for a whole file at once (operations/importing/);
this answers the same question for one lead while it is being typed, by the same
rule (leaddesk.core.dedupe.compare): the same normalised email is the same
person; a matching phone, or a close name at the same company, is the same
person only when one of the two has no email, and a *possible* duplicate when
both have different emails (colleagues behind one switchboard). A few indexed
lookups, fast enough for every keystroke.

The possible duplicates found (by an import, the form, the command line) are
kept as pairs in ``possible_duplicates`` until the user merges them, deletes
one, or says "Not a duplicate"; the second half of this module reads them. A
pair is *open* while nobody dismissed it and neither lead is in the trash, so a
merge (which trashes one lead) clears it and undoing the merge brings it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, insert, or_, select

from leaddesk.core.dedupe import MatchReason, PersonKeys, compare, person_name, same_company_name
from leaddesk.core.fields import display_name
from leaddesk.core.normalize import company_key, normalize_email, normalize_phone
from leaddesk.storage.schema import leads, possible_duplicates

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


# -- possible duplicates kept for review ----------------------------------------

_CHUNK = 500
# "same phone, different email" -> what the short line on the form says.
_KEY_WORDS = {"phone": "same phone", "name": "same name and company", "email": "same email"}


def short_reason(reason: str) -> str:
    """'same phone' or 'same name and company' for a stored reason (MatchReason words)."""
    try:
        return _KEY_WORDS[MatchReason(reason).key]
    except ValueError:
        return reason


@dataclass(frozen=True, slots=True)
class PossiblePair:
    """An open pair as seen from one of its leads: ``lead_id`` and the ``other_id``."""

    pair_id: int
    lead_id: int
    lead_name: str
    other_id: int
    other_name: str
    other_company: str | None
    reason: str
    found_at: dt.datetime

    @property
    def short_reason(self) -> str:
        return short_reason(self.reason)


def add_pairs(
    connection: Connection, pairs: Iterable[tuple[int, int, str]], found_at: dt.datetime
) -> list[tuple[int, int]]:
    """Record (lead, other lead, reason) pairs; the (duplicate, existing) ids recorded.

    The newer lead (the higher id) is recorded as the duplicate of the older one,
    whichever of the two was saved: a merge proposes to keep the older. A pair
    already recorded, dismissed or not, is left as it is: a dismissed pair is
    never proposed again.
    """
    wanted: dict[frozenset[int], tuple[int, int, str]] = {}
    for lead_id, other_id, reason in pairs:
        if lead_id != other_id:
            newer, older = max(lead_id, other_id), min(lead_id, other_id)
            wanted.setdefault(frozenset((lead_id, other_id)), (newer, older, reason))
    if not wanted:
        return []
    ids = sorted({lead_id for key in wanted for lead_id in key})
    table = possible_duplicates
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = select(table.c.duplicate_lead_id, table.c.existing_lead_id).where(
            or_(table.c.duplicate_lead_id.in_(chunk), table.c.existing_lead_id.in_(chunk))
        )
        for first, second in connection.execute(query):
            wanted.pop(frozenset((first, second)), None)
    if wanted:
        connection.execute(
            insert(table),
            [
                {
                    "duplicate_lead_id": lead_id,
                    "existing_lead_id": other_id,
                    "reason": reason,
                    "found_at": found_at,
                }
                for lead_id, other_id, reason in wanted.values()
            ],
        )
    return [(lead_id, other_id) for lead_id, other_id, _reason in wanted.values()]


def pair_between(connection: Connection, lead_id: int, other_id: int) -> Any | None:
    """The recorded pair of these two leads (either order, dismissed or not), or None."""
    table = possible_duplicates
    query = select(table).where(
        or_(
            and_(table.c.duplicate_lead_id == lead_id, table.c.existing_lead_id == other_id),
            and_(table.c.duplicate_lead_id == other_id, table.c.existing_lead_id == lead_id),
        )
    )
    return connection.execute(query).first()


def _sides(lead_ids: Sequence[int] | None) -> list[Select[Any]]:
    """Undismissed pairs seen from each side: pair id, lead, other, reason, found_at,
    and whether both leads are live (the pair is open)."""
    table = possible_duplicates
    queries = []
    for mine, theirs in (
        (table.c.duplicate_lead_id, table.c.existing_lead_id),
        (table.c.existing_lead_id, table.c.duplicate_lead_id),
    ):
        own, other = leads.alias("own"), leads.alias("other")
        query = (
            select(
                table.c.id,
                mine.label("lead_id"),
                theirs.label("other_id"),
                table.c.reason,
                table.c.found_at,
                and_(own.c.deleted_at.is_(None), other.c.deleted_at.is_(None)).label("live"),
            )
            .join(own, own.c.id == mine)
            .join(other, other.c.id == theirs)
            .where(table.c.dismissed_at.is_(None))
        )
        if lead_ids is not None:
            query = query.where(mine.in_(lead_ids))
        queries.append(query)
    return queries


def pair_partners(connection: Connection, lead_ids: Sequence[int]) -> dict[int, dict[int, bool]]:
    """Of ``lead_ids``, those in an undismissed pair: lead -> {other lead: pair open}.

    The board marks a card whose lead has an open pair, and forgets the card when
    the other lead changes (a merge, a delete or a restore opens or closes the pair).
    """
    found: dict[int, dict[int, bool]] = {}
    ids = list(dict.fromkeys(lead_ids))
    for start in range(0, len(ids), _CHUNK):
        for query in _sides(ids[start : start + _CHUNK]):
            for row in connection.execute(query):
                found.setdefault(row.lead_id, {})[row.other_id] = bool(row.live)
    return found


def _as_pairs(connection: Connection, rows: Sequence[Any]) -> list[PossiblePair]:
    """Rows of ``_sides`` with the names of their leads."""
    ids = {lead_id for row in rows for lead_id in (row.lead_id, row.other_id)}
    found: dict[int, Any] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        query = select(
            leads.c.id, leads.c.first_name, leads.c.last_name, leads.c.email, leads.c.company
        ).where(leads.c.id.in_(ordered[start : start + _CHUNK]))
        found.update({row.id: row for row in connection.execute(query)})
    pairs = []
    for row in rows:
        lead, other = found.get(row.lead_id), found.get(row.other_id)
        if lead is None or other is None:
            continue
        pairs.append(
            PossiblePair(
                pair_id=row.id,
                lead_id=row.lead_id,
                lead_name=display_name(lead.first_name, lead.last_name, lead.email),
                other_id=row.other_id,
                other_name=display_name(other.first_name, other.last_name, other.email),
                other_company=other.company,
                reason=row.reason,
                found_at=row.found_at,
            )
        )
    return pairs


def open_pairs_of(connection: Connection, lead_id: int) -> list[PossiblePair]:
    """The open pairs of one lead, each seen from it (``lead_id`` is this lead)."""
    rows = [
        row
        for query in _sides([lead_id])
        for row in connection.execute(query.order_by(possible_duplicates.c.id))
        if row.live
    ]
    return _as_pairs(connection, rows)


def open_pairs(connection: Connection, limit: int | None = None) -> list[PossiblePair]:
    """Every open pair, the newest first, from its duplicate lead's side."""
    table = possible_duplicates
    own, other = leads.alias("own"), leads.alias("other")
    query = (
        select(
            table.c.id,
            table.c.duplicate_lead_id.label("lead_id"),
            table.c.existing_lead_id.label("other_id"),
            table.c.reason,
            table.c.found_at,
        )
        .join(own, own.c.id == table.c.duplicate_lead_id)
        .join(other, other.c.id == table.c.existing_lead_id)
        .where(
            table.c.dismissed_at.is_(None),
            own.c.deleted_at.is_(None),
            other.c.deleted_at.is_(None),
        )
        .order_by(table.c.found_at.desc(), table.c.id.desc())
        .limit(limit)
    )
    return _as_pairs(connection, connection.execute(query).all())


def dismissed_partners(connection: Connection, lead_id: int) -> set[int]:
    """The leads someone said lead ``lead_id`` is not a duplicate of."""
    table = possible_duplicates
    found: set[int] = set()
    for mine, theirs in (
        (table.c.duplicate_lead_id, table.c.existing_lead_id),
        (table.c.existing_lead_id, table.c.duplicate_lead_id),
    ):
        query = select(theirs).where(mine == lead_id, table.c.dismissed_at.is_not(None))
        found.update(connection.execute(query).scalars())
    return found
