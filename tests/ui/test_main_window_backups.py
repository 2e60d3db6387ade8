"""The File menu's Back up… and Restore…, with their shortcuts."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from leaddesk.storage.database import Location
from tests.ui.windows import active_main_window


def test_the_file_menu_has_back_up_and_restore_with_shortcuts(qtbot, runner):
    window = active_main_window(qtbot, runner)
    file_menu = window.menuBar().actions()[0].menu()
    by_text = {action.text(): action for action in file_menu.actions()}

    assert by_text["&Back up…"] is window.backup_action
    assert by_text["&Restore…"] is window.restore_action
    assert window.backup_action.shortcut() == QKeySequence("Ctrl+B")
    assert window.restore_action.shortcut() == QKeySequence("Ctrl+Shift+R")


def test_team_mode_says_backups_are_the_servers_job(qtbot, runner):
    window = active_main_window(qtbot, runner)
    location = runner.ctx.db.location
    runner.ctx.db.location = Location(location.data_dir, "postgresql://sales@db.example/leads")
    try:
        window.backup_action.trigger()
        window.restore_action.trigger()
    finally:
        runner.ctx.db.location = location
    assert len(runner.errors) == 2
    assert all("team mode" in error and "server's job" in error for error in runner.errors)
