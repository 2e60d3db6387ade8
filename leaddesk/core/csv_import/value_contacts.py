"""Email addresses and phone numbers in CSV cells.

Phone numbers in common shapes are put into international form with cheap
string work; the phonenumbers library settles the rest, memoised. See
``values`` for the parsers' conventions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from leaddesk.core.csv_import.values import CellValueError
from leaddesk.core.normalize import normalize_email
from leaddesk.core.validation import (
    SIMPLE_LOCAL,
    WHITESPACE,
    email_problem,
    library_email_problem,
)


# Memoised for the import, which asks twice of each address of a chunk (parsing
# the email column, then scoring); a few thousand cover a chunk.
@lru_cache(maxsize=8192)
def domain_problem(email: str) -> str | bool | None:
    """``email_problem(email)`` when it judges only the domain, else False.

    For an address with one @, no whitespace and a plain local part (and within
    the length limits) -- most addresses with an international domain --
    ``email_problem`` asks the library about the domain alone, memoised by
    domain; this answers the same without its steps and its per-address memo.
    False means: ask ``email_problem``.
    """
    local, at, domain = email.partition("@")
    if (
        at
        and len(email) <= 320
        and len(local) <= 64
        and "@" not in domain
        and SIMPLE_LOCAL.fullmatch(local)
        and not WHITESPACE.search(email)
    ):
        return library_email_problem("a@" + domain)
    return False


# An address domain_problem judges by its domain: a plain local part, one @, no
# whitespace (the lengths are checked apart). Group 1 is the domain.
_DOMAIN_JUDGED = re.compile(SIMPLE_LOCAL.pattern + r"@([^@\s]*)")


def domain_problems(emails: Sequence[str]) -> list[str | bool | None]:
    """``[domain_problem(email) for email in emails]``, a column at a time.

    One pattern over the column, then the library once per distinct domain:
    for a column of addresses at international domains, each its own address,
    domain_problem's per-address memo never hits and its steps are per row.
    """
    matches = list(map(_DOMAIN_JUDGED.fullmatch, emails))
    problems: list[str | bool | None] = [False] * len(emails)
    by_domain: dict[str, str | None] = {}
    for index, match in enumerate(matches):
        if match is not None and match.start(1) <= 65 and match.end() <= 320:
            domain = match[1]
            if domain in by_domain:
                problems[index] = by_domain[domain]
            else:
                problems[index] = by_domain[domain] = library_email_problem("a@" + domain)
    return problems


def parse_email(text: str) -> str:
    """The address in lower case; a malformed one is kept (lower-cased) and reported."""
    email = normalize_email(text) or ""
    problem = email_problem(email)
    if problem:
        raise CellValueError(f"'{text.strip()}' is not a valid email address: {problem}", email)
    return email


PHONE_NOISE = re.compile(r"[\s().\-/\u00a0\u2010-\u2015]")
_PHONE_EXTENSION = re.compile(r"(?:ext\.?|extension|x|#|durchwahl)\s*\d+\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _RegionRules:
    """What phonenumbers' parser needs of one region to read plain digit strings."""

    country_code: str
    national_prefix: str
    international_prefix: re.Pattern[str] | None
    possible_lengths: frozenset[int]
    local_only_lengths: frozenset[int]
    national_number: re.Pattern[str]


@cache
def _region_rules(region: str) -> _RegionRules | None:
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region.upper())
    if metadata is None or metadata.general_desc is None:
        return None
    # Regions whose trunk prefix is a pattern or is rewritten (Argentina, Mexico,
    # Brazil ...) are left to the library.
    prefix = metadata.national_prefix or ""
    if metadata.national_prefix_transform_rule or (
        (metadata.national_prefix_for_parsing or "") != prefix
    ):
        return None
    if not prefix.isdigit() and prefix:
        return None
    general = metadata.general_desc
    lengths = frozenset(general.possible_length or ())
    if not lengths or -1 in lengths or not general.national_number_pattern:
        return None
    return _RegionRules(
        country_code=str(metadata.country_code),
        national_prefix=prefix,
        international_prefix=(
            re.compile(metadata.international_prefix) if metadata.international_prefix else None
        ),
        possible_lengths=lengths,
        local_only_lengths=frozenset(general.possible_length_local_only or ()),
        national_number=re.compile(general.national_number_pattern),
    )


@cache
def _main_region_of(country_code: str) -> str | None:
    import phonenumbers

    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(country_code))
    return regions[0] if regions else None


def national_to_e164(national: str, rules: _RegionRules) -> str | None:
    """E.164 of a national significant number as phonenumbers would give it, or None."""
    prefix = rules.national_prefix
    if prefix and national.startswith(prefix):
        stripped = national[len(prefix) :]
        viable_before = rules.national_number.fullmatch(national) is not None
        viable_after = rules.national_number.fullmatch(stripped) is not None
        if (not viable_before or viable_after) and len(stripped) in rules.possible_lengths:
            national = stripped
    # Like phonenumbers' is_possible_number, lengths only dialled locally count.
    if national.startswith("0") or not (
        len(national) in rules.possible_lengths or len(national) in rules.local_only_lengths
    ):
        return None
    return "+" + rules.country_code + national


def _fast_e164(compact: str, region: str | None) -> str | None:
    """E.164 for the common shapes, or None when only the library can tell."""
    if compact.startswith("+"):
        digits = compact[1:]
        # ASCII digits only: the library reads other scripts' digits (and refuses '²').
        if not (digits.isascii() and digits.isdigit()) or digits.startswith("0"):
            return None
        if not 6 <= len(digits) <= 17:
            return None
        for length in (1, 2, 3):
            main_region = _main_region_of(digits[:length])
            if main_region is not None:
                rules = _region_rules(main_region)
                return national_to_e164(digits[length:], rules) if rules else None
        return None
    if region is None or not (compact.isascii() and compact.isdigit()):
        return None
    rules = _region_rules(region)
    if rules is None or compact.startswith(rules.country_code):
        return None
    if rules.international_prefix and rules.international_prefix.match(compact):
        return None
    return national_to_e164(compact, rules)


@lru_cache(maxsize=65536)
def _library_e164(text: str, region: str | None) -> str | None:
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def parse_phone(text: str, default_region: str | None = None) -> str:
    """The number in E.164 ('+4930123456'); national numbers use ``default_region``.

    A number that cannot be read is kept as typed and reported.
    """
    typed = text.strip()
    compact = PHONE_NOISE.sub("", typed)
    # '0049 30 ...': 00 is the international prefix nearly everywhere, and
    # without a country to dial from the library cannot know that.
    international_00 = default_region is None and compact.startswith("00")
    if international_00:
        compact = "+" + compact[2:]
    e164 = _fast_e164(compact, default_region)
    if e164 is not None:
        return e164
    extension = _PHONE_EXTENSION.search(typed)
    number_part = typed[: extension.start()] if extension else typed
    if international_00:
        number_part = "+" + PHONE_NOISE.sub("", number_part)[2:]
    e164 = _library_e164(number_part, default_region.upper() if default_region else None)
    if e164 is not None:
        return e164
    if not compact.startswith(("+", "00")) and default_region is None:
        reason = f"'{typed}' has no country code and no default country is set"
    else:
        reason = f"'{typed}' is not a possible phone number"
    raise CellValueError(f"{reason}; it was kept as typed.", kept=typed)


def parse_phone_as_typed(text: str, default_region: str | None = None) -> str:
    """The number as typed (trimmed), checked as ``parse_phone`` checks it.

    For LeadDesk's own exports: the lead form stores a phone as the user typed
    it (its international form only as the duplicate key), so restoring the
    lead means keeping that spelling.
    """
    parse_phone(text, default_region)
    return text.strip()


@cache
def country_of(prefix: str) -> tuple[int, _RegionRules] | None:
    """For the first three digits after '+': the country code's length and rules.

    Country codes are prefix-free, so three digits settle which one a number
    has; None when it has none, or its region is left to the library.
    """
    for length in (1, 2, 3):
        main_region = _main_region_of(prefix[:length])
        if main_region is not None:
            rules = _region_rules(main_region)
            return (length, rules) if rules else None
    return None
