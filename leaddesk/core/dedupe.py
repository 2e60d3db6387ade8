"""Recognising the same person twice: the rule, keys, a compact screen, close names.

The rule (DOMAIN.md, "Duplicates"; ``compare`` and ``choose``): two leads are the
same person when their normalised emails match. Two different emails are two
people, whatever the phone or the name says: colleagues share a switchboard
number, and two people at one company can have similar names. Only where one side
has no email does a matching normalised phone, or a close name at the same
company, make them the same person. What is less certain is a *possible
duplicate*: shown to the user, never acted on.

Exact keys are looked up in the database; ``KeyScreen`` keeps a large import from
asking about keys that cannot be there, in a few megabytes instead of a set of
every key; names are compared with rapidfuzz only within a block of leads at the
same company.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Generic, NamedTuple, TypeVar

# Two spellings of a first (or last) name at least this similar are one name
# ("Jürgen" / "Jurgen", "Schaefer" / "Schäfer" -> "schafer", "Kowalsky" / "Kowalski":
# 87.5). Below it on purpose: one letter more in a three-letter name ("Ana" /
# "Hana": 85.7), which is another person (the Salesforce sample has both at one
# company).
NAME_SIMILARITY_THRESHOLD = 87.0

# A KeyScreen's size: at least this many bits a key it expects (a power of two).
BITS_PER_KEY = 48


class KeyScreen:
    """A Bloom filter over strings: 'certainly not seen' or 'maybe seen'.

    A maybe is settled by an exact lookup, so a false positive costs a query,
    never a wrong answer. But each such query also waits for the import's
    earlier rows to reach the table, so a million-key import wants very few of
    them: hence BITS_PER_KEY bits a key and three probes rather than the
    usual handful of bits and two (benchmarks/README.md has what each cost).
    A key's three probes fall in one 64-byte block, so a key costs one trip to
    memory, not three. The probes come from the string's own hash, which
    Python computes once per string and keeps, so screening a key the import
    already hashed is cheap.
    """

    def __init__(self, expected: int) -> None:
        bits = 1 << max(20, (max(expected, 1) * BITS_PER_KEY).bit_length())
        # Blocks of 512 bits: the block from the hash's low bits, each probe's
        # bit within it from three other slices of the hash.
        self._block_mask = (bits >> 9) - 1
        self._bits = bytearray(bits // 8)

    def add(self, key: str) -> None:
        self.add_all((key,))

    def add_all(self, keys: Iterable[str]) -> None:
        self.check_and_add(keys)

    def check_and_add(self, keys: Iterable[str], unseen: set[str] | None = None) -> set[str]:
        """Add every key; return those that were (maybe) seen before.

        One call for a whole chunk of keys: the loop is the hot path of dedupe.
        A key given twice counts as seen the second time. ``unseen``, if given,
        receives the keys certainly not seen before this call.
        """
        bits, block_mask = self._bits, self._block_mask
        seen: set[str] = set()
        for key in keys:
            digest = hash(key)
            block = (digest & block_mask) << 6
            first = (digest >> 32) & 511
            second = (digest >> 41) & 511
            third = (digest >> 50) & 511
            first_byte, first_bit = block | first >> 3, 1 << (first & 7)
            second_byte, second_bit = block | second >> 3, 1 << (second & 7)
            third_byte, third_bit = block | third >> 3, 1 << (third & 7)
            if (
                bits[first_byte] & first_bit
                and bits[second_byte] & second_bit
                and bits[third_byte] & third_bit
            ):
                seen.add(key)
            else:
                bits[first_byte] |= first_bit
                bits[second_byte] |= second_bit
                bits[third_byte] |= third_bit
                if unseen is not None:
                    unseen.add(key)
        return seen

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        digest = hash(key)
        block = (digest & self._block_mask) << 6
        return all(
            self._bits[block | probe >> 3] & (1 << (probe & 7))
            for probe in ((digest >> 32) & 511, (digest >> 41) & 511, (digest >> 50) & 511)
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

    def check_and_add(self, keys: Iterable[str], unseen: set[str] | None = None) -> set[str]:
        """Add every key; return those seen before (a key given twice: the second time).

        ``unseen``, if given, receives the keys not seen before this call.
        """
        given = list(keys)
        fresh = set(given)
        seen = self._keys & fresh
        if unseen is not None:
            unseen |= fresh - seen
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


# --- the rule: who is the same person ---------------------------------------------


class PersonKeys(NamedTuple):
    """What a lead (or an imported row) is recognised by, each normalised.

    ``email`` and ``phone`` as leaddesk.core.normalize makes them, ``company`` as
    its ``company_key``, ``name`` as ``person_name``; None (or ``NO_NAME``) when
    the lead has none.
    """

    email: str | None
    phone: str | None
    company: str | None
    name: PersonName


NO_NAME: PersonName = ("", "")
"""``person_name`` of a lead without a name: ``any(name)`` is False exactly for this."""


class MatchReason(StrEnum):
    """Why a lead was taken for another (or only flagged as possibly one), in words."""

    SAME_EMAIL = "same email"
    PHONE_NO_EMAIL = "same phone, no email on either"
    PHONE_NO_EMAIL_IN_ROW = "same phone, no email in the row"
    PHONE_NO_EMAIL_ON_LEAD = "same phone, no email on the lead"
    NAME_NO_EMAIL = "close name at the same company, no email on either"
    NAME_NO_EMAIL_IN_ROW = "close name at the same company, no email in the row"
    NAME_NO_EMAIL_ON_LEAD = "close name at the same company, no email on the lead"
    # Possible duplicates only: never merged, never skipped.
    PHONE_OTHER_EMAIL = "same phone, different email"
    NAME_OTHER_EMAIL = "close name at the same company, different email"
    PHONE_SEVERAL_PEOPLE = "same phone as several people"
    NAME_SEVERAL_PEOPLE = "close name at the same company as several people"

    @property
    def same_person(self) -> bool:
        """True when the rule says "same person"; False for a possible duplicate."""
        return self not in _POSSIBLE_ONLY

    @property
    def key(self) -> str:
        """What matched: "email", "phone" or "name"."""
        if self is MatchReason.SAME_EMAIL:
            return "email"
        return "phone" if self.value.startswith("same phone") else "name"


_POSSIBLE_ONLY = frozenset(
    {
        MatchReason.PHONE_OTHER_EMAIL,
        MatchReason.NAME_OTHER_EMAIL,
        MatchReason.PHONE_SEVERAL_PEOPLE,
        MatchReason.NAME_SEVERAL_PEOPLE,
    }
)
# (key, row has an email, lead has an email) -> the reason of a same-person match.
_WITHOUT_EMAIL = {
    ("phone", False, False): MatchReason.PHONE_NO_EMAIL,
    ("phone", False, True): MatchReason.PHONE_NO_EMAIL_IN_ROW,
    ("phone", True, False): MatchReason.PHONE_NO_EMAIL_ON_LEAD,
    ("name", False, False): MatchReason.NAME_NO_EMAIL,
    ("name", False, True): MatchReason.NAME_NO_EMAIL_IN_ROW,
    ("name", True, False): MatchReason.NAME_NO_EMAIL_ON_LEAD,
}


def same_company_name(row: PersonKeys, lead: PersonKeys) -> bool:
    """Both at one company (by company key) with names close enough to be one person."""
    return (
        row.company is not None
        and row.company == lead.company
        and row.name != NO_NAME
        and same_person_name(row.name, lead.name)
    )


def compare(row: PersonKeys, lead: PersonKeys) -> MatchReason | None:
    """How ``row`` relates to ``lead``: the same person, a possible duplicate, or neither.

    ``row`` is the newcomer (an imported row, a lead being typed), ``lead`` one
    already there; the answer's ``same_person`` says which of the first two it is.
    Two different emails are never the same person.
    """
    if row.email is not None and lead.email is not None:
        if row.email == lead.email:
            return MatchReason.SAME_EMAIL
        if row.phone is not None and row.phone == lead.phone:
            return MatchReason.PHONE_OTHER_EMAIL
        if same_company_name(row, lead):
            return MatchReason.NAME_OTHER_EMAIL
        return None
    if row.phone is not None and row.phone == lead.phone:
        key = "phone"
    elif same_company_name(row, lead):
        key = "name"
    else:
        return None
    return _WITHOUT_EMAIL[key, row.email is not None, lead.email is not None]


Ref = TypeVar("Ref")


@dataclass(frozen=True, slots=True)
class Decision(Generic[Ref]):
    """What an import does with a row, given the leads it may duplicate.

    ``same`` is the lead the row is (with ``reason``); else ``possible`` is one it
    may duplicate (with ``reason``), and the row becomes a new lead; both None: a
    new lead, nothing to review.
    """

    same: Ref | None = None
    possible: Ref | None = None
    reason: MatchReason | None = None


def choose(row: PersonKeys, candidates: Sequence[tuple[Ref, PersonKeys]]) -> Decision[Ref]:
    """Which of ``candidates`` (in order of preference) the row is, by ``compare``.

    A same email wins. Otherwise a phone (then a close name) decides, but only
    among leads that could all be one person: when the row has no email and the
    phone is shared by leads with different emails (a switchboard), the name must
    pick one of them; if it cannot, the row is a new lead, flagged as a possible
    duplicate rather than merged into the wrong colleague.
    """
    if len(candidates) > _SCREEN_FROM:
        candidates = _screened(row, candidates)
    by_phone: list[tuple[Ref, PersonKeys]] = []
    by_name: list[tuple[Ref, PersonKeys]] = []
    possible: tuple[Ref, MatchReason] | None = None
    for ref, keys in candidates:
        reason = compare(row, keys)
        if reason is None:
            continue
        if reason is MatchReason.SAME_EMAIL:
            return Decision(same=ref, reason=reason)
        if not reason.same_person:
            if possible is None:
                possible = (ref, reason)
        elif reason.key == "phone":
            by_phone.append((ref, keys))
        else:
            by_name.append((ref, keys))
    for pool, several in (
        (by_phone, MatchReason.PHONE_SEVERAL_PEOPLE),
        (by_name, MatchReason.NAME_SEVERAL_PEOPLE),
    ):
        if not pool:
            continue
        picked = _one_person(row, pool)
        if picked is None:
            return Decision(possible=pool[0][0], reason=several)
        ref, keys = picked
        return Decision(same=ref, reason=compare(row, keys))
    if possible is not None:
        return Decision(possible=possible[0], reason=possible[1])
    return Decision()


# Candidates above this many are screened in C first: every colleague at a big
# company is a candidate by company, and comparing each name in Python made an
# import quadratic in the size of its largest company.
_SCREEN_FROM = 16


_KEYS = itemgetter(1)
_NAME = attrgetter("name")
_EMAIL = attrgetter("email")
_PHONE = attrgetter("phone")


def _screened(
    row: PersonKeys, candidates: Sequence[tuple[Ref, PersonKeys]]
) -> Sequence[tuple[Ref, PersonKeys]]:
    """The candidates ``compare`` can match: same email or phone, or a name close enough.

    Exact, not a guess: when first and last names are each within the threshold
    (``_close``), "first last" is within it of the other's "first last" (or of its
    "last first", for swapped names), as the edit distances add up and so do the
    lengths. A candidate outside both can only be matched by email or phone.
    Columns are built with map, in C: this runs once per row over up to a few
    hundred colleagues.
    """
    from rapidfuzz import fuzz, process

    keys = list(map(_KEYS, candidates))
    near: set[int] = set()
    if row.name != NO_NAME:
        names = list(map(" ".join, map(_NAME, keys)))
        first, last = row.name
        # Half a point below the threshold: the bound is exact, float rounding is not.
        cutoff = NAME_SIMILARITY_THRESHOLD - 0.5
        for query in (f"{first} {last}", f"{last} {first}"):
            found = process.extract(
                query, names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            )
            near.update(index for _name, _score, index in found)
    for value, column in ((row.email, _EMAIL), (row.phone, _PHONE)):
        if value is not None:
            near.update(index for index, other in enumerate(map(column, keys)) if other == value)
    return [candidates[index] for index in sorted(near)]


def _one_person(
    row: PersonKeys, pool: list[tuple[Ref, PersonKeys]]
) -> tuple[Ref, PersonKeys] | None:
    """The first of ``pool`` if its leads could all be one person, else the one the name picks."""
    if len({keys.email for _ref, keys in pool if keys.email is not None}) <= 1:
        return pool[0]
    if row.name == NO_NAME:
        return None
    named = [(ref, keys) for ref, keys in pool if same_person_name(row.name, keys.name)]
    if named and len({keys.email for _ref, keys in named if keys.email is not None}) <= 1:
        return named[0]
    return None
