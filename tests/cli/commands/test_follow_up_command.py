"""`leaddesk follow-up` and `done`, and the mistakes of every follow-up command.

The commands run in-process with the system clock standing still at TEST_NOW
(Tuesday 17 November 2026, 10:30 UTC = 11:30 in Berlin).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import add_follow_up, complete_follow_up
from leaddesk.operations.leads import create_lead
from leaddesk.storage.schema import activities, follow_ups, leads
from tests.cli.helpers import (
    TEST_NOW,
    Run,
    agenda,
    assert_one_line_error,
    run,
)

HOUR = dt.timedelta(hours=1)


# The developer's $TZ must not choose the days; the command line reads the test clock.
pytestmark = pytest.mark.usefixtures("no_tz", "frozen_system_clock")


def follow_up_cmd(
    capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str | int
) -> dict[str, Any]:
    result = run(capsys, "--data-dir", data_dir, "follow-up", *map(str, argv), "--json")
    assert (result.code, result.err) == (0, ""), result.err
    created: dict[str, Any] = json.loads(result.out)
    return created


def test_follow_up_then_done(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Anna", "temperature": "hot"}).value
    assert [e["lead_id"] for e in agenda(capsys, data_dir)["no_next_step"]] == [lead_id]

    created = follow_up_cmd(
        capsys, data_dir, lead_id, "tomorrow", "Call back", "--timezone", "Europe/Berlin"
    )

    follow_up_id = created["follow_up_id"]
    assert created == {
        "follow_up_id": follow_up_id,
        "lead_id": lead_id,
        "due": "2026-11-18T08:00:00+00:00",  # Wednesday 09:00 CET
    }
    document = agenda(capsys, data_dir, "--timezone", "Europe/Berlin")
    assert document["upcoming"] == [
        {
            "follow_up_id": follow_up_id,
            "lead_id": lead_id,
            "name": "Anna",
            "due": "2026-11-18T08:00:00+00:00",
            "note": "Call back",
        }
    ]
    assert document["no_next_step"] == []

    result = run(capsys, "--data-dir", data_dir, "done", str(follow_up_id))

    assert (result.code, result.err) == (0, "")
    assert f"follow-up {follow_up_id}" in result.out
    assert f"leaddesk follow-up {lead_id} WHEN" in result.out
    document = agenda(capsys, data_dir)
    assert document["upcoming"] == []
    assert [e["lead_id"] for e in document["no_next_step"]] == [lead_id]
    with ctx.db.reading() as connection:
        logged = connection.execute(select(activities.c.kind, activities.c.text)).all()
        first_contact = connection.execute(select(leads.c.first_contacted_at)).scalar_one()
    assert [tuple(row) for row in logged] == [("call", "Call back")]
    assert first_contact == TEST_NOW


@pytest.mark.parametrize(
    ("when", "due_at"),
    [
        ("2026-12-01T14:00", "2026-12-01T13:00:00+00:00"),  # local, CET
        ("2026-12-01T14:00Z", "2026-12-01T14:00:00+00:00"),
        ("2026-12-01", "2026-12-01T08:00:00+00:00"),  # 09:00 CET
        ("in a week", "2026-11-24T10:30:00+00:00"),
        ("afternoon", "2026-11-17T13:00:00+00:00"),
    ],
)
def test_follow_up_when(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    ctx: OperationContext,
    when: str,
    due_at: str,
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Anna"}).value
    created = follow_up_cmd(capsys, data_dir, lead_id, when, "--timezone", "Europe/Berlin")
    assert created["due"] == due_at


def test_follow_up_text_says_when_in_local_time(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Anna"}).value
    argv = ["--data-dir", str(data_dir), "follow-up", str(lead_id)]
    result = run(capsys, *argv, "next-monday", "--timezone", "Europe/Berlin")
    assert (result.code, result.err) == (0, "")
    assert result.out == f"Added follow-up 1 to lead {lead_id}, due Mon 23 Nov 2026 09:00 CET.\n"
    past = run(capsys, *argv, "2026-11-01T09:00", "--timezone", "Europe/Berlin")
    assert past.out.endswith("(already overdue).\n")


def user_mistake(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str | int) -> str:
    result: Run = run(capsys, "--data-dir", data_dir, *map(str, argv))
    return assert_one_line_error(result, 2)


def test_user_mistakes_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Anna"}).value
    follow_up_id = add_follow_up(ctx, lead_id, TEST_NOW + HOUR).value
    complete_follow_up(ctx, follow_up_id)

    def says(*argv: str | int) -> str:
        return user_mistake(capsys, data_dir, *argv)

    assert "There is no lead with id 999." in says("follow-up", 999, "tomorrow")
    assert "'someday' is not a time LeadDesk understands" in says("follow-up", lead_id, "someday")
    assert "'2026-02-30' is not a date on the calendar" in says("follow-up", lead_id, "2026-02-30")
    assert "'anna' is not an id" in says("follow-up", "anna", "tomorrow")
    assert "is not a time zone" in says("follow-up", lead_id, "1h", "--timezone", "Nowhere")
    assert "There is no follow-up with id 999." in says("done", 999)
    assert f"Follow-up {follow_up_id} is already done." in says("done", follow_up_id)
    assert "invalid choice: 'walk'" in says("done", follow_up_id, "--kind", "walk")
    assert f"Follow-up {follow_up_id} is already done." in says("snooze", follow_up_id, "1h")
    assert "invalid choice: '2h'" in says("snooze", follow_up_id, "2h")
    assert "invalid choice: 'dance'" in says("log", lead_id, "dance")
    assert "There is no lead with id 999." in says("log", 999, "call")
    assert "the following arguments are required: KIND" in says("log", lead_id)
    with ctx.db.reading() as connection:
        assert len(connection.execute(select(follow_ups.c.id)).all()) == 1
