"""Recognising the same person twice: keys, a compact screen, close names.

Two leads are the same person when their normalised emails match, or their
normalised phones match, or their names match closely at the same company
(DOMAIN.md). Exact keys are looked up in the database; ``KeyScreen`` keeps a
large import from asking about keys that cannot be there, in a few megabytes
instead of a set of every key; names are compared with rapidfuzz only within
a block of leads at the same company.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

# Two spellings of a first (or last) name at least this similar are one name
# ("Jürgen" / "Jurgen", "Schaefer" / "Schäfer" -> "schafer", "Kowalsky" / "Kowalski":
# 87.5). Below it on purpose: one letter more in a three-letter name ("Ana" /
# "Hana": 85.7), which is another person (the Salesforce sample has both at one
# company).
NAME_SIMILARITY_THRESHOLD = 87.0


class KeyScreen:
    """A Bloom filter over strings: 'certainly not seen' or 'maybe seen'.

    Sized for ``expected`` keys at about a 1% false-positive rate; a maybe is
    settled by an exact lookup, so false positives cost a query, never a wrong
    answer.
    """

    _HASHES = 4

    def __init__(self, expected: int) -> None:
        bits = 1 << max(20, (max(expected, 1) * 10).bit_length())
        self._mask = bits - 1
        self._bits = bytearray(bits // 8)

    def _positions(self, key: str) -> list[int]:
        digest = hash(key)
        first = digest & 0xFFFFFFFF
        second = (digest >> 32) | 1
        mask = self._mask
        return [(first + index * second) & mask for index in range(self._HASHES)]

    def add(self, key: str) -> None:
        bits = self._bits
        for position in self._positions(key):
            bits[position >> 3] |= 1 << (position & 7)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        bits = self._bits
        return all(bits[p >> 3] & (1 << (p & 7)) for p in self._positions(key))


PersonName = tuple[str, str]
"""(first name, last name), folded for comparison by ``person_name``."""


def _fold(text: str | None) -> str:
    folded = unicodedata.normalize("NFKD", (text or "").casefold().replace("ß", "ss"))
    kept = "".join(char if char.isalnum() else " " for char in folded if char.isascii())
    return " ".join(kept.split())


@lru_cache(maxsize=65_536)
def person_name(first_name: str | None, last_name: str | None) -> PersonName:
    """A person's name for comparison: case, accents and punctuation removed."""
    return _fold(first_name), _fold(last_name)


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    if not a or not b:
        return False
    # "Name12" and "Name13" are different people however alike they look.
    if [c for c in a if c.isdigit()] != [c for c in b if c.isdigit()]:
        return False
    return bool(fuzz.ratio(a, b) >= NAME_SIMILARITY_THRESHOLD)


def same_person_name(a: PersonName, b: PersonName) -> bool:
    """Whether two names (see ``person_name``) name the same person.

    First and last names must each be close (a typo, a missing accent, "ae" for
    "ä"), also when one file swapped them. Conservative on purpose: "Anna Berg"
    and "Hana Berg" are two people, and a wrongly merged lead is worse than a
    duplicate the user can still merge by hand.
    """
    if not any(a) or not any(b):
        return False
    first_a, last_a = a
    first_b, last_b = b
    return (_close(first_a, first_b) and _close(last_a, last_b)) or (
        _close(first_a, last_b) and _close(last_a, first_b)
    )
