"""`leaddesk show`: one lead, its score and why, follow-ups and recent activities."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.leads import create_lead
from tests.cli.helpers import (
    TEST_NOW,
    assert_one_line_error,
    listing,
    run,
)

pytestmark = pytest.mark.usefixtures("frozen_system_clock")


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")


def _lead(ctx: OperationContext) -> int:
    lead_id = create_lead(
        ctx, {"first_name": "Anna", "job_title": "Founder", "company": "Acme", "deal_value": 150000}
    ).value
    log_activity(ctx, lead_id, "demo_request", "Wants a demo")
    add_follow_up(ctx, lead_id, TEST_NOW + dt.timedelta(days=1), "Send the quote")
    return lead_id


def test_show_prints_fields_score_reasons_follow_ups_and_activities(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead_id = _lead(ctx)

    result = run(capsys, "--data-dir", data_dir, "show", str(lead_id))

    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert lines[0] == f"Lead {lead_id}: Anna · Acme"
    assert lines[1].startswith("Score 45 ")
    assert any("+25" in line and "demo" in line.lower() for line in lines)
    assert any(line.startswith("Deal value") and line.endswith("1,500") for line in lines)
    assert any("Wed 18 Nov 2026 10:30" in line and "Send the quote" in line for line in lines)
    assert any("demo_request (Test User)  Wants a demo" in line for line in lines)


def test_show_json_is_the_list_record_with_follow_ups_and_activities(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead_id = _lead(ctx)

    result = run(capsys, "--data-dir", data_dir, "show", str(lead_id), "--json")

    shown = json.loads(result.out)
    (listed,) = listing(capsys, data_dir)
    assert {k: v for k, v in shown.items() if k not in ("follow_ups", "activities")} == listed
    assert [f["note"] for f in shown["follow_ups"]] == ["Send the quote"]
    assert [(a["kind"], a["created_by"]) for a in shown["activities"]] == [
        ("demo_request", "Test User")
    ]


@pytest.mark.parametrize(
    ("lead", "words"),
    [("99", "no lead with id 99"), ("9" * 30, "too large"), ("abc", "not an id")],
)
def test_an_unknown_or_bad_id_is_one_sentence(
    capsys: pytest.CaptureFixture[str], data_dir: Path, lead: str, words: str
) -> None:
    result = run(capsys, "--data-dir", data_dir, "show", lead)
    assert words in assert_one_line_error(result, 2)
