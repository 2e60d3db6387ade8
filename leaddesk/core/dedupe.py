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

# Two names at one company whose token-sorted similarity reaches this are one
# person ("Jürgen Schäfer" / "Schafer, Jurgen" / "Jurgen Schaefer").
NAME_SIMILARITY_THRESHOLD = 88.0


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


@lru_cache(maxsize=65_536)
def name_key(first_name: str | None, last_name: str | None) -> str:
    """A person's name for comparison: case, accents and punctuation removed."""
    text = f"{first_name or ''} {last_name or ''}".casefold()
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    kept = "".join(char if char.isalnum() else " " for char in folded if char.isascii())
    return " ".join(kept.split())


def same_person_name(a: str, b: str) -> bool:
    """Whether two name keys (see ``name_key``) name the same person."""
    if not a or not b:
        return False
    if a == b:
        return True
    return bool(fuzz.token_sort_ratio(a, b) >= NAME_SIMILARITY_THRESHOLD)
