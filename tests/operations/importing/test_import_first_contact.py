"""Importing when leads were first (or last) contacted: the date, the countdown, duplicates, undo.

The HubSpot file (tests/fixtures/csv/first_contact/hubspot_engagement.csv) holds
five leads created two minutes before the test clock, in their first stage:
only what their contact columns say decides who waits for a first call.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from leaddesk.core.clock import FixedClock
from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import DuplicatePolicy, undo_import
from leaddesk.storage.agenda_queries import awaiting_first_contact
from tests.operations.importing.import_helpers import (
    FIXTURES,
    batch_of,
    lead_named,
    lead_rows,
    run_import,
    write_csv,
)

HUBSPOT = FIXTURES / "first_contact" / "hubspot_engagement.csv"
XLSX = FIXTURES.parent / "xlsx" / "first_contact.xlsx"


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def waiting_names(ctx: OperationContext) -> set[str]:
    """The leads the agenda lists as awaiting their first contact."""
    named = {lead["id"]: lead["first_name"] for lead in lead_rows(ctx)}
    with ctx.db.reading() as connection:
        return {named[lead_id] for lead_id in awaiting_first_contact(connection, list(named))}


def test_new_leads_get_their_first_contact_and_no_countdown(
    ctx: OperationContext, clock: FixedClock
) -> None:
    result = run_import(ctx, HUBSPOT)

    assert (result.created, result.rejected) == (5, 0)
    called = lead_named(ctx, "Called", "Quickly")
    assert called["first_contacted_at"] == utc(2026, 11, 17, 10, 29)
    assert not called["sla_applies"]
    # Only the leads nobody is known to have contacted wait for a call.
    assert result.countdowns == 2
    clock.advance(dt.timedelta(minutes=1))
    assert waiting_names(ctx) == {"Fresh", "Planned"}


def test_a_last_contact_spares_the_countdown_and_is_kept_in_the_notes(
    ctx: OperationContext,
) -> None:
    run_import(ctx, HUBSPOT)
    worked = lead_named(ctx, "Worked", "Lately")
    assert worked["first_contacted_at"] is None  # a last contact is no first one
    assert not worked["sla_applies"]
    assert "Last Contacted: 2026-11-17 10:29" in worked["notes"]


def test_a_future_first_contact_is_refused_with_a_note(ctx: OperationContext) -> None:
    result = run_import(ctx, HUBSPOT)
    planned = lead_named(ctx, "Planned", "Call")
    assert planned["first_contacted_at"] is None
    assert planned["sla_applies"]
    assert "Date of first engagement: 2026-12-01 09:00" in planned["notes"]
    assert result.noted == 1
    [note] = result.notes
    assert (note.line_number, note.column, note.value) == (
        5,
        "Date of first engagement",
        "2026-12-01 09:00",
    )
    assert note.reason.startswith("'2026-12-01 09:00' is in the future")


def test_a_first_contact_before_the_created_date_moves_nothing(ctx: OperationContext) -> None:
    run_import(ctx, HUBSPOT)
    early = lead_named(ctx, "Early", "Bird")
    assert early["created_at"] == utc(2026, 11, 10, 9, 0)
    assert early["first_contacted_at"] == utc(2026, 11, 1, 8, 0)


def test_the_first_contact_alone_decides_the_countdown(
    ctx: OperationContext, tmp_path: Path
) -> None:
    rows = [
        ["Email", "Temperature", "Create Date", "First contacted"],
        ["ana@example.com", "hot", "2026-11-17 10:29", "2026-11-17 10:29:30"],
        ["ben@example.com", "hot", "2026-11-17 10:29", ""],
    ]
    result = run_import(ctx, write_csv(tmp_path / "leads.csv", rows))
    assert (result.created, result.countdowns) == (2, 1)
    stored = {lead["email"]: lead for lead in lead_rows(ctx)}
    assert not stored["ana@example.com"]["sla_applies"]
    assert stored["ben@example.com"]["sla_applies"]


def test_rows_created_anyway_keep_their_first_contact(ctx: OperationContext) -> None:
    run_import(ctx, HUBSPOT)
    again = run_import(ctx, HUBSPOT, DuplicatePolicy.CREATE)
    assert (again.created, again.countdowns) == (5, 2)
    contacted = [lead["first_contacted_at"] for lead in lead_rows(ctx)]
    assert contacted.count(utc(2026, 11, 17, 10, 29)) == 2


# --- duplicates ---------------------------------------------------------------------


def contact_file(tmp_path: Path, when: str) -> Path:
    return write_csv(
        tmp_path / f"contact-{when[:10]}.csv",
        [["Email", "First contacted"], ["ana@example.com", when]],
    )


def first_contact_of(ctx: OperationContext) -> dt.datetime | None:
    [lead] = lead_rows(ctx)
    return lead["first_contacted_at"]


@pytest.fixture
def ana(ctx: OperationContext, tmp_path: Path) -> None:
    """A lead imported without a first contact."""
    run_import(ctx, write_csv(tmp_path / "ana.csv", [["Email"], ["ana@example.com"]]))


@pytest.mark.usefixtures("ana")
def test_skip_leaves_a_stored_lead_uncontacted(ctx: OperationContext, tmp_path: Path) -> None:
    result = run_import(ctx, contact_file(tmp_path, "2026-11-10 09:00"), DuplicatePolicy.SKIP)
    assert (result.skipped, first_contact_of(ctx)) == (1, None)


@pytest.mark.usefixtures("ana")
def test_fill_gives_an_uncontacted_lead_its_first_contact_only_once(
    ctx: OperationContext, tmp_path: Path
) -> None:
    filled = run_import(ctx, contact_file(tmp_path, "2026-11-10 09:00"), DuplicatePolicy.FILL)
    assert (filled.updated, first_contact_of(ctx)) == (1, utc(2026, 11, 10, 9, 0))
    earlier = run_import(ctx, contact_file(tmp_path, "2026-11-02 09:00"), DuplicatePolicy.FILL)
    assert (earlier.skipped, first_contact_of(ctx)) == (1, utc(2026, 11, 10, 9, 0))


@pytest.mark.usefixtures("ana")
def test_overwrite_moves_the_first_contact_earlier_never_later(
    ctx: OperationContext, tmp_path: Path
) -> None:
    policy = DuplicatePolicy.OVERWRITE
    run_import(ctx, contact_file(tmp_path, "2026-11-10 09:00"), policy)
    later = run_import(ctx, contact_file(tmp_path, "2026-11-12 09:00"), policy)
    assert (later.skipped, first_contact_of(ctx)) == (1, utc(2026, 11, 10, 9, 0))
    earlier = run_import(ctx, contact_file(tmp_path, "2026-11-02 09:00"), policy)
    assert (earlier.updated, first_contact_of(ctx)) == (1, utc(2026, 11, 2, 9, 0))


@pytest.mark.usefixtures("ana")
def test_a_logged_call_stands_against_a_later_imported_date(
    ctx: OperationContext, tmp_path: Path
) -> None:
    [lead] = lead_rows(ctx)
    log_activity(ctx, lead["id"], "call", occurred_at=utc(2026, 11, 5, 9, 0))
    run_import(ctx, contact_file(tmp_path, "2026-11-10 09:00"), DuplicatePolicy.OVERWRITE)
    assert first_contact_of(ctx) == utc(2026, 11, 5, 9, 0)


@pytest.mark.usefixtures("ana")
def test_undo_takes_the_first_contact_back(ctx: OperationContext, tmp_path: Path) -> None:
    policy = DuplicatePolicy.OVERWRITE
    run_import(ctx, contact_file(tmp_path, "2026-11-10 09:00"), policy)
    earlier = run_import(ctx, contact_file(tmp_path, "2026-11-02 09:00"), policy)
    undo_import(ctx, batch_of(earlier))
    assert first_contact_of(ctx) == utc(2026, 11, 10, 9, 0)


# --- Excel ----------------------------------------------------------------------------


def test_a_workbooks_date_cells_give_the_first_contact(
    ctx: OperationContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")  # where the sheet's times were typed
    result = run_import(ctx, XLSX)
    assert (result.created, result.countdowns) == (3, 0)
    by_name = {lead["first_name"]: lead["first_contacted_at"] for lead in lead_rows(ctx)}
    assert by_name == {
        # 14:15 in Berlin (UTC+1 in March)
        "Anna": utc(2026, 3, 2, 13, 15),
        # A date alone: midnight of that day.
        "José": utc(2026, 3, 4, 0, 0),
        "Keiko": None,
    }


def test_salesforce_first_call_and_first_email_both_count_as_a_contact(
    ctx: OperationContext, tmp_path: Path
) -> None:
    # Salesforce carries a first-contact date per channel; one column fills the
    # field, the other's dates are kept and still spare the countdown.
    created = "2026-11-17T10:27:00.000+0000"  # two minutes before the test clock
    path = write_csv(
        tmp_path / "salesforce.csv",
        [
            [
                "FirstName",
                "LastName",
                "Email",
                "CreatedDate",
                "FirstCallDateTime",
                "FirstEmailDateTime",
            ],
            ["Called", "First", "called@example.com", created, "2026-11-17T10:28:00.000+0000", ""],
            ["Mailed", "Only", "mailed@example.com", created, "", "2026-11-17T10:28:30.000+0000"],
            ["Nobody", "Yet", "nobody@example.com", created, "", ""],
        ],
    )

    result = run_import(ctx, path)

    assert (result.created, result.rejected) == (3, 0)
    assert lead_named(ctx, "Called", "First")["first_contacted_at"] == utc(2026, 11, 17, 10, 28)
    mailed = lead_named(ctx, "Mailed", "Only")
    assert mailed["first_contacted_at"] is None  # only one column fills the field
    assert not mailed["sla_applies"]
    assert "FirstEmailDateTime: 2026-11-17T10:28:30.000+0000" in mailed["notes"]
    assert lead_named(ctx, "Nobody", "Yet")["sla_applies"]
    assert result.countdowns == 1
