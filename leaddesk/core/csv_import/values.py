"""Turning the text of CSV cells into typed lead values, or a reason why not.

Each ``parse_*`` function takes the text of one non-empty cell and returns the
value, or raises ``CellValueError`` whose message is one sentence for the user
(shown on the highlighted cell and written to the error report). When the text
is still worth keeping (an email that looks wrong, a phone number that cannot
be put into international form) the error carries it in ``kept``.

``RowParser`` applies a ``ColumnMapping`` to whole rows. It runs for every row
of files with a million rows, so every parser settles the common case with
cheap string work and leaves the slow libraries (phonenumbers, email-validator)
to the rare values that need them, memoised. The import reads a chunk of rows
at a time with ``parse_chunk``: column by column, through a memo per column
(names, stages, dates repeat) and whole-column checks for text, emails and
phones; it gives exactly what ``parse`` gives row by row, which the wizard's
preview uses.

Per-column decisions that one value cannot settle -- whether 03/04/2026 is in
March or April, whether 1,234 is a thousand or one -- are made from a sample of
the column (``detect_date_order``, ``detect_decimal_mark``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache, lru_cache, partial
from itertools import repeat
from operator import itemgetter, methodcaller
from typing import Any, NamedTuple, TypeVar

from leaddesk.core.csv_import.mapping import (
    CREATED_AT,
    EMAIL_OPT_OUT,
    FULL_NAME,
    ColumnMapping,
    is_leaddesk_export,
    split_full_name,
)
from leaddesk.core.csv_import.safety import ESCAPE, unneutralise
from leaddesk.core.fields import (
    DISQUALIFICATION_REASONS,
    FIELDS_BY_NAME,
    PREFERRED_CHANNELS,
    Consent,
    FieldKind,
    Stage,
    Temperature,
)
from leaddesk.core.normalize import normalize_email
from leaddesk.core.validation import SIMPLE_EMAIL as _SIMPLE_EMAIL
from leaddesk.core.validation import email_problem

UTC = dt.UTC
_T = TypeVar("_T")

FieldValue = str | int | bool | dt.date | dt.datetime
"""What a parsed cell holds. Temperature, Stage and Consent are str enums."""


class CellValueError(ValueError):
    """A cell whose text is not a value of its column. The message is one sentence.

    ``kept`` is what to store anyway (the text as typed), or None to store nothing.
    """

    def __init__(self, reason: str, kept: FieldValue | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kept = kept


def _key(text: str) -> str:
    """Lower-case letters and digits only, accents removed: 'Sí' -> 'si'."""
    return _word_key(text)


@lru_cache(maxsize=4096)
def _word_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum() and char.isascii())


def _lookup(table: Mapping[str, _T], text: str) -> _T | None:
    # Exact lower-case hits are the common case and skip the Unicode work.
    found = table.get(text.strip().lower())
    return found if found is not None else table.get(_key(text))


def _table(entries: Mapping[_T, Iterable[str]]) -> dict[str, _T]:
    table: dict[str, _T] = {}
    for value, words in entries.items():
        for word in words:
            table[word] = value
            table[_key(word)] = value
    return table


# --- dates and times -----------------------------------------------------------


class DateOrder(StrEnum):
    """How to read a numeric date whose year comes last: 03/04/2026."""

    DAY_FIRST = "day_first"
    MONTH_FIRST = "month_first"


_TIME = (
    r"(?:[T\s]\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r"\s*(?P<meridiem>[AaPp]\.?[Mm]\.?)?\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?"
)
_NUMERIC_DATE = re.compile(
    r"(?P<first>\d{1,4})(?P<sep>[./-])(?P<second_part>\d{1,2})(?P=sep)(?P<third>\d{1,4})\.?"
    + _TIME
    + r"\s*"
)
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "janvier", "janv", "enero", "ene", "jänner"),
    2: ("february", "feb", "februar", "février", "févr", "fevrier", "fevr", "febrero"),
    3: ("march", "mar", "märz", "maerz", "mär", "mars", "marzo"),
    4: ("april", "apr", "avril", "avr", "abril", "abr"),
    5: ("may", "mai", "mayo"),
    6: ("june", "jun", "juni", "juin", "junio"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio"),
    8: ("august", "aug", "août", "aout", "agosto", "ago"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "set"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre"),
    11: ("november", "nov", "novembre", "noviembre"),
    12: ("december", "dec", "dezember", "dez", "décembre", "déc", "decembre", "diciembre", "dic"),
}
_MONTHS = _table(_MONTH_NAMES)
_WEEKDAY = r"(?:[^\W\d_]{2,12}\.?,?\s+)?"
_TEXT_MONTH_FIRST = re.compile(
    _WEEKDAY
    + r"(?P<month>[^\W\d_]{3,12})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    + _TIME
    + r"\s*",
    re.IGNORECASE,
)
_TEXT_DAY_FIRST = re.compile(
    _WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th|er)?\.?[\s-]+(?:de\s+)?(?P<month>[^\W\d_]{3,12})\.?"
    r"[\s,-]+(?:de\s+)?(?P<year>\d{2}|\d{4})" + _TIME + r"\s*",
    re.IGNORECASE,
)
_EXCEL_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in).
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class _DateParts(NamedTuple):
    date: dt.date
    time: dt.time | None
    zone: dt.tzinfo | None


def _full_year(year: int, digits: int) -> int:
    # Two-digit years are read in a 100-year window ending 30 years ahead.
    if digits > 2:
        return year
    return 2000 + year if year < 70 else 1900 + year


def _zone(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    if text in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) >= 4 else 0)
    return dt.timezone(sign * dt.timedelta(minutes=minutes))


def _time(match: re.Match[str]) -> dt.time | None:
    if match.group("hour") is None:
        return None
    hour = int(match.group("hour"))
    meridiem = (match.group("meridiem") or "").lower()[:1]
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range for am/pm")
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    fraction = (match.group("fraction") or "")[:6].ljust(6, "0")
    return dt.time(hour, int(match.group("minute")), int(match.group("second") or 0), int(fraction))


def _parts(text: str, order: DateOrder) -> _DateParts:
    """Date, time and zone of ``text``; raises ValueError when it is not a date."""
    text = text.strip()
    if len(text) >= 8 and text[:4].isdigit() and text[4:5] in ("-", "") and text[:1] != "0":
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            has_time = len(text) > 10
            return _DateParts(parsed.date(), parsed.timetz() if has_time else None, parsed.tzinfo)
    match = _NUMERIC_DATE.fullmatch(text)
    if match:
        first, second, third = match.group("first", "second_part", "third")
        if len(first) == 4:
            year, month, day = int(first), int(second), int(third)
        elif len(third) in (2, 4):
            year = _full_year(int(third), len(third))
            if order is DateOrder.DAY_FIRST:
                day, month = int(first), int(second)
            else:
                month, day = int(first), int(second)
        else:
            raise ValueError("no year")
        return _DateParts(dt.date(year, month, day), _time(match), _zone(match.group("zone")))
    for pattern in (_TEXT_MONTH_FIRST, _TEXT_DAY_FIRST):
        match = pattern.fullmatch(text)
        if match:
            month_number = _lookup(_MONTHS, match.group("month"))
            if month_number is None:
                raise ValueError("unknown month")
            year_text = match.group("year")
            year = _full_year(int(year_text), len(year_text))
            date = dt.date(year, month_number, int(match.group("day")))
            return _DateParts(date, _time(match), _zone(match.group("zone")))
    if _EXCEL_SERIAL.fullmatch(text) and 20000 <= float(text) < 80000:
        moment = _EXCEL_EPOCH + dt.timedelta(days=float(text))
        has_time = "." in text
        return _DateParts(moment.date(), moment.time() if has_time else None, None)
    raise ValueError("not a date")


def parse_date(text: str, order: DateOrder = DateOrder.DAY_FIRST) -> dt.date:
    """The calendar date written in ``text`` (a time, if any, is ignored)."""
    try:
        return _parts(text, order).date
    except ValueError:
        raise CellValueError(f"'{text.strip()}' is not a date this app can read.") from None


def parse_datetime(
    text: str,
    order: DateOrder = DateOrder.DAY_FIRST,
    timezone: dt.tzinfo = UTC,
) -> dt.datetime:
    """The moment written in ``text`` as an aware UTC datetime.

    A value without a zone is taken to be in ``timezone``; a date alone means
    midnight there.
    """
    moment = _naive_iso_moment(text)
    if moment is not None:
        zone = timezone
    else:
        try:
            parts = _parts(text, order)
        except ValueError:
            raise CellValueError(f"'{text.strip()}' is not a date this app can read.") from None
        time = parts.time or dt.time()
        moment = dt.datetime.combine(parts.date, time.replace(tzinfo=None))
        zone = parts.zone or time.tzinfo or timezone
    try:
        return moment.replace(tzinfo=zone).astimezone(UTC)
    except OverflowError:
        # Year 9999 late in a zone west of UTC: in UTC it would be in year 10000.
        raise CellValueError(f"'{text.strip()}' is too far in the future or the past.") from None


def _naive_iso_moment(text: str) -> dt.datetime | None:
    """The moment of an ISO date or date and time without zone, else None.

    The shape of export files ('2026-03-01 09:30'), settled without the general
    parser: the same answer ``_parts`` gives, at a third of the cost.
    """
    text = text.strip()
    if len(text) < 8 or not text[:4].isdigit() or text[4:5] not in ("-", "") or text[0] == "0":
        return None
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        return None
    # Like _parts: ten characters or fewer are a date alone, read as midnight.
    return parsed if len(text) > 10 else dt.datetime.combine(parsed.date(), dt.time())


def detect_date_order(samples: Iterable[str], default: DateOrder | None = None) -> DateOrder:
    """Whether a column writes day or month first, judged on all its sampled values.

    The order under which more values are real dates wins, so one '25/03/2026'
    proves a column day-first. When every value reads both ways ('03/04/2026'),
    ``default`` decides, else the separator does: dots and dashes are European
    (day first), slashes American (month first).
    """
    day_first = month_first = 0
    separators: set[str] = set()
    for text in samples:
        match = _NUMERIC_DATE.fullmatch(text.strip())
        if not match or len(match.group("first")) == 4:
            continue
        first, second = int(match.group("first")), int(match.group("second_part"))
        separators.add(match.group("sep"))
        day_first += 1 <= first <= 31 and 1 <= second <= 12
        month_first += 1 <= first <= 12 and 1 <= second <= 31
    if day_first != month_first:
        return DateOrder.DAY_FIRST if day_first > month_first else DateOrder.MONTH_FIRST
    if default is not None:
        return default
    return DateOrder.MONTH_FIRST if separators == {"/"} else DateOrder.DAY_FIRST


# --- yes/no, numbers, money ----------------------------------------------------

_BOOLEANS = _table(
    {
        True: (
            "true",
            "yes",
            "y",
            "1",
            "x",
            "ja",
            "j",
            "oui",
            "sí",
            "si",
            "wahr",
            "vrai",
            "verdadero",
            "checked",
            "on",
            "t",
            "✓",
            "✔",
            "-1",
        ),
        False: (
            "false",
            "no",
            "n",
            "0",
            "nein",
            "non",
            "falso",
            "faux",
            "unchecked",
            "off",
            "f",
        ),
    }
)


def parse_bool(text: str) -> bool:
    """Yes or no in the words spreadsheets and CRMs use ('TRUE', 'ja', 'x', '0' ...)."""
    found = _lookup(_BOOLEANS, text)
    if found is None:
        raise CellValueError(f"'{text.strip()}' is not yes or no.")
    return found


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

_TEMPERATURES = _table(
    {
        Temperature.HOT: ("hot", "hot lead", "heiß", "heiss", "chaud", "caliente", "a", "high"),
        Temperature.WARM: ("warm", "warm lead", "tiède", "tibio", "templado", "b", "medium"),
        Temperature.COLD: ("cold", "cold lead", "kalt", "froid", "frío", "frio", "c", "low"),
    }
)
_TEMPERATURE_WORD = re.compile(r"\b(hot|warm|cold)\b", re.IGNORECASE)


def parse_temperature(text: str) -> Temperature:
    """'Hot lead', Salesforce Rating 'Warm', 'kalt', or a label list holding one."""
    found = _lookup(_TEMPERATURES, text)
    if found is not None:
        return found
    # Pipedrive label lists: "VIP, Hot lead".
    for label in re.split(r"[,;|/]", text):
        found = _lookup(_TEMPERATURES, label)
        if found is not None:
            return found
    word = _TEMPERATURE_WORD.search(text)
    if word:
        return Temperature(word.group(1).lower())
    raise CellValueError(f"'{text.strip()}' is not a temperature (hot, warm or cold).")


class StageReading(NamedTuple):
    stage: Stage
    disqualification_reason: str | None = None


_LEAD, _MQL, _SQL = StageReading(Stage.LEAD), StageReading(Stage.MQL), StageReading(Stage.SQL)
_OPPORTUNITY, _CUSTOMER = StageReading(Stage.OPPORTUNITY), StageReading(Stage.CUSTOMER)


def _disqualified(reason: str | None = None) -> StageReading:
    return StageReading(Stage.DISQUALIFIED, reason)


_STAGES: dict[str, StageReading] = _table(
    {
        _LEAD: (
            "lead",
            "new",
            "open",
            "subscriber",
            "other",
            "open - not contacted",
            "not contacted",
            "attempted to contact",
            "attempting contact",
            "contacted",
            "working - contacted",
            "working",
            "in progress",
            "connected",
            "nurturing",
            "nurture",
            "neu",
            "offen",
            "kontaktiert",
            "in bearbeitung",
            "nouveau",
            "ouvert",
            "contacté",
            "en cours",
            "nuevo",
            "abierto",
            "contactado",
            "en curso",
            "en progreso",
            "prospect",
        ),
        _MQL: ("mql", "marketingqualifiedlead", "marketing qualified lead", "marketing qualified"),
        _SQL: (
            "sql",
            "salesqualifiedlead",
            "sales qualified lead",
            "sales qualified",
            "qualified",
            "working - qualified",
            "qualifiziert",
            "qualifié",
            "cualificado",
            "calificado",
        ),
        _OPPORTUNITY: (
            "opportunity",
            "open deal",
            "deal",
            "proposal",
            "negotiation",
            "quote sent",
            "angebot",
            "verhandlung",
            "opportunité",
            "oportunidad",
            "propuesta",
        ),
        _CUSTOMER: (
            "customer",
            "evangelist",
            "won",
            "closed won",
            "closed - won",
            "converted",
            "closed - converted",
            "kunde",
            "gewonnen",
            "client",
            "gagné",
            "cliente",
            "ganado",
        ),
        _disqualified(): (
            "disqualified",
            "unqualified",
            "lost",
            "closed lost",
            "closed - lost",
            "closed - not converted",
            "not converted",
            "dead",
            "verloren",
            "disqualifiziert",
            "perdu",
            "disqualifié",
            "perdido",
            "descalificado",
            "closed",
        ),
        _disqualified("Bad timing"): ("bad timing", "falscher zeitpunkt"),
        _disqualified("Duplicate"): ("duplicate", "duplikat", "doublon", "duplicado"),
        _disqualified("Invalid contact"): ("junk", "invalid", "spam", "bounced"),
        _disqualified("No need"): ("not interested", "kein interesse", "pas intéressé"),
        _disqualified("Unresponsive"): ("unresponsive", "no response", "keine antwort"),
        _disqualified("No budget"): ("no budget", "kein budget"),
        _disqualified("Competitor"): ("competitor", "lost to competitor"),
    }
)


def parse_stage(text: str) -> StageReading:
    """The lifecycle stage of a HubSpot lifecycle value or a status word.

    'salesqualifiedlead' -> SQL; 'Open - Not Contacted' -> Lead; 'Closed -
    Converted' -> Customer; 'Unqualified' -> Disqualified (with a reason when
    the word names one, e.g. 'Bad timing').
    """
    found = _lookup(_STAGES, text)
    if found is None:
        allowed = ", ".join(stage.label for stage in Stage)
        raise CellValueError(f"'{text.strip()}' is not a known stage ({allowed}).")
    return found


_CONSENT_WORDS = _table(
    {
        Consent.GRANTED: (
            "granted",
            "yes",
            "y",
            "true",
            "1",
            "x",
            "subscribed",
            "opted in",
            "opt-in",
            "opt in",
            "marketing contact",
            "consent given",
            "given",
            "ja",
            "oui",
            "sí",
            "si",
            "abonniert",
            "angemeldet",
            "einverstanden",
            "inscrit",
            "abonné",
            "suscrito",
        ),
        Consent.DENIED: (
            "denied",
            "no",
            "n",
            "false",
            "0",
            "unsubscribed",
            "opted out",
            "opt-out",
            "opt out",
            "refused",
            "do not contact",
            "nein",
            "non",
            "abgemeldet",
            "widerrufen",
            "désabonné",
            "désinscrit",
            "dado de baja",
            "refusé",
            "rechazado",
        ),
        # "No consent" (Pipedrive) and "Non-marketing contact" (HubSpot) say nobody
        # asked, not that the person refused: no objection is recorded.
        Consent.UNKNOWN: (
            "unknown",
            "no consent",
            "non-marketing contact",
            "nonmarketing contact",
            "pending",
            "archived",
            "unbekannt",
            "inconnu",
            "desconocido",
            "not set",
        ),
    }
)


def parse_consent(text: str) -> Consent:
    """Consent from a consent or marketing-status column ('Subscribed', 'yes', ...)."""
    found = _lookup(_CONSENT_WORDS, text)
    if found is None:
        raise CellValueError(f"'{text.strip()}' does not say whether the lead consented.")
    return found


def parse_opt_out(text: str) -> Consent:
    """Consent from an opted-out column such as Salesforce's HasOptedOutOfEmail.

    The meaning is inverted: opted out -> DENIED. Not opted out only says no
    objection was recorded, which is not a consent, so it reads as UNKNOWN.
    """
    try:
        return Consent.DENIED if parse_bool(text) else Consent.UNKNOWN
    except CellValueError:
        pass
    found = _lookup(_CONSENT_WORDS, text)
    if found is None:
        raise CellValueError(f"'{text.strip()}' does not say whether the lead opted out.")
    return found


_SOURCES_BY_WORD = _table(
    {
        "Website form": (
            "website form",
            "website",
            "web",
            "web form",
            "form",
            "contact form",
            "direct traffic",
            "formular",
            "webseite",
            "site web",
            "formulaire",
            "sitio web",
            "formulario",
        ),
        "Referral": ("referral", "referrals", "empfehlung", "recommandation", "referido"),
        "Event": (
            "event",
            "events",
            "trade show",
            "tradeshow",
            "conference",
            "webinar",
            "seminar",
            "messe",
            "veranstaltung",
            "salon",
            "événement",
            "evento",
            "feria",
        ),
        "Cold outreach": (
            "cold outreach",
            "outbound",
            "cold call",
            "cold calling",
            "cold email",
            "purchased list",
            "kaltakquise",
            "prospection",
            "prospección",
        ),
        "Email marketing": ("email marketing", "email", "e-mail", "newsletter", "mailing"),
        "Organic search": ("organic search", "seo", "search", "google", "suchmaschine"),
        "Paid search": ("paid search", "ppc", "sea", "adwords", "google ads", "cpc"),
        "Social media": (
            "social media",
            "organic social",
            "paid social",
            "social",
            "linkedin",
            "facebook",
            "twitter",
            "x",
            "instagram",
            "xing",
            "redes sociales",
            "réseaux sociaux",
        ),
        "Phone": ("phone", "phone inquiry", "telephone", "call", "telefon", "anruf", "téléphone"),
        "Partner": ("partner", "partners", "reseller", "partenaire", "socio"),
        "Import": ("import", "list import", "integration", "crm ui"),
        "Other": (
            "other",
            "offline sources",
            "offline",
            "other campaigns",
            "sonstige",
            "andere",
            "autre",
            "otro",
            "otros",
        ),
    }
)


def parse_source(text: str) -> str:
    """One of LeadDesk's sources for a vendor's source value ('EMAIL_MARKETING', ...)."""
    found = _lookup(_SOURCES_BY_WORD, text)
    if found is None:
        raise CellValueError(
            f"'{text.strip()}' is not one of the known sources; it was kept as typed.",
            kept=text.strip(),
        )
    return found


def _choice_parser(choices: Sequence[str], label: str) -> Callable[[str], str]:
    by_key = {_key(choice): choice for choice in choices}

    def parse_choice(text: str) -> str:
        found = by_key.get(_key(text))
        if found is None:
            raise CellValueError(
                f"'{text.strip()}' is not a known {label}; it was kept as typed.",
                kept=text.strip(),
            )
        return found

    return parse_choice


def merge_stage(existing: Stage | None, incoming: Stage | None) -> Stage | None:
    """The stage after an update: an import never moves a lead back in the funnel."""
    if incoming is None or (existing is not None and incoming.rank <= existing.rank):
        return existing
    return incoming


def merge_consent(existing: Consent | None, incoming: Consent | None) -> Consent | None:
    """The consent after an update from a file.

    A file that knows nothing (UNKNOWN) changes nothing, and a denial is never
    lifted by a file: only a person may lift it, since an export cannot prove
    that its 'subscribed' is newer than the objection.
    """
    if incoming is None or incoming is Consent.UNKNOWN or existing is Consent.DENIED:
        return existing
    return incoming


# --- email and phone -----------------------------------------------------------


def parse_email(text: str) -> str:
    """The address in lower case; a malformed one is kept (lower-cased) and reported."""
    email = normalize_email(text) or ""
    problem = email_problem(email)
    if problem:
        raise CellValueError(f"'{text.strip()}' is not a valid email address: {problem}", email)
    return email


_PHONE_NOISE = re.compile(r"[\s().\-/\u00a0\u2010-\u2015]")
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


def _national_to_e164(national: str, rules: _RegionRules) -> str | None:
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
                return _national_to_e164(digits[length:], rules) if rules else None
        return None
    if region is None or not (compact.isascii() and compact.isdigit()):
        return None
    rules = _region_rules(region)
    if rules is None or compact.startswith(rules.country_code):
        return None
    if rules.international_prefix and rules.international_prefix.match(compact):
        return None
    return _national_to_e164(compact, rules)


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
    compact = _PHONE_NOISE.sub("", typed)
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
        number_part = "+" + _PHONE_NOISE.sub("", number_part)[2:]
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
def _country_of(prefix: str) -> tuple[int, _RegionRules] | None:
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


def _phone_outcomes(cells: Sequence[str], memo: _CellMemo, *, as_typed: bool = False) -> list[Any]:
    """A phone column's outcomes; '+' numbers are settled here without the general route.

    What ``parse_phone`` (or ``parse_phone_as_typed``) returns for a number in
    international form whose country ``_fast_e164`` reads; any other cell goes
    through the memo as in ``parse``.
    """
    typed = list(map(str.strip, cells))
    compact = list(map(_PHONE_NOISE.sub, repeat(""), typed))
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
                country = _country_of(digits[:3])
                if country is not None:
                    e164 = _national_to_e164(digits[country[0] :], country[1])
        if e164 is None:
            append(memo[cells[index]])
        else:
            append(typed[index] if as_typed else e164)
    return outcomes


# --- whole rows ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A cell whose text could not be taken as it is."""

    column: int
    header: str
    target: str
    text: str
    reason: str
    kept: bool
    """True when the text was stored anyway (as typed); False when it was dropped."""


@dataclass(slots=True)
class ParsedRow:
    values: dict[str, FieldValue] = field(default_factory=dict)
    """Field name -> value; columns that are empty in this row are absent."""
    problems: list[CellProblem] = field(default_factory=list)


CellParser = Callable[[str], Any]

# Cells that mean "nothing here" in typed columns; in text columns they are text.
PLACEHOLDERS = frozenset(
    {"-", "--", "—", "–", "n/a", "N/A", "NA", "null", "NULL", "none", "None", "?"}
)

_TEXT_KINDS = frozenset({FieldKind.TEXT, FieldKind.LONG_TEXT, FieldKind.URL, FieldKind.OWNER})
_DATE_TARGETS = frozenset(
    {CREATED_AT}
    | {f.name for f in FIELDS_BY_NAME.values() if f.kind in (FieldKind.DATE, FieldKind.DATETIME)}
)
_MONEY_TARGETS = frozenset(f.name for f in FIELDS_BY_NAME.values() if f.kind is FieldKind.MONEY)


def _stage_only(text: str) -> Stage:
    return parse_stage(text).stage


class RowParser:
    """Parses the rows of one file into lead values, column by column.

    Build it with ``from_sample`` so that per-column conventions (date order,
    decimal mark) are learned from the file's first rows.
    """

    def __init__(
        self,
        mapping: ColumnMapping,
        *,
        default_region: str | None = None,
        timezone: dt.tzinfo = UTC,
        date_orders: Mapping[int, DateOrder] | None = None,
        decimal_marks: Mapping[int, str | None] | None = None,
        undo_export_escaping: bool = True,
        phones_as_typed: bool = False,
    ) -> None:
        self.mapping = mapping
        self.default_region = default_region
        self.timezone = timezone
        self.date_orders = dict(date_orders or {})
        self.decimal_marks = dict(decimal_marks or {})
        # Undoing the formula escaping of LeadDesk's own export makes export ->
        # import exact; for other files it only drops an apostrophe put before a
        # formula character, which is what that apostrophe was for.
        self.undo_export_escaping = undo_export_escaping
        # LeadDesk's own export holds phones as users typed them (see
        # parse_phone_as_typed); other files get the international form.
        self.phones_as_typed = phones_as_typed
        self._stage_column = mapping.column_of("stage")
        self._typed_targets = frozenset(
            target
            for target in mapping.mapped_targets
            if target not in (FULL_NAME,)
            and (
                target in (CREATED_AT, EMAIL_OPT_OUT)
                or FIELDS_BY_NAME[target].kind not in _TEXT_KINDS
            )
        )
        # Per mapped column: where, its header, its target, how to read a cell,
        # and whether placeholders such as 'n/a' mean empty there.
        self._columns: list[tuple[int, str, str, CellParser, bool]] = [
            (
                column,
                mapping.headers[column],
                target,
                self._parser_for(column, target),
                target in self._typed_targets,
            )
            for column, target in enumerate(mapping.targets)
            if target is not None
        ]
        self._width = max((column + 1 for column, *_rest in self._columns), default=0)
        # For parse_chunk: each column's outcomes memoised by cell text, and
        # whether a row needs the whole-row rules after its cells are read.
        self._targets = tuple(target for _column, _header, target, *_rest in self._columns)
        self._memos = [
            _CellMemo(partial(self._outcome, parse_cell, typed))
            for _column, _header, _target, parse_cell, typed in self._columns
        ]
        self._column_readers = [
            self._column_reader(target, parse_cell, typed)
            for _column, _header, target, parse_cell, typed in self._columns
        ]
        self._picks = itemgetter(*(column for column, *_rest in self._columns), 0)
        # A stage needs the row again only when it disqualifies (for the reason).
        self._row_rules = bool({FULL_NAME, EMAIL_OPT_OUT} & set(self._targets))
        self._stage_positions = [i for i, target in enumerate(self._targets) if target == "stage"]

    @classmethod
    def from_sample(
        cls,
        mapping: ColumnMapping,
        sample_rows: Iterable[Sequence[str]],
        *,
        default_date_order: DateOrder | None = None,
        **options: Any,
    ) -> RowParser:
        """A parser whose date orders and decimal marks are detected on ``sample_rows``."""
        rows = list(sample_rows)
        # LeadDesk's own export is a restore: phones as the lead form stored them.
        options.setdefault("phones_as_typed", is_leaddesk_export(mapping.headers))
        date_orders: dict[int, DateOrder] = {}
        decimal_marks: dict[int, str | None] = {}
        for column, target in enumerate(mapping.targets):
            values = [row[column] for row in rows if column < len(row) and row[column].strip()]
            if target in _DATE_TARGETS:
                date_orders[column] = detect_date_order(values, default_date_order)
            elif target in _MONEY_TARGETS:
                decimal_marks[column] = detect_decimal_mark(values)
        return cls(mapping, date_orders=date_orders, decimal_marks=decimal_marks, **options)

    def _parser_for(self, column: int, target: str) -> CellParser:
        order = self.date_orders.get(column, DateOrder.DAY_FIRST)
        if target in (CREATED_AT, "consent_date"):
            return partial(parse_datetime, order=order, timezone=self.timezone)
        if target == EMAIL_OPT_OUT:
            return parse_opt_out
        if target == FULL_NAME:
            return str.strip
        kind = FIELDS_BY_NAME[target].kind
        special: dict[str, CellParser] = {
            "source": parse_source,
            "consent": parse_consent,
            "temperature": parse_temperature,
            "stage": _stage_only,
            "preferred_channel": _choice_parser(PREFERRED_CHANNELS, "channel"),
            "disqualification_reason": _choice_parser(
                DISQUALIFICATION_REASONS, "disqualification reason"
            ),
        }
        if target in special:
            return special[target]
        if kind in _TEXT_KINDS:
            return str.strip
        by_kind: dict[FieldKind, CellParser] = {
            FieldKind.EMAIL: parse_email,
            FieldKind.PHONE: partial(
                parse_phone_as_typed if self.phones_as_typed else parse_phone,
                default_region=self.default_region,
            ),
            FieldKind.DATE: partial(parse_date, order=order),
            FieldKind.DATETIME: partial(parse_datetime, order=order, timezone=self.timezone),
            FieldKind.BOOL: parse_bool,
            FieldKind.MONEY: partial(
                parse_money_cents, decimal_mark=self.decimal_marks.get(column)
            ),
            FieldKind.INTEGER: parse_integer,
        }
        return by_kind.get(kind, str.strip)

    def parse(self, cells: Sequence[str]) -> ParsedRow:
        """The lead values of one row, and the problems of its cells."""
        values: dict[str, FieldValue] = {}
        problems: list[CellProblem] = []
        complete = len(cells) >= self._width  # the common case: no short rows
        width = len(cells)
        undo_escaping = self.undo_export_escaping
        for column, header, target, parse_cell, typed in self._columns:
            if not complete and column >= width:
                continue
            text = cells[column]
            if not text or text.isspace() or (typed and text in PLACEHOLDERS):
                continue
            if undo_escaping and text[0] == ESCAPE:
                text = unneutralise(text)
            try:
                values[target] = parse_cell(text)
            except CellValueError as error:
                kept = error.kept
                problems.append(
                    CellProblem(column, header, target, text, error.reason, kept is not None)
                )
                if kept is not None:
                    values[target] = kept
        self._apply_row_rules(values, cells)
        return ParsedRow(values, problems)

    def _column_reader(
        self, target: str, parse_cell: CellParser, typed: bool
    ) -> Callable[[Sequence[str], _CellMemo], list[Any]]:
        """How parse_chunk reads a whole column of ``target``."""
        if parse_cell is str.strip and not typed:
            return _text_outcomes
        if parse_cell is parse_email:
            return _email_outcomes
        if target in FIELDS_BY_NAME and FIELDS_BY_NAME[target].kind is FieldKind.PHONE:
            return partial(_phone_outcomes, as_typed=self.phones_as_typed)
        return _memo_outcomes

    def _outcome(self, parse_cell: CellParser, typed: bool, text: str) -> Any:
        """What ``parse`` makes of one cell: its value, _EMPTY, or _FAILED."""
        if not text or text.isspace() or (typed and text in PLACEHOLDERS):
            return _EMPTY
        if self.undo_export_escaping and text[0] == ESCAPE:
            text = unneutralise(text)
        try:
            return parse_cell(text)
        except CellValueError:
            return _FAILED

    def parse_chunk(self, rows: Sequence[Sequence[str]]) -> list[ParsedRow]:
        """``[self.parse(row) for row in rows]``, column by column.

        An import's columns repeat a lot (names, stages, countries, dates), so each
        column's cells are parsed through a memo, a whole column at a time; only
        rows with a cell that cannot be read go through ``parse`` one by one.
        """
        if not rows:
            return []
        if not self._columns:
            return [self.parse(row) for row in rows]
        width = self._width
        shortest = min(map(len, rows))
        if shortest >= width and shortest == max(map(len, rows)):
            # The usual file: every record as wide as the header.
            every_column = list(zip(*rows, strict=True))
            columns = [every_column[column] for column, *_rest in self._columns]
        else:
            # Short rows: their missing cells are empty, as in ``parse``.
            padded = [
                row if len(row) >= width else [*row, *[""] * (width - len(row))] for row in rows
            ]
            # The extra 0th cell keeps itemgetter returning tuples for one column too.
            columns = list(zip(*map(self._picks, padded), strict=True))[:-1]
        outcomes = [
            read(cells, memo)
            for read, memo, cells in zip(self._column_readers, self._memos, columns, strict=True)
        ]
        failed: set[int] = set()
        sparse: set[int] = set()
        for column_outcomes in outcomes:
            if _FAILED in column_outcomes:
                failed.update(i for i, value in enumerate(column_outcomes) if value is _FAILED)
            if _EMPTY in column_outcomes:
                sparse.update(i for i, value in enumerate(column_outcomes) if value is _EMPTY)
        targets = self._targets
        if not failed and not sparse:
            all_values = list(map(dict, map(zip, repeat(targets), zip(*outcomes, strict=True))))
        else:
            all_values = []
            for index, row_outcomes in enumerate(zip(*outcomes, strict=True)):
                if index in sparse:
                    all_values.append(
                        {
                            t: v
                            for t, v in zip(targets, row_outcomes, strict=True)
                            if v is not _EMPTY
                        }
                    )
                else:
                    all_values.append(dict(zip(targets, row_outcomes, strict=True)))
        parsed = [ParsedRow(values, []) for values in all_values]
        # Rows with a cell that failed are parsed whole, the rules included.
        for index in failed:
            parsed[index] = self.parse(rows[index])
        if self._row_rules:
            for index, (values, row) in enumerate(zip(all_values, rows, strict=True)):
                if index not in failed:
                    self._apply_row_rules(values, row)
        elif any(Stage.DISQUALIFIED in outcomes[i] for i in self._stage_positions):
            for index, (values, row) in enumerate(zip(all_values, rows, strict=True)):
                if values.get("stage") is Stage.DISQUALIFIED and index not in failed:
                    self._apply_row_rules(values, row)
        return parsed

    def _apply_row_rules(self, values: dict[str, FieldValue], cells: Sequence[str]) -> None:
        """What a row's cells mean together: a full name, an opt-out, a disqualification."""
        if FULL_NAME in values:
            first, last = split_full_name(str(values.pop(FULL_NAME)))
            if first and "first_name" not in values:
                values["first_name"] = first
            if last and "last_name" not in values:
                values["last_name"] = last
        if EMAIL_OPT_OUT in values:
            opt_out = Consent(str(values.pop(EMAIL_OPT_OUT)))
            consent = values.get("consent")
            # A stated objection outweighs any other consent column of the same row.
            if opt_out is Consent.DENIED or consent is None or consent == Consent.UNKNOWN:
                values["consent"] = opt_out
        if (
            values.get("stage") is Stage.DISQUALIFIED
            and "disqualification_reason" not in values
            and self._stage_column is not None
        ):
            reason = parse_stage(cells[self._stage_column]).disqualification_reason
            if reason:
                values["disqualification_reason"] = reason


# parse_chunk's outcomes of a cell that ``parse`` leaves out or must explain.
_EMPTY: Any = object()
_FAILED: Any = object()
_MEMO_LIMIT = 16_384
# email_problem's limit: longer addresses are judged by parse_email itself.
_EMAIL_MAX = 320


_starts_escaped = methodcaller("startswith", ESCAPE)
_strip_angles = methodcaller("strip", "<>")


def _memo_outcomes(cells: Sequence[str], memo: _CellMemo) -> list[Any]:
    return list(map(memo.__getitem__, cells))


def _text_outcomes(cells: Sequence[str], memo: _CellMemo) -> list[Any]:
    """A plain text column's outcomes: the stripped text, at C speed for most cells."""
    outcomes: list[Any] = list(map(str.strip, cells))
    if "" in outcomes:
        for index, value in enumerate(outcomes):
            if not value:
                outcomes[index] = _EMPTY
    if any(map(_starts_escaped, cells)):
        for index, text in enumerate(cells):
            if text[:1] == ESCAPE:
                outcomes[index] = memo[text]
    return outcomes


def _email_outcomes(cells: Sequence[str], memo: _CellMemo) -> list[Any]:
    """An email column's outcomes; plain addresses are settled here without a call each.

    What ``parse_email`` returns for an address that ``normalize_email`` lower-cases
    into the shape ``email_problem`` accepts at once; every other cell (empty,
    escaped, odd, too long) goes through the memo as in ``parse``.
    """
    lowered: list[Any] = list(
        map(str.lower, map(str.strip, map(_strip_angles, map(str.strip, cells))))
    )
    matches = list(map(_SIMPLE_EMAIL.fullmatch, lowered))
    if None in matches:
        for index, match in enumerate(matches):
            if match is None:
                lowered[index] = memo[cells[index]]
    if any(map(_starts_escaped, cells)) or max(map(len, cells)) > _EMAIL_MAX:
        for index, text in enumerate(cells):
            if text[:1] == ESCAPE or len(text) > _EMAIL_MAX:
                lowered[index] = memo[text]
    return lowered


class _CellMemo(dict[str, Any]):
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
