"""Agenda buckets, presets, snooze, WHEN parsing and speed-to-lead, in the user's zone.

Every expected instant is written out by hand in UTC (with the local time it
stands for beside it), not computed with the code under test. Europe/Berlin
changes to summer time on Sunday 29 March 2026 (02:00 CET -> 03:00 CEST) and
back on Sunday 25 October 2026 (03:00 CEST -> 02:00 CET).
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from pathlib import Path

import pytest

from leaddesk.cli import parser as cli_parser
from leaddesk.core.agenda import (
    DEFAULT_SLA_MINUTES,
    Agenda,
    Bucket,
    FollowUpEntry,
    LeadRef,
    Preset,
    SlaState,
    SnoozeOption,
    UnknownTimeZoneError,
    WhenError,
    agenda_window,
    build_agenda,
    first_response_seconds,
    format_minutes,
    parse_when,
    preset_time,
    sla_deadline,
    sla_minutes_from_settings,
    sla_status,
    snooze_until,
    system_zone,
    user_zone,
    zone_named,
)
from leaddesk.core.clock import FixedClock
from leaddesk.core.fields import Temperature
from leaddesk.core.settings import SETTINGS_BY_KEY

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# Tuesday 17 November 2026, 11:30 in Berlin (CET, UTC+1), 05:30 in New York (EST).
NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)


def entry(follow_up_id: int, due_at: dt.datetime, lead_id: int = 1) -> FollowUpEntry:
    return FollowUpEntry(follow_up_id, lead_id, f"Lead {lead_id}", due_at, None)


# --- buckets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_at", "bucket"),
    [
        (utc(2026, 11, 10, 9, 0), Bucket.OVERDUE),  # a week ago
        (utc(2026, 11, 17, 10, 29, 59), Bucket.OVERDUE),  # a second ago
        (utc(2026, 11, 17, 10, 30), Bucket.TODAY),  # due this instant: not late yet
        (utc(2026, 11, 17, 22, 59, 59), Bucket.TODAY),  # 23:59:59 CET
        (utc(2026, 11, 17, 23, 0), Bucket.UPCOMING),  # 00:00 CET on Wednesday
        (utc(2026, 11, 24, 22, 59, 59), Bucket.UPCOMING),  # 23:59:59 CET, 7th day after today
        (utc(2026, 11, 24, 23, 0), Bucket.LATER),  # 00:00 CET on Wednesday 25th
    ],
)
def test_buckets_split_at_local_midnight_in_the_users_zone(
    due_at: dt.datetime, bucket: Bucket
) -> None:
    assert agenda_window(NOW, BERLIN).bucket(due_at) is bucket


def test_the_same_instant_is_today_in_one_zone_and_upcoming_in_another() -> None:
    # 04:00 UTC on the 18th: 23:00 on Tuesday in New York, 05:00 on Wednesday in Berlin.
    due = utc(2026, 11, 18, 4, 0)
    assert agenda_window(NOW, NEW_YORK).bucket(due) is Bucket.TODAY
    assert agenda_window(NOW, BERLIN).bucket(due) is Bucket.UPCOMING


def test_a_second_before_local_midnight_today_is_one_second_long() -> None:
    now = utc(2026, 11, 17, 22, 59, 59)  # 23:59:59 CET
    window = agenda_window(now, BERLIN)
    assert window.tomorrow_starts == utc(2026, 11, 17, 23, 0)
    assert window.bucket(now) is Bucket.TODAY
    assert window.bucket(utc(2026, 11, 17, 23, 0)) is Bucket.UPCOMING


def test_the_agenda_window_accepts_now_in_any_zone() -> None:
    local_now = NOW.astimezone(NEW_YORK)
    assert agenda_window(local_now, BERLIN) == agenda_window(NOW, BERLIN)
    assert agenda_window(NOW, BERLIN).now.tzinfo is dt.UTC


def test_the_spring_forward_sunday_is_23_hours_long() -> None:
    window = agenda_window(utc(2026, 3, 29, 8, 0), BERLIN)  # Sunday 10:00 CEST
    assert window.tomorrow_starts == utc(2026, 3, 29, 22, 0)  # Monday 00:00 CEST
    assert window.bucket(utc(2026, 3, 29, 21, 59)) is Bucket.TODAY
    assert window.bucket(utc(2026, 3, 29, 22, 0)) is Bucket.UPCOMING
    # Saturday evening before: the week ahead ends at Sunday 5 April 00:00 CEST.
    saturday = agenda_window(utc(2026, 3, 28, 18, 0), BERLIN)  # 19:00 CET
    assert saturday.tomorrow_starts == utc(2026, 3, 28, 23, 0)  # Sunday 00:00 CET
    assert saturday.upcoming_ends == utc(2026, 4, 4, 22, 0)  # Sunday 5 April 00:00 CEST


def test_the_fall_back_sunday_is_25_hours_long() -> None:
    window = agenda_window(utc(2026, 10, 25, 9, 0), BERLIN)  # Sunday 10:00 CET
    assert window.tomorrow_starts == utc(2026, 10, 25, 23, 0)  # Monday 00:00 CET
    assert window.bucket(utc(2026, 10, 25, 22, 59)) is Bucket.TODAY  # 23:59 CET
    assert window.bucket(utc(2026, 10, 25, 23, 0)) is Bucket.UPCOMING
    # The Saturday before: Sunday starts at 00:00 CEST, 22:00 UTC.
    saturday = agenda_window(utc(2026, 10, 24, 12, 0), BERLIN)
    assert saturday.tomorrow_starts == utc(2026, 10, 24, 22, 0)


def test_build_agenda_sorts_each_bucket_by_due_time_then_id() -> None:
    late, early = utc(2026, 11, 17, 9, 0), utc(2026, 11, 16, 9, 0)
    later_today = utc(2026, 11, 17, 15, 0)
    follow_ups = [
        entry(5, late),
        entry(4, later_today),
        entry(3, early),
        entry(2, late),
        entry(1, utc(2026, 11, 20, 9, 0)),
        entry(9, utc(2027, 1, 1, 9, 0)),  # later than the week: not on the agenda
    ]
    no_next_step = [LeadRef(7, "Anna")]

    agenda = build_agenda(follow_ups, no_next_step, NOW, BERLIN)

    assert [e.follow_up_id for e in agenda.overdue] == [3, 2, 5]
    assert [e.follow_up_id for e in agenda.today] == [4]
    assert [e.follow_up_id for e in agenda.upcoming] == [1]
    assert agenda.no_next_step == (LeadRef(7, "Anna"),)
    assert build_agenda([], [], NOW, BERLIN) == Agenda()


# --- presets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        (Preset.IN_1_HOUR, utc(2026, 11, 17, 11, 30)),
        (Preset.THIS_AFTERNOON, utc(2026, 11, 17, 13, 0)),  # 14:00 CET
        (Preset.TOMORROW, utc(2026, 11, 18, 8, 0)),  # Wednesday 09:00 CET
        (Preset.NEXT_MONDAY, utc(2026, 11, 23, 8, 0)),  # Monday 09:00 CET
        (Preset.IN_A_WEEK, utc(2026, 11, 24, 10, 30)),  # Tuesday 11:30 CET
    ],
)
def test_presets_from_a_tuesday_morning_in_berlin(preset: Preset, expected: dt.datetime) -> None:
    result = preset_time(preset, NOW, BERLIN)
    assert result == expected
    assert result.tzinfo is dt.UTC


def test_preset_keys_and_labels_are_stable() -> None:
    assert [preset.value for preset in Preset] == [
        "1h",
        "afternoon",
        "tomorrow",
        "next-monday",
        "week",
    ]
    assert Preset.TOMORROW.label == "Tomorrow 9:00"
    # The command line spells them out so that its help needs no import.
    assert tuple(preset.value for preset in Preset) == cli_parser.WHEN_PRESETS
    assert tuple(option.value for option in SnoozeOption) == tuple(cli_parser.SNOOZE_OPTIONS)


def test_this_afternoon_after_14_00_is_in_an_hour() -> None:
    at_two = utc(2026, 11, 17, 13, 0)  # 14:00 CET
    assert preset_time(Preset.THIS_AFTERNOON, at_two, BERLIN) == utc(2026, 11, 17, 14, 0)
    just_before = utc(2026, 11, 17, 12, 59)
    assert preset_time(Preset.THIS_AFTERNOON, just_before, BERLIN) == at_two


def test_presets_land_on_whole_minutes() -> None:
    now = utc(2026, 11, 17, 10, 30, 45)
    assert preset_time(Preset.IN_1_HOUR, now, BERLIN) == utc(2026, 11, 17, 11, 30)
    assert preset_time(Preset.IN_A_WEEK, now, BERLIN) == utc(2026, 11, 24, 10, 30)


def test_next_monday_on_a_monday_is_a_week_later() -> None:
    monday = utc(2026, 11, 23, 7, 0)  # Monday 08:00 CET
    assert preset_time(Preset.NEXT_MONDAY, monday, BERLIN) == utc(2026, 11, 30, 8, 0)
    sunday_night = utc(2026, 11, 22, 22, 30)  # Sunday 23:30 CET
    assert preset_time(Preset.NEXT_MONDAY, sunday_night, BERLIN) == utc(2026, 11, 23, 8, 0)


def test_tomorrow_across_spring_forward_is_09_00_summer_time() -> None:
    saturday_noon = utc(2026, 3, 28, 11, 0)  # 12:00 CET
    tomorrow = preset_time(Preset.TOMORROW, saturday_noon, BERLIN)
    assert tomorrow == utc(2026, 3, 29, 7, 0)  # 09:00 CEST
    assert tomorrow.astimezone(BERLIN).hour == 9
    assert tomorrow - saturday_noon == dt.timedelta(hours=20)  # not 21


def test_tomorrow_across_fall_back_is_09_00_winter_time() -> None:
    saturday_noon = utc(2026, 10, 24, 10, 0)  # 12:00 CEST
    tomorrow = preset_time(Preset.TOMORROW, saturday_noon, BERLIN)
    assert tomorrow == utc(2026, 10, 25, 8, 0)  # 09:00 CET
    assert tomorrow - saturday_noon == dt.timedelta(hours=22)  # not 21


def test_in_a_week_keeps_the_wall_clock_time_across_a_change() -> None:
    friday = utc(2026, 3, 27, 9, 0)  # 10:00 CET
    assert preset_time(Preset.IN_A_WEEK, friday, BERLIN) == utc(2026, 4, 3, 8, 0)  # 10:00 CEST
    october = utc(2026, 10, 23, 8, 0)  # 10:00 CEST
    assert preset_time(Preset.IN_A_WEEK, october, BERLIN) == utc(2026, 10, 30, 9, 0)  # 10:00 CET


def test_next_monday_across_spring_forward() -> None:
    saturday = utc(2026, 3, 28, 11, 0)
    assert preset_time(Preset.NEXT_MONDAY, saturday, BERLIN) == utc(2026, 3, 30, 7, 0)


def test_presets_move_with_an_injected_clock() -> None:
    clock = FixedClock(utc(2026, 11, 17, 12, 0))  # 13:00 CET
    assert preset_time(Preset.THIS_AFTERNOON, clock.now(), BERLIN) == utc(2026, 11, 17, 13, 0)
    clock.advance(dt.timedelta(hours=2))  # 15:00 CET: the afternoon has begun
    assert preset_time(Preset.THIS_AFTERNOON, clock.now(), BERLIN) == utc(2026, 11, 17, 15, 0)


# --- snooze -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (SnoozeOption.MINUTES_15, utc(2026, 11, 17, 10, 45)),
        (SnoozeOption.HOUR_1, utc(2026, 11, 17, 11, 30)),
        (SnoozeOption.TOMORROW, utc(2026, 11, 18, 8, 0)),
    ],
)
def test_snooze_counts_from_now(option: SnoozeOption, expected: dt.datetime) -> None:
    assert snooze_until(option, NOW, BERLIN) == expected


def test_snooze_until_tomorrow_across_fall_back() -> None:
    late_saturday = utc(2026, 10, 24, 21, 50)  # 23:50 CEST
    assert snooze_until(SnoozeOption.TOMORROW, late_saturday, BERLIN) == utc(2026, 10, 25, 8, 0)
    just_after_midnight = utc(2026, 10, 24, 22, 10)  # Sunday 00:10 CEST: tomorrow is Monday
    assert snooze_until(SnoozeOption.TOMORROW, just_after_midnight, BERLIN) == utc(
        2026, 10, 26, 8, 0
    )


# --- WHEN -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow", utc(2026, 11, 18, 8, 0)),
        ("  Tomorrow ", utc(2026, 11, 18, 8, 0)),
        ("tomorrow 9:00", utc(2026, 11, 18, 8, 0)),
        ("tomorrow 15:30", utc(2026, 11, 18, 14, 30)),
        ("tomorrow at 7", utc(2026, 11, 18, 6, 0)),
        ("1h", utc(2026, 11, 17, 11, 30)),
        ("in 1 hour", utc(2026, 11, 17, 11, 30)),
        ("afternoon", utc(2026, 11, 17, 13, 0)),
        ("This afternoon", utc(2026, 11, 17, 13, 0)),
        ("next-monday", utc(2026, 11, 23, 8, 0)),
        ("next  Monday", utc(2026, 11, 23, 8, 0)),
        ("week", utc(2026, 11, 24, 10, 30)),
        ("in a week", utc(2026, 11, 24, 10, 30)),
        # ISO date: 09:00 local that day.
        ("2026-12-01", utc(2026, 12, 1, 8, 0)),
        ("2026-07-01", utc(2026, 7, 1, 7, 0)),  # summer time
        # ISO date-time without a zone: local time.
        ("2026-12-01T14:15", utc(2026, 12, 1, 13, 15)),
        ("2026-12-01 14:15:30", utc(2026, 12, 1, 13, 15, 30)),
        # With a zone: that instant.
        ("2026-12-01T14:15Z", utc(2026, 12, 1, 14, 15)),
        ("2026-12-01T14:15:00+05:30", utc(2026, 12, 1, 8, 45)),
    ],
)
def test_parse_when(text: str, expected: dt.datetime) -> None:
    result = parse_when(text, NOW, BERLIN)
    assert result == expected
    assert result.tzinfo is dt.UTC


def test_every_preset_key_and_label_parses() -> None:
    for preset in Preset:
        assert parse_when(preset.value, NOW, BERLIN) == preset_time(preset, NOW, BERLIN)
        assert parse_when(preset.label, NOW, BERLIN) == preset_time(preset, NOW, BERLIN)


def test_a_local_time_skipped_by_spring_forward_is_taken_as_the_hour_after() -> None:
    # 02:30 does not exist on 29 March in Berlin; zoneinfo's fold=0 reads it with
    # the winter offset, which is 03:30 summer time.
    assert parse_when("2026-03-29T02:30", NOW, BERLIN) == utc(2026, 3, 29, 1, 30)


def test_a_local_time_repeated_by_fall_back_is_the_first_one() -> None:
    assert parse_when("2026-10-25T02:30", NOW, BERLIN) == utc(2026, 10, 25, 0, 30)  # CEST


def test_an_iso_date_on_a_dst_sunday_is_09_00_local() -> None:
    assert parse_when("2026-03-29", NOW, BERLIN) == utc(2026, 3, 29, 7, 0)
    assert parse_when("2026-10-25", NOW, BERLIN) == utc(2026, 10, 25, 8, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Say when"),
        ("   ", "Say when"),
        ("soon", "'soon' is not a time LeadDesk understands"),
        ("2026-02-30", "'2026-02-30' is not a date on the calendar"),
        ("2026-12-01T25:00", "'2026-12-01T25:00' is not a valid date-time"),
        ("20261201", "is not a time LeadDesk understands"),
        ("01/12/2026", "is not a time LeadDesk understands"),
        ("tomorrow 25:00", "'tomorrow 25:00' is not a time of day"),
        ("next friday", "is not a time LeadDesk understands"),
        # Before 0001-01-01 in UTC: outside the calendar once converted.
        ("0001-01-01T00:30", "'0001-01-01T00:30' is too far in the past or the future"),
        ("9999-12-31T23:30-05:00", "is too far in the past or the future"),
    ],
)
def test_parse_when_refuses_what_it_cannot_read_in_one_sentence(text: str, message: str) -> None:
    with pytest.raises(WhenError, match=message) as caught:
        parse_when(text, NOW, BERLIN)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        parse_when("tomorrow", dt.datetime(2026, 11, 17, 10, 30), BERLIN)


# --- time zones -------------------------------------------------------------------------


def test_zone_named() -> None:
    assert zone_named(" Europe/Berlin ") == BERLIN
    for bad in ("Mars/Base", "", "../etc/passwd", "Europe/"):
        with pytest.raises(UnknownTimeZoneError, match="is not a time zone"):
            zone_named(bad)


def test_user_zone_prefers_the_name_given_then_tz(tmp_path: Path) -> None:
    assert user_zone("America/New_York", {"TZ": "Europe/Berlin"}) == NEW_YORK
    assert user_zone(None, {"TZ": "Europe/Berlin"}) == BERLIN
    assert user_zone(None, {"TZ": ":Europe/Berlin"}) == BERLIN


def test_system_zone_follows_the_localtime_link(tmp_path: Path) -> None:
    zone_file = Path(zoneinfo.TZPATH[0]) / "Asia" / "Tokyo" if zoneinfo.TZPATH else None
    if zone_file is None or not zone_file.is_file():
        pytest.skip("no system zone database to link to")
    link = tmp_path / "localtime"
    os.symlink(zone_file, link)
    assert system_zone({}, localtime=link) == zoneinfo.ZoneInfo("Asia/Tokyo")


def test_system_zone_without_tz_or_zone_file_is_a_fixed_offset(tmp_path: Path) -> None:
    zone = system_zone({}, localtime=tmp_path / "missing")
    assert isinstance(zone, dt.tzinfo)
    assert NOW.astimezone(zone).utcoffset() is not None


# --- speed-to-lead ----------------------------------------------------------------------

CREATED = utc(2026, 11, 17, 10, 0)


def test_default_sla_minutes_are_the_documented_ones() -> None:
    # DOMAIN.md: hot 5 minutes, warm 24 hours, cold 72 hours.
    assert DEFAULT_SLA_MINUTES == {
        Temperature.HOT: 5,
        Temperature.WARM: 24 * 60,
        Temperature.COLD: 72 * 60,
    }
    for temperature, minutes in DEFAULT_SLA_MINUTES.items():
        assert SETTINGS_BY_KEY[f"sla_minutes_{temperature.value}"].default == minutes


@pytest.mark.parametrize(
    ("temperature", "deadline"),
    [
        ("hot", utc(2026, 11, 17, 10, 5)),
        ("warm", utc(2026, 11, 18, 10, 0)),
        ("cold", utc(2026, 11, 20, 10, 0)),
    ],
)
def test_sla_deadline_per_temperature(temperature: str, deadline: dt.datetime) -> None:
    assert sla_deadline(CREATED, temperature) == deadline
    assert sla_deadline(CREATED, Temperature(temperature)) == deadline


def test_sla_minutes_come_from_settings_with_defaults_for_nonsense() -> None:
    minutes = sla_minutes_from_settings(
        {"sla_minutes_hot": 15, "sla_minutes_warm": "oops", "sla_minutes_cold": None}
    )
    assert minutes == {Temperature.HOT: 15, Temperature.WARM: 1440, Temperature.COLD: 4320}
    assert sla_deadline(CREATED, "hot", minutes) == utc(2026, 11, 17, 10, 15)
    assert sla_minutes_from_settings({}) == dict(DEFAULT_SLA_MINUTES)


def test_sla_status_counts_down_then_overdue() -> None:
    clock = FixedClock(CREATED)
    status = sla_status(CREATED, "hot", None, clock.now())
    assert (status.state, status.minutes, status.deadline) == (
        SlaState.DUE,
        5,
        utc(2026, 11, 17, 10, 5),
    )
    assert status.label == "Contact within 5 min"

    clock.advance(dt.timedelta(minutes=4, seconds=1))
    status = sla_status(CREATED, "hot", None, clock.now())
    assert (status.state, status.minutes) == (SlaState.DUE, 1)  # 59 s left: rounds up

    clock.advance(dt.timedelta(seconds=59))  # exactly the deadline
    assert sla_status(CREATED, "hot", None, clock.now()).state is SlaState.OVERDUE

    clock.advance(dt.timedelta(hours=2, minutes=7))
    status = sla_status(CREATED, "hot", None, clock.now())
    assert (status.state, status.minutes) == (SlaState.OVERDUE, 127)
    assert status.label == "First contact overdue by 2 h 7 min"


def test_a_contacted_lead_has_no_running_deadline() -> None:
    status = sla_status(CREATED, "hot", CREATED + dt.timedelta(hours=5), utc(2026, 12, 1, 0, 0))
    assert status.state is SlaState.CONTACTED
    assert status.label == "Contacted"


def test_a_cold_lead_is_not_overdue_for_three_days() -> None:
    almost = CREATED + dt.timedelta(hours=71, minutes=59)
    status = sla_status(CREATED, Temperature.COLD, None, almost)
    assert (status.state, status.label) == (SlaState.DUE, "Contact within 1 min")
    late = sla_status(CREATED, Temperature.COLD, None, CREATED + dt.timedelta(days=4, hours=2))
    assert late.label == "First contact overdue by 1 d 2 h"


def test_first_response_seconds() -> None:
    assert first_response_seconds(CREATED, None) is None
    assert first_response_seconds(CREATED, CREATED + dt.timedelta(minutes=3, seconds=5)) == 185
    # A contact recorded before the lead (imported history) is an immediate response.
    assert first_response_seconds(CREATED, CREATED - dt.timedelta(days=1)) == 0


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 min"),
        (59, "59 min"),
        (60, "1 h"),
        (61, "1 h 1 min"),
        (1440, "1 d"),
        (1500, "1 d 1 h"),
    ],
)
def test_format_minutes(minutes: int, text: str) -> None:
    assert format_minutes(minutes) == text
