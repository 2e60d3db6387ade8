"""`leaddesk agenda`: the follow-ups by day, as JSON, text or an iCalendar file.

The commands run in-process with the system clock standing still at TEST_NOW
(Tuesday 17 November 2026, 10:30 UTC = 11:30 in Berlin), and demo data is
created relative to the same instant, so every bucket is known in advance.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import select

from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.follow_ups import add_follow_up, complete_follow_up
from leaddesk.operations.leads import create_lead, delete_leads
from leaddesk.storage.schema import follow_ups, leads
from tests.cli.helpers import (
    TEST_NOW,
    agenda,
    assert_one_line_error,
    listing,
    run,
)

BUCKETS = ("overdue", "today", "upcoming", "no_next_step")
ENTRY_KEYS = {"follow_up_id", "lead_id", "name", "due", "note"}
BERLIN_TOMORROW_STARTS = dt.datetime(2026, 11, 17, 23, 0, tzinfo=dt.UTC)
BERLIN_WEEK_ENDS = dt.datetime(2026, 11, 24, 23, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


# The developer's $TZ must not choose the days; the command line reads the test clock.
pytestmark = pytest.mark.usefixtures("no_tz", "frozen_system_clock")


def open_follow_up_rows(ctx: OperationContext) -> list[Any]:
    with ctx.db.reading() as connection:
        query = (
            select(follow_ups.c.id, follow_ups.c.lead_id, follow_ups.c.due_at, follow_ups.c.note)
            .join(leads, leads.c.id == follow_ups.c.lead_id)
            .where(follow_ups.c.done_at.is_(None), leads.c.deleted_at.is_(None))
        )
        return list(connection.execute(query))


def due(entry: dict[str, Any]) -> dt.datetime:
    moment = dt.datetime.fromisoformat(entry["due"])
    assert moment.utcoffset() == dt.timedelta(0), "due is in UTC"
    return moment


# --- agenda --json --------------------------------------------------------------------


def test_agenda_json_of_demo_data(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    add_demo_leads(ctx, 120, seed=11)

    document = agenda(capsys, data_dir, "--timezone", "Europe/Berlin")

    assert list(document) == list(BUCKETS)
    for bucket in BUCKETS:
        for entry in document[bucket]:
            assert set(entry) == ENTRY_KEYS
            assert isinstance(entry["lead_id"], int)
            assert entry["name"]
    assert all(document[bucket] for bucket in BUCKETS), "demo data fills every bucket"
    # Each follow-up is in the bucket its due time says, in due order.
    assert all(due(e) < TEST_NOW for e in document["overdue"])
    assert all(TEST_NOW <= due(e) < BERLIN_TOMORROW_STARTS for e in document["today"])
    assert all(BERLIN_TOMORROW_STARTS <= due(e) < BERLIN_WEEK_ENDS for e in document["upcoming"])
    for bucket in ("overdue", "today", "upcoming"):
        dues = [due(entry) for entry in document[bucket]]
        assert dues == sorted(dues)
    # Every open follow-up due before the week ends is listed exactly once, with its note.
    listed = {
        entry["follow_up_id"]: (entry["lead_id"], due(entry), entry["note"])
        for bucket in ("overdue", "today", "upcoming")
        for entry in document[bucket]
    }
    expected = {
        row.id: (row.lead_id, row.due_at, row.note)
        for row in open_follow_up_rows(ctx)
        if row.due_at < BERLIN_WEEK_ENDS
    }
    assert listed == expected
    # No next step: exactly the open leads whose list record has no next follow-up.
    records = listing(capsys, data_dir)
    without = {
        r["id"]
        for r in records
        if r["next_follow_up"] is None and r["stage"] not in ("customer", "disqualified")
    }
    assert {entry["lead_id"] for entry in document["no_next_step"]} == without
    for entry in document["no_next_step"]:
        assert (entry["follow_up_id"], entry["due"], entry["note"]) == (None, None, None)
    names = {r["id"]: f"{r['first_name']} {r['last_name']}" for r in records}
    assert all(entry["name"] == names[entry["lead_id"]] for entry in document["no_next_step"])


def test_agenda_days_follow_the_time_zone(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    ctx: OperationContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Anna"}).value
    last_minute_today = add_follow_up(
        ctx, lead_id, BERLIN_TOMORROW_STARTS - dt.timedelta(minutes=1)
    ).value
    berlin_midnight = add_follow_up(ctx, lead_id, BERLIN_TOMORROW_STARTS).value

    def bucket_ids(document: dict[str, Any]) -> dict[str, list[int]]:
        return {name: [e["follow_up_id"] for e in document[name]] for name in BUCKETS[:3]}

    berlin = bucket_ids(agenda(capsys, data_dir, "--timezone", "Europe/Berlin"))
    assert berlin == {"overdue": [], "today": [last_minute_today], "upcoming": [berlin_midnight]}
    # 18:00 in New York is still the same day.
    new_york = bucket_ids(agenda(capsys, data_dir, "--timezone", "America/New_York"))
    assert new_york["today"] == [last_minute_today, berlin_midnight]
    # Without --timezone: $TZ.
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert bucket_ids(agenda(capsys, data_dir)) == berlin


def test_agenda_on_an_empty_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert agenda(capsys, tmp_path / "new") == {bucket: [] for bucket in BUCKETS}


def test_agenda_text(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Jürgen", "last_name": "Schäfer"}).value
    create_lead(ctx, {"first_name": "Forgotten"})
    follow_up_id = add_follow_up(ctx, lead_id, TEST_NOW - HOUR, "Call back").value

    result = run(capsys, "--data-dir", data_dir, "agenda", "--timezone", "Europe/Berlin")

    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert lines[0] == "Overdue (1)"
    assert f"#{follow_up_id}" in lines[1]
    assert "Tue 17 Nov 2026 10:30 CET" in lines[1]
    assert "Jürgen Schäfer (lead 1) — Call back" in lines[1]
    assert "Today (0)" in lines
    assert "No next step (1)" in lines
    assert "Forgotten" in lines[-1]


def test_agenda_refuses_an_unknown_time_zone(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    result = run(capsys, "--data-dir", data_dir, "agenda", "--timezone", "Mars/Olympus")
    assert "'Mars/Olympus' is not a time zone" in assert_one_line_error(result, 2)


# --- agenda --ics ---------------------------------------------------------------------


def test_agenda_ics_holds_every_open_follow_up(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext, tmp_path: Path
) -> None:
    add_demo_leads(ctx, 40, seed=3)
    lead_id = create_lead(ctx, {"first_name": "Zoë", "last_name": "Quiñones"}).value
    noted = add_follow_up(ctx, lead_id, TEST_NOW + 40 * 24 * HOUR, "Send the contract").value
    done = add_follow_up(ctx, lead_id, TEST_NOW + HOUR).value
    complete_follow_up(ctx, done)
    trashed = create_lead(ctx, {"first_name": "Trashed"}).value
    add_follow_up(ctx, trashed, TEST_NOW + HOUR)
    delete_leads(ctx, [trashed])
    output = tmp_path / "follow-ups.ics"

    result = run(capsys, "--data-dir", data_dir, "agenda", "--ics", output)

    expected = {row.id: row for row in open_follow_up_rows(ctx)}
    assert (result.code, result.err) == (0, "")
    assert result.out == f"Wrote {len(expected)} open follow-ups to {output}.\n"
    calendar = Calendar.from_ical(output.read_bytes())
    assert str(calendar["VERSION"]) == "2.0"
    assert "LeadDesk" in str(calendar["PRODID"])
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {f"follow-up-{follow_up_id}@leaddesk" for follow_up_id in expected}
    with ctx.db.reading() as connection:
        names = {
            row.id: f"{row.first_name} {row.last_name}"
            for row in connection.execute(select(leads.c.id, leads.c.first_name, leads.c.last_name))
        }
    for follow_up_id, row in expected.items():
        event = events[f"follow-up-{follow_up_id}@leaddesk"]
        start = event.decoded("DTSTART")
        assert start == row.due_at
        assert start.utcoffset() == dt.timedelta(0)
        assert event.decoded("DURATION") == dt.timedelta(minutes=15)
        assert str(event["SUMMARY"]) == f"Follow up: {names[row.lead_id]}"
        description = str(event["DESCRIPTION"])
        assert description.endswith(f"LeadDesk lead #{row.lead_id}")
        if row.note:
            assert description.startswith(row.note)
        assert str(event["URL"]) == f"leaddesk://lead/{row.lead_id}"
        assert str(event["X-LEADDESK-LEAD-ID"]) == str(row.lead_id)
    contract = events[f"follow-up-{noted}@leaddesk"]
    assert str(contract["SUMMARY"]) == "Follow up: Zoë Quiñones"
    assert str(contract["DESCRIPTION"]) == f"Send the contract\n\nLeadDesk lead #{lead_id}"


def test_agenda_ics_replaces_a_file_and_refuses_bad_places(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "old.ics"
    output.write_text("old contents")
    assert run(capsys, "--data-dir", data_dir, "agenda", "--ics", output).code == 0
    assert len(Calendar.from_ical(output.read_bytes()).walk("VEVENT")) == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []

    missing = run(capsys, "--data-dir", data_dir, "agenda", "--ics", tmp_path / "no" / "a.ics")
    assert "there is no folder" in assert_one_line_error(missing, 2).lower()
    folder = run(capsys, "--data-dir", data_dir, "agenda", "--ics", tmp_path)
    assert "is a folder" in assert_one_line_error(folder, 2)
    both = run(capsys, "--data-dir", data_dir, "agenda", "--json", "--ics", output)
    assert "not allowed with argument" in assert_one_line_error(both, 2)
