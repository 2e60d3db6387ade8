"""Settings → Backups: the folder backups go to, used by the window and the command line."""

from __future__ import annotations

from leaddesk.operations.backups import backups_folder
from leaddesk.ui.settings.backups_page import BackupsSettingsPage


def test_the_default_folder_shows_and_another_folder_is_stored(qtbot, runner, ctx, tmp_path):
    page = BackupsSettingsPage(runner, None)
    qtbot.addWidget(page)
    assert page.folder.text() == ""
    assert page.folder.placeholderText() == str(ctx.db.location.data_dir / "backups")

    drive = tmp_path / "other drive"
    drive.mkdir()
    page.folder.setText(str(drive))
    assert page.save() is True

    assert backups_folder(ctx.db.location) == drive
    assert runner.errors == []
    reopened = BackupsSettingsPage(runner, None)
    qtbot.addWidget(reopened)
    assert reopened.folder.text() == str(drive)


def test_a_folder_that_is_not_there_is_refused(qtbot, runner, ctx, tmp_path):
    page = BackupsSettingsPage(runner, None)
    qtbot.addWidget(page)
    page.folder.setText(str(tmp_path / "nowhere"))

    assert page.save() is False
    assert runner.errors == [f"The folder {tmp_path / 'nowhere'} does not exist."]
    assert backups_folder(ctx.db.location) == ctx.db.location.data_dir / "backups"
