"""Whole columns of cells read at once: what ``RowParser.parse_chunk`` builds rows from.

Each reader gives, for a column of one chunk, what ``RowParser.parse`` makes of
each cell -- its value, ``EMPTY`` (the row has no value there) or ``FAILED``
(the cell cannot be read: the row goes through ``parse``) -- settling the
common cells with whole-column string work at C speed and sending the rest
through the column's ``CellMemo`` (the general route, memoised by text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from itertools import repeat
from operator import itemgetter, methodcaller
from typing import Any

from leaddesk.core.csv_import.safety import ESCAPE
from leaddesk.core.csv_import.value_contacts import (
    PHONE_NOISE,
    country_of,
    domain_problems,
    national_to_e164,
)
from leaddesk.core.validation import SIMPLE_EMAIL

# What parse_chunk makes of a cell that ``parse`` leaves out or must explain.
EMPTY: Any = object()
FAILED: Any = object()
_MEMO_LIMIT = 16_384
# email_problem's limit: longer addresses are judged by parse_email itself.
_EMAIL_MAX = 320

_LINE_ESCAPED = "\n" + ESCAPE


def any_escaped(cells: Sequence[str]) -> bool:
    """Whether a cell may start with the export's escape mark (may: True can be wrong).

    One search of the joined column instead of a call per cell; a cell with
    the mark after a line break inside it gives a needless True, never a false False.
    """
    return bool(cells) and (cells[0][:1] == ESCAPE or _LINE_ESCAPED in "\n".join(cells))


_strip_angles = methodcaller("strip", "<>")


class CellMemo(dict[str, Any]):
    """One column's cell outcomes by text, computed on first sight (bounded)."""

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[str], Any]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, text: str) -> Any:
        if len(self) >= _MEMO_LIMIT:
            self.clear()
        outcome = self[text] = self._compute(text)
        return outcome


ColumnReader = Callable[[Sequence[str], CellMemo], list[Any]]
"""Reads one column of a chunk: its cells and the column's memo -> outcomes."""


def memo_outcomes(cells: Sequence[str], memo: CellMemo) -> list[Any]:
    """Any column's outcomes, each distinct text through the general route once."""
    return list(map(memo.__getitem__, cells))


def text_outcomes(cells: Sequence[str], memo: CellMemo) -> list[Any]:
    """A plain text column's outcomes: the stripped text, at C speed for most cells."""
    outcomes: list[Any] = list(map(str.strip, cells))
    if "" in outcomes:
        for index, value in enumerate(outcomes):
            if not value:
                outcomes[index] = EMPTY
    if any_escaped(cells):
        for index, text in enumerate(cells):
            if text[:1] == ESCAPE:
                outcomes[index] = memo[text]
    return outcomes


def email_outcomes(cells: Sequence[str], memo: CellMemo) -> list[Any]:
    """An email column's outcomes; plain addresses are settled here without a call each.

    What ``parse_email`` returns for an address that ``normalize_email`` lower-cases
    into the shape ``email_problem`` accepts at once; every other cell (empty,
    escaped, odd, too long) goes through the memo as in ``parse``.
    """
    lowered: list[Any] = list(
        map(str.lower, map(str.strip, map(_strip_angles, map(str.strip, cells))))
    )
    matches = list(map(SIMPLE_EMAIL.fullmatch, lowered))
    if None in matches:
        # Addresses whose only unusual part is the domain (an international one,
        # say) are judged as email_problem judges them: by the domain alone.
        odd = [index for index, match in enumerate(matches) if match is None]
        problems = domain_problems([lowered[index] for index in odd])
        for index, problem in zip(odd, problems, strict=True):
            if problem is not None:
                lowered[index] = memo[cells[index]]
    if any_escaped(cells) or max(map(len, cells)) > _EMAIL_MAX:
        for index, text in enumerate(cells):
            if text[:1] == ESCAPE or len(text) > _EMAIL_MAX:
                lowered[index] = memo[text]
    return lowered


# A whole phone column (joined by newlines) of numbers in international form
# whose digits _phone_outcomes may read: ASCII, no leading 0, 6 to 17 of them.
_PLUS_NUMBERS = re.compile(r"(?:\+[1-9][0-9]{5,16}\n)*\+[1-9][0-9]{5,16}", re.ASCII)
_HEAD = itemgetter(slice(0, 7))


@cache
def _is_own_e164(head: str, length: int) -> bool:
    """Whether every '+' number of ``length`` characters starting ``head`` is its own E.164.

    That is, what ``national_to_e164`` gives for each is the number itself:
    its country is known, its national part does not start with the national
    prefix (which would need the whole number) and has a possible length.
    Seven characters hold '+', a country code of up to three digits and the
    start of the national part, where the national prefix would be.
    """
    country = country_of(head[1:4])
    if country is None:
        return False
    code_length, rules = country
    start = 1 + code_length
    prefix = rules.national_prefix
    if start + len(prefix) > len(head) or (prefix and head[start:].startswith(prefix)):
        return False
    # A national part that starts as theirs does and is as long: the rest of
    # its digits change nothing of the above.
    return national_to_e164(head[start:] + "5" * (length - len(head)), rules) is not None


def phone_outcomes(cells: Sequence[str], memo: CellMemo, *, as_typed: bool = False) -> list[Any]:
    """A phone column's outcomes; '+' numbers are settled here without the general route.

    What ``parse_phone`` (or ``parse_phone_as_typed``) returns for a number in
    international form whose country ``country_of`` knows; any other cell goes
    through the memo as in ``parse``.
    """
    typed = list(map(str.strip, cells))
    compact = list(map(PHONE_NOISE.sub, repeat(""), typed))
    if _PLUS_NUMBERS.fullmatch("\n".join(compact)) and not any_escaped(cells):
        # The usual column: every number in international form. Numbers alike in
        # their first characters and length are settled together (_is_own_e164).
        own = list(map(_is_own_e164, map(_HEAD, compact), map(len, compact)))
        if all(own):
            return typed if as_typed else compact
    outcomes: list[Any] = []
    append = outcomes.append
    for index, number in enumerate(compact):
        e164 = None
        if number[:1] == "+" and cells[index][:1] != ESCAPE:
            digits = number[1:]
            if (
                digits.isascii()
                and digits.isdigit()
                and digits[0] != "0"
                and 6 <= len(digits) <= 17
            ):
                country = country_of(digits[:3])
                if country is not None:
                    e164 = national_to_e164(digits[country[0] :], country[1])
        if e164 is None:
            append(memo[cells[index]])
        else:
            append(typed[index] if as_typed else e164)
    return outcomes
