"""Leftover ``.part`` files of interrupted exports are removed by the next export there."""

from __future__ import annotations

import os
import time
from pathlib import Path

from leaddesk.operations.context import OperationContext
from leaddesk.operations.exporting import export_leads
from leaddesk.operations.exporting.export_file import STALE_PART_SECONDS
from leaddesk.operations.leads import create_lead


def test_the_next_export_removes_stale_part_files_and_only_those(
    ctx: OperationContext, tmp_path: Path
) -> None:
    create_lead(ctx, {"first_name": "Ada"})
    folder = tmp_path / "exports"
    folder.mkdir()
    killed = folder / ".leads.csv.0a1b2c3d.part"  # an export killed an hour ago
    killed.write_bytes(b"x" * 10_000)
    old = time.time() - 3600
    os.utime(killed, (old, old))
    running = folder / ".other.csv.deadbeef.part"  # another export, still writing
    running.write_bytes(b"y")
    theirs = folder / "notes.part"  # not LeadDesk's naming: not ours to delete
    theirs.write_bytes(b"z")
    os.utime(theirs, (old, old))

    assert export_leads(ctx, folder / "leads.csv") == 1

    assert not killed.exists()
    assert running.exists()
    assert theirs.exists()
    assert STALE_PART_SECONDS <= 600
