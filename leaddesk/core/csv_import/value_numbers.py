"""Money and whole numbers in CSV cells.

Whether 1,234 is a thousand or one is decided per column from a sample
(``detect_decimal_mark``). See ``values`` for the parsers' conventions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from leaddesk.core.csv_import.values import CellValueError

_GROUPING_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'’]")
_MONEY = re.compile(
    r"(?P<open>\()?(?P<sign>[-+−])?(?P<before>[^\d.,()+−-]*)(?P<sign_after>[-+−])?"
    r"(?P<number>\d[\d.,]*)(?P<after>[^\d.,()+−-]*)(?P<close>[)-])?"
)
_CURRENCY_MARKS = frozenset(
    [
        "€",
        "$",
        "£",
        "¥",
        "₹",
        "₽",
        "₺",
        "₩",
        "₪",
        "₫",
        "fr",
        "fr.",
        "chf",
        "eur",
        "usd",
        "gbp",
        "jpy",
        "cad",
        "aud",
        "nzd",
        "sek",
        "nok",
        "dkk",
        "pln",
        "zł",
        "zl",
        "czk",
        "kč",
        "kc",
        "huf",
        "ft",
        "ron",
        "lei",
        "inr",
        "brl",
        "r$",
        "us$",
        "a$",
        "c$",
        "mxn",
        "ars",
        "cop",
        "clp",
        "rub",
        "try",
        "zar",
        "sgd",
        "hkd",
    ]
)
_THOUSANDS_GROUPS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def detect_decimal_mark(samples: Iterable[str]) -> str | None:
    """',' or '.' when sampled amounts prove which one ends the number, else None.

    '1.234,56' and '2000,50' prove a comma; '1,234.56' and '12.5' prove a dot.
    """
    for text in samples:
        number = _GROUPING_SPACES.sub("", text)
        last_comma, last_dot = number.rfind(","), number.rfind(".")
        if last_comma >= 0 and last_dot >= 0:
            return "," if last_comma > last_dot else "."
        mark_at = max(last_comma, last_dot)
        if mark_at >= 0:
            decimals = len(re.match(r"\d*", number[mark_at + 1 :]).group())  # type: ignore[union-attr]
            if decimals in (1, 2) and number.count(number[mark_at]) == 1:
                return number[mark_at]
    return None


def _decimal_of(number: str, decimal_mark: str | None) -> Decimal:
    commas, dots = number.count(","), number.count(".")
    if commas and dots:
        mark = "," if number.rfind(",") > number.rfind(".") else "."
    elif commas + dots == 0:
        return Decimal(number)
    else:
        mark = "," if commas else "."
        decimals = len(number) - number.rfind(mark) - 1
        # One mark before exactly three digits groups thousands ('1,234', '2.000'),
        # unless the column is known to use that mark for decimals ('0.005' is).
        grouping = decimals == 3 and decimal_mark != mark and not number.startswith("0")
        if commas + dots > 1 or grouping:
            mark = ""
    integer, _, fraction = number.rpartition(mark) if mark else (number, "", "")
    if not integer:
        integer = "0"
    if integer.isdigit():
        pass
    elif _THOUSANDS_GROUPS.fullmatch(integer) and len(set(integer) - set("0123456789")) == 1:
        integer = integer.replace(",", "").replace(".", "")
    else:
        raise ValueError("bad grouping")
    if fraction and not fraction.isdigit():
        raise ValueError("bad decimals")
    return Decimal(f"{integer}.{fraction or '0'}")


def parse_money_cents(text: str, decimal_mark: str | None = None) -> int:
    """An amount of money in cents: '1.234,56 €', '$1,234.56', '1 234,56', '(12.00)'.

    ``decimal_mark`` (from ``detect_decimal_mark``) settles '1,234' and '2.000'.
    """
    stripped = text.strip()
    if stripped.isdecimal():
        return int(stripped) * 100
    match = _MONEY.fullmatch(_GROUPING_SPACES.sub("", stripped))
    reason = f"'{stripped}' is not an amount of money."
    if match is None:
        raise CellValueError(reason)
    for mark in (match.group("before"), match.group("after")):
        if mark and mark.lower() not in _CURRENCY_MARKS:
            raise CellValueError(reason)
    try:
        amount = _decimal_of(match.group("number"), decimal_mark)
    except (ArithmeticError, ValueError):
        raise CellValueError(reason) from None
    negative = (
        match.group("sign") in ("-", "−")
        or match.group("sign_after") in ("-", "−")
        or match.group("close") == "-"
        or (match.group("open") is not None and match.group("close") == ")")
    )
    if (match.group("open") is None) != (match.group("close") != ")"):
        raise CellValueError(reason)
    cents = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return -cents if negative else cents


def parse_integer(text: str) -> int:
    """A whole number of zero or more, with or without thousands separators."""
    stripped = _GROUPING_SPACES.sub("", text)
    # isdecimal, not isdigit: '²' is a digit that int() refuses.
    if stripped.isdecimal():
        return int(stripped)
    if _THOUSANDS_GROUPS.fullmatch(stripped) and len(set(stripped) - set("0123456789")) == 1:
        return int(stripped.replace(",", "").replace(".", ""))
    if re.fullmatch(r"\d+[.,]0+", stripped):
        return int(re.split(r"[.,]", stripped)[0])
    raise CellValueError(f"'{text.strip()}' is not a whole number.")


# --- temperature, stage, consent, source ---------------------------------------
