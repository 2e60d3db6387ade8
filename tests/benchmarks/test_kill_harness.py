"""A few kill -9s at random moments of an import, an undo-import and a backup.

Each leaves a database that passes ``integrity_check`` with every table's row
count as before the command or as after it, never in between; a killed backup
leaves no half-written file listed as a backup. ``make bench`` runs many more
(benchmarks/kill_harness.py).
"""

from __future__ import annotations

import random
import signal
from pathlib import Path

import pytest

from benchmarks.kill_harness import run_all


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kills_leave_every_database_whole_and_as_before_or_after(tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    outcomes = run_all(tmp_path, rows=20_000, kills=3, seed=seed)

    assert [outcome.command for outcome in outcomes] == ["import", "undo-import", "backup"]
    for outcome in outcomes:
        assert outcome.problems == [], f"seed {seed}"
        assert outcome.kills == outcome.before + outcome.after == 3
