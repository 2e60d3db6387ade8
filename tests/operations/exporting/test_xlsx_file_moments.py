"""Date-times in a workbook: the user's local time, to the second, in any zone and any year."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from leaddesk.operations.exporting.xlsx_file import HourOffsets, local_serials

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
ZONES = [
    "Europe/Berlin",
    "Australia/Lord_Howe",  # a half-hour daylight-saving change
    "America/St_Johns",
    "Asia/Kolkata",
    "Europe/Amsterdam",  # before 1937 an offset of +00:19:32
    "Pacific/Apia",  # skipped a whole day in 2011
    "UTC",
]


def local_seconds(moment: dt.datetime, zone: dt.tzinfo) -> int:
    """The local time of ``moment`` in ``zone``, as whole seconds since Excel's day 0."""
    local = moment.astimezone(zone).replace(tzinfo=None, microsecond=0)
    return (local - EXCEL_EPOCH) // dt.timedelta(seconds=1)


def read_seconds(serials: list[str | None]) -> list[int | None]:
    """Serial numbers as a reader takes them: days and a fraction, to the second."""
    return [None if serial is None else round(float(serial) * 86400) for serial in serials]


@given(
    moments=st.lists(
        st.datetimes(
            min_value=dt.datetime(1900, 1, 1),
            max_value=dt.datetime(2200, 12, 31),
            timezones=st.just(dt.UTC),
        ),
        min_size=1,
        max_size=20,
    ),
    zone_name=st.sampled_from(ZONES),
)
def test_a_moment_is_its_local_time_whatever_form_it_is_read_in(
    moments: list[dt.datetime], zone_name: str
) -> None:
    zone = zoneinfo.ZoneInfo(zone_name)
    expected = [local_seconds(moment, zone) for moment in moments]
    # As SQLite hands them over (whole seconds), as another database does, and as text.
    seconds = [int(moment.replace(microsecond=0).timestamp()) for moment in moments]
    naive_text = [moment.replace(tzinfo=None).isoformat(" ") for moment in moments]
    for form in (seconds, moments, naive_text):
        serials = local_serials([*form, None], HourOffsets(zone))
        assert read_seconds(serials) == [*expected, None]


def test_the_hour_of_a_daylight_saving_change_is_worked_out_moment_by_moment() -> None:
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    # 2026-03-29: clocks go from 02:00 to 03:00 local, 01:00 UTC; Lord Howe's at a half hour.
    change = dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)
    moments = [change + dt.timedelta(minutes=minutes) for minutes in (-1, 0, 59)]
    assert read_seconds(local_serials(moments, HourOffsets(berlin))) == [
        local_seconds(moment, berlin) for moment in moments
    ]
    lord_howe = zoneinfo.ZoneInfo("Australia/Lord_Howe")
    offsets = HourOffsets(lord_howe)
    half_hour = dt.datetime(2026, 10, 3, 15, 29, tzinfo=dt.UTC)  # 02:00 -> 02:30 local
    moments = [half_hour, half_hour + dt.timedelta(minutes=2)]
    assert read_seconds(local_serials(moments, offsets)) == [
        local_seconds(moment, lord_howe) for moment in moments
    ]
    assert HourOffsets.CHANGING in offsets.values()
