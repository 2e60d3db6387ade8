"""`leaddesk log`: a contact or a signal logged on a lead, and its effect on the score.

The commands run in-process with the system clock standing still at TEST_NOW
(Tuesday 17 November 2026, 10:30 UTC = 11:30 in Berlin).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from tests.cli.helpers import TEST_NOW, listing, run

# The developer's $TZ must not choose the days; the command line reads the test clock.
pytestmark = pytest.mark.usefixtures("no_tz", "frozen_system_clock")


def test_log_a_signal_raises_the_score(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Anna", "job_title": "Founder"}).value
    (before,) = listing(capsys, data_dir)
    assert before["score"] == 20

    result = run(
        capsys, "--data-dir", data_dir, "log", str(lead_id), "demo_request", "Wants a demo"
    )

    assert (result.code, result.err) == (0, "")
    assert result.out == f"Logged demo request on lead {lead_id} (activity 1); score 45.\n"
    (after,) = listing(capsys, data_dir)
    assert after["score"] == 45  # +25 for requesting a demo (DOMAIN.md)
    assert after["first_contacted_at"] is None

    logged = run(capsys, "--data-dir", data_dir, "log", str(lead_id), "email", "--json")
    assert json.loads(logged.out) == {"activity_id": 2, "lead_id": lead_id, "score": 45}
    (contacted,) = listing(capsys, data_dir)
    assert dt.datetime.fromisoformat(contacted["first_contacted_at"]) == TEST_NOW
