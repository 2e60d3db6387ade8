"""``leaddesk`` with no command: open the window."""

from __future__ import annotations

import argparse

from leaddesk.cli.context import open_context


def run(args: argparse.Namespace) -> int:
    # Checked before Qt is loaded, so a missing display or library is one sentence
    # saying what to install instead of Qt aborting the process.
    from leaddesk.ui.platform_check import check_can_show_window

    check_can_show_window()
    ctx = open_context(args)
    from leaddesk.ui.app import run_app

    return run_app(ctx, theme=getattr(args, "window_theme", None))
