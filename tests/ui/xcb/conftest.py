"""Tests on a real X display (the xcb platform under Xvfb with openbox).

The offscreen platform has no window manager, no real focus or activation and
one small screen, so it hides focus, activation and size problems. These tests
run with ``make test-xcb`` (tests/ui/xcb/with_xvfb.sh); elsewhere they skip.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _needs_xcb() -> None:
    if os.environ.get("QT_QPA_PLATFORM") != "xcb":
        pytest.skip("runs on a real X display: make test-xcb")
