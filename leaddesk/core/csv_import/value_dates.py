"""Dates and times in CSV cells: ISO, numeric, spelled months, Excel serials.

Whether 03/04/2026 is in March or April is decided per column from a sample
(``detect_date_order``). See ``values`` for the parsers' conventions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

from leaddesk.core.csv_import.values import UTC, CellValueError, lookup_word, word_table


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
_MONTHS = word_table(_MONTH_NAMES)
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
            month_number = lookup_word(_MONTHS, match.group("month"))
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


def parse_first_contact(
    text: str,
    order: DateOrder = DateOrder.DAY_FIRST,
    timezone: dt.tzinfo = UTC,
    not_after: dt.datetime | None = None,
) -> dt.datetime:
    """A first contact's moment (see ``parse_datetime``), refused when after ``not_after``.

    Nobody was contacted in the future: such a date is a typo or a planned call,
    so the field stays empty (the row keeps the text in its notes).
    """
    moment = parse_datetime(text, order, timezone)
    if not_after is not None and moment > not_after:
        raise CellValueError(f"'{text.strip()}' is in the future, so it is no first contact.")
    return moment


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
