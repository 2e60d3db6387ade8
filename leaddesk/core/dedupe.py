"""Recognising the same person twice: keys, a compact screen, close names.

Two leads are the same person when their normalised emails match, or their
normalised phones match, or their names match closely at the same company
(DOMAIN.md). Exact keys are looked up in the database; ``KeyScreen`` keeps a
large import from asking about keys that cannot be there, in a few megabytes
instead of a set of every key; names are compared with rapidfuzz only within
a block of leads at the same company.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

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
    answer. Two probes into at least 16 bits a key: that rate with half the
    per-key work of four probes into ten bits, which matters at a million keys.
    The probes come from the string's own hash, which Python computes once per
    string and keeps, so screening a key the import already hashed is cheap.
    """

    def __init__(self, expected: int) -> None:
        bits = 1 << max(20, (max(expected, 1) * 16).bit_length())
        self._mask = bits - 1
        self._bits = bytearray(bits // 8)

    def add(self, key: str) -> None:
        self.add_all((key,))

    def add_all(self, keys: Iterable[str]) -> None:
        bits, mask = self._bits, self._mask
        for key in keys:
            digest = hash(key)
            first = digest & mask
            second = (digest >> 32) & mask
            bits[first >> 3] |= 1 << (first & 7)
            bits[second >> 3] |= 1 << (second & 7)

    def check_and_add(self, keys: Iterable[str]) -> set[str]:
        """Add every key; return those that were (maybe) seen before.

        One call for a whole chunk of keys: the loop is the hot path of dedupe.
        A key given twice counts as seen the second time.
        """
        bits, mask = self._bits, self._mask
        seen: set[str] = set()
        for key in keys:
            digest = hash(key)
            first = digest & mask
            second = (digest >> 32) & mask
            first_bit = 1 << (first & 7)
            second_bit = 1 << (second & 7)
            if bits[first >> 3] & first_bit and bits[second >> 3] & second_bit:
                seen.add(key)
            else:
                bits[first >> 3] |= first_bit
                bits[second >> 3] |= second_bit
        return seen

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        digest = hash(key)
        first = digest & self._mask
        second = (digest >> 32) & self._mask
        bits = self._bits
        return bool(bits[first >> 3] & (1 << (first & 7))) and bool(
            bits[second >> 3] & (1 << (second & 7))
        )


class ExactKeyScreen:
    """``KeyScreen``'s interface over a set: 'seen' means seen, no false maybes.

    For imports small enough that every key fits in memory (a few hundred
    thousand): a chunk's keys are screened with set operations at C speed
    instead of a Python loop, and no lookup is spent on a false positive.
    """

    def __init__(self) -> None:
        self._keys: set[str] = set()

    def add(self, key: str) -> None:
        self._keys.add(key)

    def add_all(self, keys: Iterable[str]) -> None:
        self._keys.update(keys)

    def check_and_add(self, keys: Iterable[str]) -> set[str]:
        """Add every key; return those seen before (a key given twice: the second time)."""
        given = list(keys)
        fresh = set(given)
        seen = self._keys & fresh
        if len(fresh) != len(given):
            seen.update(key for key, times in Counter(given).items() if times > 1)
        self._keys |= fresh
        return seen

    def __contains__(self, key: object) -> bool:
        return key in self._keys


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


# Names reach here folded to ASCII (person_name), where isdigit is [0-9].
_DIGITS = re.compile("[0-9]")


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    if not a or not b:
        return False
    # "Name12" and "Name13" are different people however alike they look.
    if _DIGITS.findall(a) != _DIGITS.findall(b):
        return False
    # Imported here: most names are settled above, and the library costs start-up.
    from rapidfuzz import fuzz

    return bool(fuzz.ratio(a, b) >= NAME_SIMILARITY_THRESHOLD)


# Memoised: an import compares each row's name with every earlier name at its
# company, and common names meet again and again.
@lru_cache(maxsize=65_536)
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
