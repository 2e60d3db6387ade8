"""Two LeadDesks starting at once on an old schema: one migrates, the other waits, neither fails."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from alembic import command
from alembic.config import Config

from leaddesk.storage.database import create_database_engine
from leaddesk.storage.migrate import HEAD_REVISION, migrations_path

REPO_ROOT = Path(__file__).resolve().parents[2]
OLD_REVISION = "0004_sla_applies"

# Each process waits for the go file, then opens (and so migrates) the database.
# The migration is slowed after it read the revision, so that both are sure to
# have read the old one before either writes: the race the write lock settles.
_START = """
import sys, time
from pathlib import Path
from alembic import command
from sqlalchemy import text
from leaddesk.storage.database import Location, open_database

original = command.upgrade
def slow_upgrade(config, revision):
    connection = config.attributes["connection"]
    connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    time.sleep(0.5)
    original(config, revision)
command.upgrade = slow_upgrade

folder, go = Path(sys.argv[1]), Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
db = open_database(Location(folder, 'sqlite:///' + str(folder / 'leaddesk.sqlite3')))
db.close()
print('opened')
"""


def _old_database(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "leaddesk.sqlite3"
    engine = create_database_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, OLD_REVISION)
        connection.exec_driver_sql(
            "INSERT INTO leads (first_name, created_at, updated_at) "
            "VALUES ('Old', '2026-11-17 10:30:00', '2026-11-17 10:30:00')"
        )
    engine.dispose()
    return path


def test_two_processes_migrating_one_old_database_at_once_both_open_it(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    path = _old_database(folder)
    go = tmp_path / "go"
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", _START, str(folder), str(go)],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    time.sleep(1.5)  # both have imported LeadDesk and wait for the go
    go.touch()
    results = [start.communicate(timeout=120) for start in starts]

    for start, (out, err) in zip(starts, results, strict=True):
        assert (start.returncode, out.strip()) == (0, "opened"), err[-2000:]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
        assert connection.execute("SELECT first_name FROM leads").fetchall() == [("Old",)]
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    connection.close()
