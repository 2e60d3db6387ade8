"""Fixtures shared by the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def fresh_dir(tmp_path: Path) -> Path:
    """A data folder that does not exist yet."""
    return tmp_path / "fresh data"
