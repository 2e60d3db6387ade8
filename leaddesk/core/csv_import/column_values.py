"""What a sample of a column's values says about the field its header proposes.

A header proposes a field ('Rating' -> Temperature); the column's values confirm
it or not. Vendors' own columns hold the vendor's words (a Salesforce rating
'Tier 1', a Google Contacts label '* myContacts ::: Friends', an Outlook honorific
'Dr.'): mapped to a typed field they would each cost the lead that value, so a
column whose values mostly do not read as that field is not mapped to it.

``column_fit`` counts how many sampled values the field reads; fields that take
any text (names, company, notes) accept every value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from leaddesk.core.csv_import.targets import (
    CREATED_AT,
    EMAIL_OPT_OUT,
    FIRST_CONTACTED,
    FULL_NAME,
    KEEP_IN_NOTES,
)
from leaddesk.core.csv_import.value_dates import DateOrder, parse_datetime
from leaddesk.core.csv_import.value_labels import (
    parse_bool,
    parse_consent,
    parse_opt_out,
    parse_stage,
    parse_temperature,
)
from leaddesk.core.csv_import.value_numbers import (
    detect_decimal_mark,
    parse_integer,
    parse_money_cents,
)
from leaddesk.core.csv_import.values import PLACEHOLDERS, CellValueError, fold_key
from leaddesk.core.fields import FIELDS_BY_NAME, FieldKind

SAMPLE_VALUES = 300
"""Non-empty values of a column judged at most (the first ones of the file)."""
EXAMPLES = 3
"""Unreadable values quoted in a reason."""

# Salutations that address books and mail clients export beside the job title
# (Outlook's and Google's 'Title'), as fold_key writes them.
HONORIFICS = frozenset(
    fold_key(word)
    for word in (
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Mx",
        "Dr",
        "Prof",
        "Sir",
        "Dame",
        "Madam",
        "Rev",
        "Herr",
        "Frau",
        "Fräulein",
        "M",
        "Mme",
        "Mlle",
        "Sr",
        "Sra",
        "Srta",
        "Don",
        "Doña",
        "Dña",
        "Sig",
        "Sig.ra",
        "Dhr",
        "Mevr",
    )
)
_WORDS = re.compile(r"[\s.]+")
_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+")
_PHONE_LIKE = re.compile(r"[+(]?[\d\s()./\-–]{5,}(?:\s*(?:ext\.?|x|#)\s*\d{1,6})?", re.IGNORECASE)


def is_honorific(text: str) -> bool:
    """'Dr.', 'Mrs', 'Prof. Dr.', 'Frau': a salutation, not a job title."""
    words = [word for word in _WORDS.split(text.strip()) if word]
    return bool(words) and all(fold_key(word) in HONORIFICS for word in words)


def _reads(parse: Callable[[str], object], text: str) -> bool:
    try:
        parse(text)
    except CellValueError:
        return False
    return True


def _reads_as_date(text: str) -> bool:
    return _reads(parse_datetime, text) or _reads(
        partial(parse_datetime, order=DateOrder.MONTH_FIRST), text
    )


def _reads_as_phone(text: str) -> bool:
    return bool(_PHONE_LIKE.fullmatch(text.strip())) and sum(map(str.isdigit, text)) >= 5


# What the values of a typed target are called in a reason: "are not temperatures".
_CALLED: dict[str, str] = {
    "temperature": "temperatures (hot, warm, cold)",
    "stage": "stages",
    "consent": "consent answers",
    EMAIL_OPT_OUT: "yes/no answers",
    CREATED_AT: "dates",
    FIRST_CONTACTED: "dates",
    "email": "email addresses",
    "phone": "phone numbers",
    "job_title": "job titles",
}
_CALLED_BY_KIND: dict[FieldKind, str] = {
    FieldKind.DATE: "dates",
    FieldKind.DATETIME: "dates",
    FieldKind.MONEY: "amounts of money",
    FieldKind.INTEGER: "whole numbers",
    FieldKind.BOOL: "yes/no answers",
}


def values_called(target: str) -> str:
    """How a reason names what ``target`` reads: 'temperatures (hot, warm, cold)'."""
    if target in _CALLED:
        return _CALLED[target]
    kind = FIELDS_BY_NAME[target].kind if target in FIELDS_BY_NAME else None
    return _CALLED_BY_KIND.get(kind, "values of this field") if kind else "values of this field"


def _check_for(target: str, values: Sequence[str]) -> Callable[[str], bool] | None:
    """Whether one value reads as ``target``; None when any text does."""
    special: dict[str, Callable[[str], bool]] = {
        "temperature": partial(_reads, parse_temperature),
        "stage": partial(_reads, parse_stage),
        "consent": partial(_reads, parse_consent),
        EMAIL_OPT_OUT: partial(_reads, parse_opt_out),
        CREATED_AT: _reads_as_date,
        FIRST_CONTACTED: _reads_as_date,
        "email": lambda text: bool(_EMAIL_LIKE.search(text)),
        "phone": _reads_as_phone,
        "job_title": lambda text: not is_honorific(text),
    }
    if target in special:
        return special[target]
    if target in (FULL_NAME, KEEP_IN_NOTES) or target not in FIELDS_BY_NAME:
        return None
    kind = FIELDS_BY_NAME[target].kind
    if kind in (FieldKind.DATE, FieldKind.DATETIME):
        return _reads_as_date
    if kind is FieldKind.MONEY:
        mark = detect_decimal_mark(values)
        return partial(_reads, partial(parse_money_cents, decimal_mark=mark))
    if kind is FieldKind.INTEGER:
        return partial(_reads, parse_integer)
    if kind is FieldKind.BOOL:
        return partial(_reads, parse_bool)
    return None


@dataclass(frozen=True, slots=True)
class ColumnFit:
    """How many sampled values of a column ``target`` reads."""

    target: str
    read: int
    total: int
    """Non-empty values judged (placeholders such as 'n/a' left out)."""
    unreadable: tuple[str, ...]
    """The first few values it does not read, as typed."""

    @property
    def confirmed(self) -> bool:
        """At least half the values read (or nothing to judge): the header stands."""
        return self.total == 0 or 2 * self.read >= self.total

    @property
    def share(self) -> float:
        return self.read / self.total if self.total else 1.0

    def examples(self) -> str:
        """ "'Tier 1', 'Tier 2'": the unreadable values a reason quotes."""
        return ", ".join(f"'{text}'" for text in self.unreadable)


def sample_columns(rows: Sequence[Sequence[str]], width: int) -> list[list[str]]:
    """The cells of ``rows`` column by column (``width`` columns; short rows padded)."""
    return [[row[column] if column < len(row) else "" for row in rows] for column in range(width)]


def sampled_values(cells: Sequence[str]) -> list[str]:
    """The column's non-empty values judged by ``column_fit``, stripped."""
    values: list[str] = []
    for cell in cells:
        text = " ".join(cell.split())
        if text and text not in PLACEHOLDERS:
            values.append(text)
            if len(values) == SAMPLE_VALUES:
                break
    return values


def column_fit(target: str, cells: Sequence[str]) -> ColumnFit:
    """How well ``target`` reads the (first few hundred) non-empty ``cells`` of a column."""
    values = sampled_values(cells)
    check = _check_for(target, values)
    if check is None:
        return ColumnFit(target, len(values), len(values), ())
    unreadable: list[str] = []
    read = 0
    seen: dict[str, bool] = {}
    for text in values:
        ok = seen.get(text)
        if ok is None:
            ok = seen[text] = check(text)
        if ok:
            read += 1
        elif len(unreadable) < EXAMPLES and text not in unreadable:
            unreadable.append(text)
    return ColumnFit(target, read, len(values), tuple(unreadable))


KEPT_AS_TYPED = frozenset({"email", "phone", "job_title", "source"})
"""Targets that store a value they cannot read as typed (see ``values``), not in the notes."""


def fallback_target(target: str) -> str | None:
    """What a column whose values are not ``target``'s gets instead.

    Words a field could not read (a vendor's rating, label or stage, a date
    written 'soon') are the user's information: kept in the notes. A type label
    in an email or phone column, or a salutation, is not worth keeping.
    """
    return None if target in ("email", "phone", "job_title") else KEEP_IN_NOTES
