"""The bar at the top when the database cannot be changed, and the window's refusals."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leaddesk.errors import UserError
from leaddesk.operations.backups import back_up
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.storage import health
from leaddesk.storage.backup import BackupKind
from leaddesk.storage.database import Database, Location, open_database
from leaddesk.storage.health import damaged_error
from leaddesk.storage.schema import leads
from leaddesk.ui.app import WindowShell, build_window
from leaddesk.ui.main_window import MainWindow
from leaddesk.ui.runner import DAMAGED_SENTENCE
from leaddesk.ui.safety.database_banner import DAMAGED_TEXT, NO_BACKUP_SENTENCE, NOT_SAVED_TEXT
from leaddesk.ui.safety.recovery_window import RecoveryWindow
from tests.fixtures.damaged_database import damage_a_page, leaddesk_database, sqlite_url
from tests.ui.conftest import CollectingRunner


def lead_count(db: Database) -> int:
    with db.reading() as connection:
        return int(connection.execute(select(func.count()).select_from(leads)).scalar_one())


@pytest.fixture
def damaged(tmp_path: Path) -> Iterator[tuple[Database, Path]]:
    """1200 leads, a daily-style backup of them, then a page of the leads table ruined."""
    folder = tmp_path / "data"
    path = leaddesk_database(folder)
    location = Location(folder, sqlite_url(path))
    back_up(location, kind=BackupKind.DAILY)  # into the backup folder
    damage_a_page(path)
    db = open_database(location)
    yield db, path
    db.close()


def _runner(db: Database, clock) -> CollectingRunner:
    return CollectingRunner(OperationContext(db=db, clock=clock, actor="Test User"))


def test_a_damaged_database_opens_the_recovery_window_with_the_banner(qtbot, damaged, clock):
    db, _path = damaged
    assert db.refusal is not None
    runner = _runner(db, clock)
    window, recovery = build_window(runner)
    qtbot.addWidget(window)
    window.show()
    assert isinstance(window, RecoveryWindow)
    banner = recovery.banner
    assert banner.isVisible()
    assert banner.text.text() == DAMAGED_TEXT
    assert banner.restore_button.isVisible()
    assert banner.export_button.isVisible()
    assert not banner.dismiss_button.isVisible()


def test_export_what_can_be_read_saves_the_readable_leads_in_the_background(
    qtbot, damaged, clock, tmp_path
):
    db, _path = damaged
    runner = _runner(db, clock)
    window, recovery = build_window(runner)
    qtbot.addWidget(window)
    output = tmp_path / "saved.csv"
    with qtbot.waitSignal(recovery.message, timeout=20000) as said:
        recovery.export_readable(output)
    message = said.args[0]
    with open(output, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    saved = len(rows) - 1
    # Most leads are saved, those on the ruined page are not, and the user is told both.
    assert 1000 < saved < 1200
    assert message.startswith(f"Saved {saved:,} leads to {output}, and all that could be read")
    assert "could not be read and were skipped" in message
    # Beside it, the database to restore, named in the message with the window's way in.
    assert (tmp_path / "saved.sqlite3").is_file()
    assert f"to {tmp_path / 'saved.sqlite3'} (" in message
    assert "Restore… (Ctrl+Shift+R), From file…" in message
    assert runner.errors == []
    assert not list(tmp_path.glob(".saved.*.part*"))


def test_restore_the_latest_backup_brings_the_normal_window_back(
    qtbot, damaged, clock, monkeypatch
):
    from leaddesk.ui.safety.backups_dialog import BackupsDialog

    db, _path = damaged
    monkeypatch.setattr(BackupsDialog, "confirm", lambda _self, _question: True)
    runner = _runner(db, clock)
    shell = WindowShell(runner, interactive=False)
    # Not handed to qtbot: the shell deletes it once the normal window took its place.
    assert isinstance(shell.window, RecoveryWindow)

    shell.recovery.banner.restore_button.click()
    qtbot.waitUntil(lambda: isinstance(shell.window, MainWindow), timeout=20000)
    qtbot.addWidget(shell.window)
    assert db.refusal is None
    assert lead_count(db) == 1200
    assert not shell.recovery.banner.isVisible()
    # Writable again: the next edit is stored.
    create_lead(runner.ctx, {"first_name": "After"})
    assert lead_count(db) == 1201
    assert runner.errors == []


def test_restore_without_any_backup_says_so(qtbot, tmp_path, clock):
    folder = tmp_path / "data"
    path = leaddesk_database(folder, leads=400)
    damage_a_page(path)
    db = open_database(Location(folder, sqlite_url(path)))
    try:
        runner = _runner(db, clock)
        window, recovery = build_window(runner)
        qtbot.addWidget(window)
        recovery.banner.restore_button.click()
        assert runner.errors == [NO_BACKUP_SENTENCE]
    finally:
        db.close()


def test_every_write_in_a_damaged_window_says_why_in_one_sentence(qtbot, ctx, make_lead):
    make_lead("Ada")
    path = Path(ctx.db.engine.url.database or "")
    # Damage the board can still read around: found by the daily check, say.
    ctx.db.refusal = damaged_error(path)
    runner = CollectingRunner(ctx)
    refused: list[object] = []
    runner.refused.connect(refused.append)
    window, recovery = build_window(runner)
    qtbot.addWidget(window)
    window.show()
    assert isinstance(window, MainWindow)
    assert recovery.banner.isVisible()
    assert recovery.banner.text.text() == DAMAGED_TEXT

    assert runner.run(create_lead, {"first_name": "Bo"}) is None
    # Said in the bar and the status line, not in a message box.
    assert runner.errors == []
    assert window.statusBar().currentMessage() == NOT_SAVED_TEXT
    assert len(refused) == 1
    assert lead_count(ctx.db) == 1


def test_a_refused_write_under_a_dialog_still_says_why_in_one_sentence(
    qtbot, ctx, make_lead, monkeypatch
):
    from leaddesk.ui.safety import database_banner

    make_lead("Ada")
    ctx.db.refusal = damaged_error(Path(ctx.db.engine.url.database or ""))
    runner = CollectingRunner(ctx)
    window, _recovery = build_window(runner)
    qtbot.addWidget(window)
    # A dialog covers the window's bar: the refusal comes over it.
    monkeypatch.setattr(database_banner, "_no_dialog_open", lambda: False)
    runner.damage_in_bar = database_banner._no_dialog_open
    assert runner.run(create_lead, {"first_name": "Bo"}) is None
    assert runner.errors == [DAMAGED_SENTENCE]
    assert "Traceback" not in runner.errors[0]
    assert runner.errors[0].count(".") == 1  # one sentence


def test_damage_found_mid_session_turns_the_bar_red_without_a_message_box(qtbot, tmp_path, clock):
    folder = tmp_path / "data"
    path = leaddesk_database(folder, leads=1200)
    db = open_database(Location(folder, sqlite_url(path)))
    try:
        runner = _runner(db, clock)
        window, recovery = build_window(runner)
        qtbot.addWidget(window)
        window.show()
        assert isinstance(window, MainWindow)
        assert not recovery.banner.isVisible()

        damage_a_page(path)  # a failing disk, while the window is open
        db.engine.dispose()  # no page cached from before
        found: list[BaseException] = []

        def background_read() -> None:  # an export, a count: any thread finds it
            try:
                with db.reading() as connection:
                    connection.execute(select(leads.c.notes)).all()
            except UserError as error:
                found.append(error)

        reader = threading.Thread(target=background_read)
        reader.start()
        reader.join()
        assert len(found) == 1
        qtbot.waitUntil(recovery.banner.isVisible, timeout=5000)
        assert recovery.banner.text.text() == DAMAGED_TEXT
        assert recovery.banner.restore_button.isVisible()
        assert recovery.banner.export_button.isVisible()
        assert runner.errors == []

        # Nothing is written after that.
        before = path.read_bytes()
        assert runner.run(create_lead, {"first_name": "Lost?"}) is None
        assert runner.errors == []
        assert window.statusBar().currentMessage() == NOT_SAVED_TEXT
        assert path.read_bytes() == before
    finally:
        db.close()


def test_a_read_only_database_gets_the_quiet_bar_and_refuses_writes(
    qtbot, data_dir, clock, monkeypatch
):
    location = Location(data_dir, f"sqlite:///{data_dir / 'leaddesk.sqlite3'}")
    open_database(location).close()
    monkeypatch.setattr(health, "is_writable", lambda _path: False)
    db = open_database(location)
    try:
        assert db.refusal is not None
        runner = _runner(db, clock)
        window, recovery = build_window(runner)
        qtbot.addWidget(window)
        window.show()
        banner = recovery.banner
        assert isinstance(window, MainWindow)
        assert banner.isVisible()
        assert banner.text.text().startswith("Read-only: LeadDesk cannot change")
        assert "the file is read-only" in banner.text.text()
        assert not banner.restore_button.isVisible()
        assert banner.dismiss_button.isVisible()

        assert runner.run(create_lead, {"first_name": "Bo"}) is None
        assert runner.errors == [str(db.refusal)]
        banner.dismiss_button.click()
        assert not banner.isVisible()
        # A refused write shows the reason again.
        runner.run(create_lead, {"first_name": "Bo"})
        assert banner.isVisible()
        assert lead_count(db) == 0
    finally:
        db.close()


def test_a_whole_writable_database_has_no_bar(qtbot, runner):
    window, recovery = build_window(runner)
    qtbot.addWidget(window)
    window.show()
    assert isinstance(window, MainWindow)
    assert not recovery.banner.isVisible()
