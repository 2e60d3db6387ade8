"""``leaddesk --theme dark``: the window's colours for this run, over Settings → Appearance."""

from __future__ import annotations

import pytest

from leaddesk.cli import main
from leaddesk.ui import app as app_module
from leaddesk.ui import platform_check


@pytest.mark.parametrize(("argv", "theme"), [([], None), (["--theme", "dark"], "dark")])
def test_the_window_command_passes_its_theme(monkeypatch, tmp_path, argv, theme) -> None:
    started: list[str | None] = []
    monkeypatch.setattr(platform_check, "check_can_show_window", lambda: None)
    monkeypatch.setattr(app_module, "run_app", lambda _ctx, theme=None: started.append(theme) or 0)

    assert main(["--data-dir", str(tmp_path), *argv]) == 0
    assert started == [theme]
