"""Checks of what a user typed: email syntax, free-mail domains, website URLs.

Validation must be cheap enough to run on every imported row, so a compiled
pattern settles the common case and the ``email-validator`` library (far
slower a call) is consulted only for addresses the pattern cannot settle
(non-ASCII, quoted local parts, odd dots), with the answer memoised.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Plain ASCII addresses that are certainly well-formed: dot-atom local part, a
# domain of LDH labels and an alphabetic TLD. Anything else goes to the library.
SIMPLE_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
SIMPLE_EMAIL = _SIMPLE_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)

# Any character str.isspace() calls whitespace (re's \s is the same set).
WHITESPACE = re.compile(r"\s")

FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        "aol.com",
        "gmail.com",
        "googlemail.com",
        "gmx.de",
        "gmx.net",
        "hotmail.com",
        "hotmail.co.uk",
        "icloud.com",
        "live.com",
        "mac.com",
        "mail.com",
        "mail.ru",
        "me.com",
        "msn.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "t-online.de",
        "web.de",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.fr",
        "yandex.ru",
        "zoho.com",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "libero.it",
        "qq.com",
        "163.com",
    }
)


# Memoised: an import asks about each address twice, when it reads the cell and
# when it scores the lead, a chunk of a few thousand rows apart.
@lru_cache(maxsize=16_384)
def email_problem(email: str | None) -> str | None:
    """Why ``email`` is not a usable address, or None when it is (or is empty)."""
    if not email:
        return None
    if len(email) > 320:
        return "The email address is longer than 320 characters."
    if _SIMPLE_EMAIL.fullmatch(email):
        return None
    # Quoted local parts may hold spaces and @; only the library judges those.
    if '"' not in email and (email.count("@") != 1 or WHITESPACE.search(email)):
        return "The email address needs exactly one @ and no spaces."
    local, _, domain = email.rpartition("@")
    if len(local) <= 64 and SIMPLE_LOCAL.fullmatch(local):
        # Only the domain is unusual (an international one, say): judge it once per
        # domain, not once per address -- the library takes up to a millisecond.
        return library_email_problem("a@" + domain)
    return library_email_problem(email)


@lru_cache(maxsize=4096)
def library_email_problem(email: str) -> str | None:
    # Imported here: the library costs start-up time and is rarely needed.
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        return _one_sentence(str(error))
    return None


_SENTENCE_BREAK = re.compile(r"\.\s+([A-Z])(?=[a-z])")


def _one_sentence(message: str) -> str:
    """The library sometimes explains in two sentences; a field shows one."""
    message = _SENTENCE_BREAK.sub(lambda match: "; " + match.group(1).lower(), message.strip())
    return message if message.endswith(".") else message + "."


def email_domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower() or None


def is_free_mail(email: str | None) -> bool:
    domain = email_domain(email)
    return domain is not None and domain in FREE_MAIL_DOMAINS


# Host labels may be internationalised (müller.de, пример.рф) or their punycode
# form (xn--mller-kva.de); [^\W_] is a letter or digit in any script.
_URL_LABEL = r"[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?"
_URL = re.compile(
    rf"(?:https?://)?(?:{_URL_LABEL}\.)+(?:[^\W\d_]{{2,63}}|xn--[a-z0-9-]{{1,59}})"
    r"(?::\d{1,5})?(?:[/?#]\S*)?",
    re.IGNORECASE,
)


def website_problem(url: str | None) -> str | None:
    """Why ``url`` is not a website address, or None when it is (or is empty)."""
    if not url:
        return None
    if _URL.fullmatch(url.strip()):
        return None
    return "The website should look like example.com or https://example.com/page."
