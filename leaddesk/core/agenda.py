"""When follow-ups are due, in the user's time zone: agenda buckets, presets, snooze, SLA.

Everything here is a pure function of an injected ``now`` (aware, any zone) and
the user's zone (a ``tzinfo``, normally a ``ZoneInfo``). Times go in and come
out as aware datetimes; what this module returns is always in UTC, ready to
store. Local wall-clock arithmetic ("tomorrow 9:00", "in a week") is done on
local dates and times and only then converted, so it stays right across
daylight-saving changes: "tomorrow 9:00" on the Saturday before Europe/Berlin
springs forward is 09:00 CEST, 23 hours later, not 24.

A wall time that does not exist (skipped by spring-forward) or exists twice
(repeated by fall-back) resolves with ``fold=0``, as :mod:`zoneinfo` does: a
skipped 02:30 becomes 03:30, a repeated 02:30 is the first one.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from leaddesk.core.csv_import.value_dates import DateOrder, parse_datetime
from leaddesk.core.csv_import.value_labels import WORKED_STATUS_WORDS
from leaddesk.core.csv_import.values import CellValueError
from leaddesk.core.fields import Stage, Temperature
from leaddesk.core.settings import SETTINGS_BY_KEY

WORKDAY_START = dt.time(9, 0)
AFTERNOON_START = dt.time(14, 0)
UPCOMING_DAYS = 7


class UnknownTimeZoneError(ValueError):
    """A time zone name that the zone database does not know."""


class WhenError(ValueError):
    """Text that is neither a date, a date-time nor a preset."""


# --- the user's time zone ---------------------------------------------------------------


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone ``name`` (Europe/Berlin, UTC), or UnknownTimeZoneError."""
    cleaned = name.strip()
    try:
        return zoneinfo.ZoneInfo(cleaned)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UnknownTimeZoneError(
            f"'{cleaned}' is not a time zone; use a name like Europe/Berlin or UTC."
        ) from None


def system_zone(
    environ: Mapping[str, str] = os.environ, localtime: Path = Path("/etc/localtime")
) -> dt.tzinfo:
    """The zone this machine runs in: $TZ, else the system's zone file, else its offset.

    Only a real zone (not a fixed offset) keeps day boundaries right across a
    daylight-saving change, so the fixed offset is the last resort (Windows
    without $TZ, where the zone has no IANA name).
    """
    tz_variable = environ.get("TZ", "").removeprefix(":").strip()
    if tz_variable:
        try:
            return zoneinfo.ZoneInfo(tz_variable)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass  # a POSIX rule such as "CET-1CEST": let the system interpret it below
    if not tz_variable:
        try:
            target = str(localtime.resolve())
            if "zoneinfo/" in target:
                return zoneinfo.ZoneInfo(target.split("zoneinfo/", 1)[1])
            with localtime.open("rb") as zone_file:
                return zoneinfo.ZoneInfo.from_file(zone_file, key="localtime")
        except (OSError, ValueError, zoneinfo.ZoneInfoNotFoundError):
            pass
    offset_zone = dt.datetime.now().astimezone().tzinfo
    return offset_zone if offset_zone is not None else dt.UTC


def user_zone(name: str | None = None, environ: Mapping[str, str] = os.environ) -> dt.tzinfo:
    """The zone named by the user (an option), else the system's."""
    return zone_named(name) if name else system_zone(environ)


# --- local wall-clock arithmetic --------------------------------------------------------


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime; pass an aware one")
    return moment


def to_utc(moment: dt.datetime) -> dt.datetime:
    return _aware(moment).astimezone(dt.UTC)


def local_time(day: dt.date, time: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """``time`` on ``day`` in ``zone``, as UTC (fold=0 for skipped or repeated times)."""
    return dt.datetime.combine(day, time.replace(tzinfo=None), tzinfo=zone).astimezone(dt.UTC)


def local_today(now: dt.datetime, zone: dt.tzinfo) -> dt.date:
    return _aware(now).astimezone(zone).date()


def start_of_day(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The first instant of ``day`` in ``zone`` (local midnight), as UTC."""
    return local_time(day, dt.time(0, 0), zone)


def _whole_minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


# --- agenda buckets ---------------------------------------------------------------------


class Bucket(StrEnum):
    """Where an open follow-up sits on the agenda."""

    OVERDUE = "overdue"
    TODAY = "today"
    UPCOMING = "upcoming"
    LATER = "later"  # beyond the upcoming week: not on the agenda, still in the calendar

    @property
    def label(self) -> str:
        return _BUCKET_LABELS[self]


_BUCKET_LABELS = {
    Bucket.OVERDUE: "Overdue",
    Bucket.TODAY: "Today",
    Bucket.UPCOMING: f"Upcoming ({UPCOMING_DAYS} days)",
    Bucket.LATER: "Later",
}


@dataclass(frozen=True, slots=True)
class AgendaWindow:
    """The instants (UTC) that separate the buckets for one ``now`` and zone.

    Overdue: due < now. Today: now <= due < tomorrow_starts (local midnight).
    Upcoming: tomorrow_starts <= due < upcoming_ends, the next seven local days
    after today. Later: the rest.
    """

    now: dt.datetime
    tomorrow_starts: dt.datetime
    upcoming_ends: dt.datetime

    def bucket(self, due_at: dt.datetime) -> Bucket:
        due = to_utc(due_at)
        if due < self.now:
            return Bucket.OVERDUE
        if due < self.tomorrow_starts:
            return Bucket.TODAY
        if due < self.upcoming_ends:
            return Bucket.UPCOMING
        return Bucket.LATER


def agenda_window(now: dt.datetime, zone: dt.tzinfo) -> AgendaWindow:
    today = local_today(now, zone)
    return AgendaWindow(
        now=to_utc(now),
        tomorrow_starts=start_of_day(today + dt.timedelta(days=1), zone),
        upcoming_ends=start_of_day(today + dt.timedelta(days=1 + UPCOMING_DAYS), zone),
    )


@dataclass(frozen=True, slots=True)
class FollowUpEntry:
    """An open follow-up as the agenda lists it."""

    follow_up_id: int
    lead_id: int
    name: str
    due_at: dt.datetime
    note: str | None


@dataclass(frozen=True, slots=True)
class LeadRef:
    """An open lead without a next step."""

    lead_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Agenda:
    overdue: tuple[FollowUpEntry, ...] = ()
    today: tuple[FollowUpEntry, ...] = ()
    upcoming: tuple[FollowUpEntry, ...] = ()
    no_next_step: tuple[LeadRef, ...] = ()


def build_agenda(
    follow_ups: Iterable[FollowUpEntry],
    no_next_step: Iterable[LeadRef],
    now: dt.datetime,
    zone: dt.tzinfo,
) -> Agenda:
    """Sort open follow-ups into buckets, each ordered by due time (then id)."""
    window = agenda_window(now, zone)
    buckets: dict[Bucket, list[FollowUpEntry]] = {bucket: [] for bucket in Bucket}
    for entry in sorted(follow_ups, key=lambda e: (to_utc(e.due_at), e.follow_up_id)):
        buckets[window.bucket(entry.due_at)].append(entry)
    return Agenda(
        overdue=tuple(buckets[Bucket.OVERDUE]),
        today=tuple(buckets[Bucket.TODAY]),
        upcoming=tuple(buckets[Bucket.UPCOMING]),
        no_next_step=tuple(no_next_step),
    )


# --- presets ----------------------------------------------------------------------------


class Preset(StrEnum):
    """Quick choices for a follow-up's due time; the values are stable keys."""

    IN_1_HOUR = "1h"
    THIS_AFTERNOON = "afternoon"
    TOMORROW = "tomorrow"
    NEXT_MONDAY = "next-monday"
    IN_A_WEEK = "week"

    @property
    def label(self) -> str:
        return _PRESET_LABELS[self]


_PRESET_LABELS = {
    Preset.IN_1_HOUR: "In 1 hour",
    Preset.THIS_AFTERNOON: "This afternoon",
    Preset.TOMORROW: "Tomorrow 9:00",
    Preset.NEXT_MONDAY: "Next Monday",
    Preset.IN_A_WEEK: "In a week",
}

# Phrases people type for each preset (after lower-casing and squeezing spaces).
_PRESET_PHRASES: dict[str, Preset] = {
    **{preset.value: preset for preset in Preset},
    **{preset.label.casefold(): preset for preset in Preset},
    "in an hour": Preset.IN_1_HOUR,
    "in 1h": Preset.IN_1_HOUR,
    "1 hour": Preset.IN_1_HOUR,
    "an hour": Preset.IN_1_HOUR,
    "this-afternoon": Preset.THIS_AFTERNOON,
    "next monday": Preset.NEXT_MONDAY,
    "monday": Preset.NEXT_MONDAY,
    "in-a-week": Preset.IN_A_WEEK,
    "1w": Preset.IN_A_WEEK,
    "a week": Preset.IN_A_WEEK,
    "next week": Preset.IN_A_WEEK,
}
_TOMORROW_AT = re.compile(r"tomorrow(?: at)? (\d{1,2})(?:[:.h](\d{2}))?")


def preset_time(preset: Preset, now: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """When ``preset`` falls, seen from ``now`` in ``zone``; UTC, whole minutes."""
    now_utc = to_utc(now)
    local_now = now_utc.astimezone(zone)
    today = local_now.date()
    match preset:
        case Preset.IN_1_HOUR:
            return _whole_minute(now_utc + dt.timedelta(hours=1))
        case Preset.THIS_AFTERNOON:
            afternoon = local_time(today, AFTERNOON_START, zone)
            return afternoon if now_utc < afternoon else preset_time(Preset.IN_1_HOUR, now, zone)
        case Preset.TOMORROW:
            return local_time(today + dt.timedelta(days=1), WORKDAY_START, zone)
        case Preset.NEXT_MONDAY:
            days_ahead = (7 - today.weekday()) % 7 or 7
            return local_time(today + dt.timedelta(days=days_ahead), WORKDAY_START, zone)
        case Preset.IN_A_WEEK:
            # Same wall-clock time, seven local days on: 167 or 169 hours across a change.
            return _whole_minute(local_time(today + dt.timedelta(days=7), local_now.time(), zone))
    raise AssertionError(preset)


class SnoozeOption(StrEnum):
    """How long a follow-up can be put off; counted from now, not from its due time."""

    MINUTES_15 = "15m"
    HOUR_1 = "1h"
    TOMORROW = "tomorrow"

    @property
    def label(self) -> str:
        return _SNOOZE_LABELS[self]


_SNOOZE_LABELS = {
    SnoozeOption.MINUTES_15: "15 minutes",
    SnoozeOption.HOUR_1: "1 hour",
    SnoozeOption.TOMORROW: "Tomorrow 9:00",
}


def snooze_until(option: SnoozeOption, now: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """The new due time (UTC) for a follow-up snoozed at ``now``."""
    now_utc = to_utc(now)
    match option:
        case SnoozeOption.MINUTES_15:
            return _whole_minute(now_utc + dt.timedelta(minutes=15))
        case SnoozeOption.HOUR_1:
            return _whole_minute(now_utc + dt.timedelta(hours=1))
        case SnoozeOption.TOMORROW:
            return preset_time(Preset.TOMORROW, now, zone)
    raise AssertionError(option)


# --- parsing WHEN -----------------------------------------------------------------------

WHEN_HELP = (
    "an ISO date-time such as 2026-03-30T14:00, a date such as 2026-03-30 (9:00), "
    "or one of " + ", ".join(preset.value for preset in Preset)
)


def parse_when(text: str, now: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """The due time (UTC) that ``text`` means, seen from ``now`` in ``zone``.

    Accepts an ISO 8601 date-time (without a zone it is local time in ``zone``),
    an ISO date (09:00 local), a preset key or its phrase (``tomorrow``, ``in a
    week``) and ``tomorrow 15:30``.
    """
    phrase = " ".join(text.split()).casefold()
    if not phrase:
        raise WhenError(f"Say when: {WHEN_HELP}.")
    if (preset := _PRESET_PHRASES.get(phrase)) is not None:
        return preset_time(preset, now, zone)
    if (tomorrow_at := _TOMORROW_AT.fullmatch(phrase)) is not None:
        hour, minute = int(tomorrow_at[1]), int(tomorrow_at[2] or 0)
        if hour > 23 or minute > 59:
            raise WhenError(f"'{text.strip()}' is not a time of day.")
        tomorrow = local_today(now, zone) + dt.timedelta(days=1)
        return local_time(tomorrow, dt.time(hour, minute), zone)
    return _parse_iso(text.strip(), zone)


def _parse_iso(text: str, zone: dt.tzinfo) -> dt.datetime:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise WhenError(f"'{text}' is not a date on the calendar.") from None
        return _in_range(text, lambda: local_time(day, WORKDAY_START, zone))
    # Only ISO shapes: fromisoformat alone would also take "20260330" or "2026W14".
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*", text, flags=re.IGNORECASE):
        raise WhenError(f"'{text}' is not a time LeadDesk understands; use {WHEN_HELP}.")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise WhenError(f"'{text}' is not a valid date-time; use {WHEN_HELP}.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return _in_range(text, lambda: moment.astimezone(dt.UTC))


def _in_range(text: str, convert: Callable[[], dt.datetime]) -> dt.datetime:
    # At the ends of the calendar (year 1 or 9999) the UTC time may fall outside it.
    try:
        return convert()
    except OverflowError:
        raise WhenError(f"'{text}' is too far in the past or the future.") from None


# --- speed-to-lead ----------------------------------------------------------------------

DEFAULT_SLA_MINUTES: Mapping[Temperature, int] = {
    temperature: int(SETTINGS_BY_KEY[f"sla_minutes_{temperature.value}"].default)
    for temperature in Temperature
}


def sla_minutes_from_settings(values: Mapping[str, Any]) -> dict[Temperature, int]:
    """The first-contact deadline per temperature from stored settings (minutes)."""
    minutes: dict[Temperature, int] = {}
    for temperature in Temperature:
        # Any: a stored setting is whatever JSON the database held.
        value: Any = values.get(f"sla_minutes_{temperature.value}")
        try:
            minutes[temperature] = max(0, int(value))
        except (TypeError, ValueError):
            minutes[temperature] = DEFAULT_SLA_MINUTES[temperature]
    return minutes


def sla_deadline(
    created_at: dt.datetime,
    temperature: Temperature | str,
    sla_minutes: Mapping[Temperature, int] = DEFAULT_SLA_MINUTES,
) -> dt.datetime:
    """When a lead created at ``created_at`` must have been contacted (UTC)."""
    minutes = sla_minutes[Temperature(temperature)]
    return to_utc(created_at) + dt.timedelta(minutes=minutes)


# Speed-to-lead is for leads that arrive new: typed in, or captured from an
# enquiry. A lead brought in from another system's history is not a fresh
# enquiry (DOMAIN.md): an import gives a countdown only to a lead still at the
# first stage, not yet worked by the file's own status, and whose deadline
# (from its created time) has not passed when it arrives.

# Status words (a CRM's "Lead Status") that say someone already worked the lead,
# though its lifecycle stage is still the first one: the import reads the same words
# as that stage. Compared whole, so "Not contacted" and "Open - Not Contacted" are not
# among them.
WORKED_STATUSES = frozenset(WORKED_STATUS_WORDS)
# Headers of status columns read for that, besides a column mapped to the stage.
STATUS_HEADERS = frozenset({"lead status", "status", "lead - status", "statut", "estado"})


# Memoised: an import asks it for every row, and a status column holds a few words.
@lru_cache(maxsize=1024)
def status_says_worked(text: str) -> bool:
    """Whether a status cell ('Attempted to contact', 'Working - Contacted') says so."""
    return " ".join(text.casefold().split()) in WORKED_STATUSES


def contact_date_says_worked(text: str) -> bool:
    """Whether a last-contact cell ('2026-03-02', not 'never' or empty) says so.

    A date there proves someone contacted the lead; what it is not is the first
    contact, which LeadDesk keeps, so the import keeps it in the notes instead.
    """
    return _reads_as_date(text) or _reads_as_date(text, DateOrder.MONTH_FIRST)


def _reads_as_date(text: str, order: DateOrder = DateOrder.DAY_FIRST) -> bool:
    try:
        parse_datetime(text, order)
    except CellValueError:
        return False
    return True


def countdown_applies(
    created_at: dt.datetime,
    temperature: Temperature | str,
    stage: Stage | str,
    now: dt.datetime,
    sla_minutes: Mapping[Temperature, int] = DEFAULT_SLA_MINUTES,
    *,
    worked: bool = False,
) -> bool:
    """Whether a lead arriving ``now`` gets a first-contact countdown.

    Only a lead at the first stage, not already worked, whose deadline is still
    ahead: one created 200 days ago, or qualified already, is history.
    """
    return (
        not worked
        and Stage(stage) is Stage.LEAD
        and sla_deadline(created_at, temperature, sla_minutes) > to_utc(now)
    )


def countdown_flags(
    created: Sequence[dt.datetime],
    temperatures: Sequence[str],
    stages: Sequence[str],
    worked: Sequence[bool],
    now: dt.datetime,
    sla_minutes: Mapping[Temperature, int] = DEFAULT_SLA_MINUTES,
) -> list[bool]:
    """``countdown_applies`` for many leads arriving at once (an import's chunk).

    Compares each created time with one cut-off per temperature instead of
    building a deadline per lead: equal to ``countdown_applies`` (a test checks).
    """
    utc_now = to_utc(now)
    cutoffs = {
        temperature.value: utc_now - dt.timedelta(minutes=sla_minutes[temperature])
        for temperature in Temperature
    }
    first_stage = Stage.LEAD.value
    return [
        not was_worked and stage == first_stage and moment > cutoffs[temperature]
        for moment, temperature, stage, was_worked in zip(
            created, temperatures, stages, worked, strict=True
        )
    ]


class SlaState(StrEnum):
    CONTACTED = "contacted"  # the deadline no longer applies
    DUE = "due"  # counting down
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class SlaStatus:
    """Where a lead stands against its first-contact deadline.

    ``minutes`` counts whole minutes left while due (rounded up: "due in 1
    minute" until the deadline) and whole minutes past it once overdue.
    """

    state: SlaState
    deadline: dt.datetime
    minutes: int = 0

    @property
    def label(self) -> str:
        match self.state:
            case SlaState.CONTACTED:
                return "Contacted"
            case SlaState.DUE:
                return f"Contact within {format_minutes(self.minutes)}"
            case SlaState.OVERDUE:
                return f"First contact overdue by {format_minutes(self.minutes)}"
        raise AssertionError(self.state)


def sla_status(
    created_at: dt.datetime,
    temperature: Temperature | str,
    first_contacted_at: dt.datetime | None,
    now: dt.datetime,
    sla_minutes: Mapping[Temperature, int] = DEFAULT_SLA_MINUTES,
) -> SlaStatus:
    deadline = sla_deadline(created_at, temperature, sla_minutes)
    if first_contacted_at is not None:
        return SlaStatus(SlaState.CONTACTED, deadline)
    remaining = (deadline - to_utc(now)).total_seconds()
    if remaining > 0:
        return SlaStatus(SlaState.DUE, deadline, math.ceil(remaining / 60))
    return SlaStatus(SlaState.OVERDUE, deadline, math.floor(-remaining / 60))


def first_response_seconds(
    created_at: dt.datetime, first_contacted_at: dt.datetime | None
) -> int | None:
    """Time to first response for reporting; None before the first contact.

    A contact logged before the lead was created (an imported history) counts
    as an immediate response rather than a negative time.
    """
    if first_contacted_at is None:
        return None
    return max(0, int((to_utc(first_contacted_at) - to_utc(created_at)).total_seconds()))


def format_minutes(minutes: int) -> str:
    """A short duration for badges: '4 min', '3 h', '2 h 5 min', '3 d'."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h" + (f" {rest} min" if rest else "")
    days, hours = divmod(hours, 24)
    return f"{days} d" + (f" {hours} h" if hours else "")
