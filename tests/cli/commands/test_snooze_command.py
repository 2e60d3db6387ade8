"""`leaddesk snooze`: put a follow-up off for a while.

The commands run in-process with the system clock standing still at TEST_NOW
(Tuesday 17 November 2026, 10:30 UTC = 11:30 in Berlin).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.leads import create_lead
from tests.cli.helpers import TEST_NOW, agenda, run

HOUR = dt.timedelta(hours=1)


# The developer's $TZ must not choose the days; the command line reads the test clock.
pytestmark = pytest.mark.usefixtures("no_tz", "frozen_system_clock")


def test_snooze(capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext) -> None:
    lead_id = create_lead(ctx, {"first_name": "Anna"}).value
    follow_up_id = add_follow_up(ctx, lead_id, TEST_NOW - HOUR).value

    result = run(capsys, "--data-dir", data_dir, "snooze", str(follow_up_id), "15m")

    assert (result.code, result.err) == (0, "")
    (entry,) = agenda(capsys, data_dir)["today"]
    assert entry["due"] == "2026-11-17T10:45:00+00:00"
