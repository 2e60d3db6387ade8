"""Turning the text of CSV cells into typed lead values, or a reason why not.

Each ``parse_*`` function takes the text of one non-empty cell and returns the
value, or raises ``CellValueError`` whose message is one sentence for the user
(shown on the highlighted cell and written to the error report). When the text
is still worth keeping (an email that looks wrong, a phone number that cannot
be put into international form) the error carries it in ``kept``.

This module holds what the value parsers share: ``FieldValue``,
``CellValueError`` and the word tables' lookup. The parsers live beside it:

- ``value_dates``: dates and times, and a column's day/month order.
- ``value_numbers``: money and whole numbers, and a column's decimal mark.
- ``value_labels``: yes/no, temperature, stage, consent, source, choices;
  the merge rules for stage and consent.
- ``value_contacts``: email addresses and phone numbers.
- ``row_parser``: ``RowParser``, whole rows and chunks of rows.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TypeVar

UTC = dt.UTC
_T = TypeVar("_T")

FieldValue = str | int | bool | dt.date | dt.datetime
"""What a parsed cell holds. Temperature, Stage and Consent are str enums."""


# Cells that mean "nothing here" in typed columns; in text columns they are text.
PLACEHOLDERS = frozenset(
    {"-", "--", "—", "–", "n/a", "N/A", "NA", "null", "NULL", "none", "None", "?"}
)


class CellValueError(ValueError):
    """A cell whose text is not a value of its column. The message is one sentence.

    ``kept`` is what to store anyway (the text as typed), or None to store nothing.
    """

    def __init__(self, reason: str, kept: FieldValue | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kept = kept


def fold_key(text: str) -> str:
    """Lower-case letters and digits only, accents removed: 'Sí' -> 'si'."""
    return _word_key(text)


@lru_cache(maxsize=4096)
def _word_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum() and char.isascii())


def lookup_word(table: Mapping[str, _T], text: str) -> _T | None:
    """What ``text`` means in a table made by ``word_table``, or None."""
    # Exact lower-case hits are the common case and skip the Unicode work.
    found = table.get(text.strip().lower())
    return found if found is not None else table.get(fold_key(text))


def word_table(entries: Mapping[_T, Iterable[str]]) -> dict[str, _T]:
    """Each value under each of its words, as written and folded by ``fold_key``."""
    table: dict[str, _T] = {}
    for value, words in entries.items():
        for word in words:
            table[word] = value
            table[fold_key(word)] = value
    return table
