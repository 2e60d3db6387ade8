"""Normal forms used to recognise the same person twice (duplicates, search).

These run for every imported row, so the common case is settled by cheap string
work; the slow libraries are reserved for what that cannot settle.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from functools import lru_cache
from operator import methodcaller

_PHONE_NOISE = re.compile(r"[\s().\-/]")
_EXTENSION = re.compile(r"(?:ext\.?|x|#)\s*\d+\s*$", re.IGNORECASE)


def normalize_email(raw: str | None) -> str | None:
    """Lower-cased, trimmed email, or None when empty.

    Both parts are lower-cased: mail providers treat the local part
    case-insensitively in practice, and users type it both ways.
    """
    if not raw:
        return None
    email = raw.strip().strip("<>").strip().lower()
    if email.startswith("mailto:"):
        email = email[len("mailto:") :]
    return email or None


_STRIP_ANGLES = methodcaller("strip", "<>")
_STARTS_MAILTO = methodcaller("startswith", "mailto:")


def normalize_emails(raws: Sequence[str | None]) -> list[str | None]:
    """``[normalize_email(raw) for raw in raws]``, a whole column at C speed."""
    emails = list(
        map(str.lower, map(str.strip, map(_STRIP_ANGLES, map(str.strip, [r or "" for r in raws]))))
    )
    if any(map(_STARTS_MAILTO, emails)):
        emails = [email[len("mailto:") :] if email[:7] == "mailto:" else email for email in emails]
    return [email or None for email in emails]


# A column (joined by newlines) of numbers normalize_phone returns unchanged.
_E164_COLUMN = re.compile(r"(?:\+[0-9]{4,}\n)*\+[0-9]{4,}")


def normalize_phones(raws: Sequence[str | None]) -> list[str | None]:
    """``[normalize_phone(raw) for raw in raws]``; the usual column (E.164 already) at once."""
    present = [raw for raw in raws if raw]
    if not present or _E164_COLUMN.fullmatch("\n".join(present)):
        return [raw or None for raw in raws]
    return [normalize_phone(raw) if raw else None for raw in raws]


def normalize_phone(raw: str | None, default_country_code: str = "") -> str | None:
    """A comparable phone key: '+' and digits, with the country code when known.

    '+44 20 7946 0004' -> '+442079460004'; '(555) 201-0005' with default
    country code '1' -> '+15552010005'; '00 49 30 1234' -> '+49301234'. A number
    without country code and no default keeps its national digits, so two
    spellings of the same national number still match each other.
    """
    if not raw:
        return None
    if raw[0] == "+" and len(raw) >= 5 and raw[1:].isdigit():
        # Already E.164 (what the importer stores): nothing below would change it.
        return raw
    phone = _EXTENSION.sub("", raw.strip())
    phone = _PHONE_NOISE.sub("", phone)
    if not phone:
        return None
    if phone.startswith("00"):
        phone = "+" + phone[2:]
    if phone.startswith("+"):
        digits = phone[1:]
        return "+" + digits if digits.isdigit() and len(digits) >= 4 else None
    if not phone.isdigit() or len(phone) < 4:
        return None
    if default_country_code:
        national = phone[1:] if phone.startswith("0") else phone
        return "+" + default_country_code + national
    return phone


_LEGAL_FORMS = frozenset(
    {
        "ab", "ag", "as", "bv", "co", "company", "corp", "corporation", "gmbh", "inc",
        "incorporated", "kg", "kk", "limited", "llc", "llp", "ltd", "nv", "oy", "plc", "pty",
        "sa", "sarl", "sas", "sl", "spa", "sro", "srl",
    }
)  # fmt: skip
_COMPANY_WORD = re.compile(r"[0-9a-z]+")


def _ascii_folded(text: str) -> str:
    """``text`` case-folded, its accents dropped, and any other non-ASCII character."""
    if text.isascii():
        # What the general route below gives for ASCII text, without its work.
        return text.lower()
    folded = unicodedata.normalize("NFKD", text.casefold())
    return folded.encode("ascii", "ignore").decode("ascii")


@lru_cache(maxsize=65_536)
def company_key(company: str | None) -> str | None:
    """A company name reduced for comparison: 'Acme, Inc.' and 'ACME inc' -> 'acme'.

    Case, accents, punctuation and a trailing legal form (GmbH, Ltd, S.L., ...) go;
    the words that remain are joined. Used to block duplicate candidates, so two
    spellings of one company must meet here; telling people apart is left to the
    name comparison.
    """
    if not company:
        return None
    words = _COMPANY_WORD.findall(_ascii_folded(company).replace(".", ""))
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return "".join(words) or None


# What company_key keeps of folded text, as _COMPANY_WORD: lower-case letters and
# digits (and company_keys' line breaks). Not upper-case ones: NFKD makes some
# (™ -> "TM", ℂ -> "C") after folding, and company_key drops them.
_NOT_KEPT = "".join(
    char for char in map(chr, range(128)) if char not in "0123456789abcdefghijklmnopqrstuvwxyz\n"
)
_DROP_NOT_KEPT = str.maketrans("", "", _NOT_KEPT)
_LEGAL_ENDINGS = tuple(_LEGAL_FORMS)


def company_keys(spellings: Collection[str | None]) -> dict[str | None, str | None]:
    """``{spelling: company_key(spelling)}`` for many spellings at once (an import's chunk).

    company_key's steps are taken once over all the names joined by line
    breaks, at C speed. A name whose words joined end like a legal form (Inc,
    GmbH, but also "Zinc") goes through company_key itself, which drops the form.
    """
    texts = [spelling for spelling in spellings if spelling]
    keys: dict[str | None, str | None] = dict.fromkeys(
        spelling for spelling in spellings if not spelling
    )
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        # A name with a line break in it: each on its own.
        keys.update((text, company_key(text)) for text in texts)
        return keys
    # Every word joined: company_key's key when the last word is no legal form.
    lines = _ascii_folded(joined).translate(_DROP_NOT_KEPT).split("\n")
    for text, line in zip(texts, lines, strict=True):
        keys[text] = company_key(text) if line.endswith(_LEGAL_ENDINGS) else line or None
    return keys
