"""`leaddesk info`: the version, the database and how many leads it holds."""

from __future__ import annotations

from pathlib import Path

import pytest

import leaddesk
from tests.cli.helpers import add_demo, run


def test_info_text(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    add_demo(capsys, data_dir, 3)
    result = run(capsys, "info", "--data-dir", data_dir)
    assert (result.code, result.err) == (0, "")
    assert f"LeadDesk {leaddesk.__version__}" in result.out
    assert "Leads: 3" in result.out.splitlines()
