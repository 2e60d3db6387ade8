"""The schema exists only through the Alembic migrations: check they build it right.

Covers: an empty file migrated to head, head and file names, migrations vs the
SQLAlchemy metadata (autogenerate finds nothing to do), downgrade and upgrade
again, refusing a database from a newer LeadDesk, backing up before an upgrade,
the default score rules, and the fast start-up path that never imports Alembic.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from leaddesk.core.scoring import DEFAULT_RULES
from leaddesk.errors import UserError
from leaddesk.operations.scoring import load_rules
from leaddesk.storage import database as database_module
from leaddesk.storage import migrate
from leaddesk.storage.backup import BackupKind, list_backups
from leaddesk.storage.database import Database, Location, create_database_engine, open_database
from leaddesk.storage.migrate import (
    HEAD_REVISION,
    current_revision,
    known_revisions,
    migrations_path,
    upgrade_to_head,
)
from leaddesk.storage.schema import metadata

# The lead table's lower(...) sort indexes exist only in the migrations (see schema.py):
# reflecting the database skips them with a warning.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_TABLES = {
    "owners",
    "leads",
    "activities",
    "follow_ups",
    "stage_history",
    "score_rules",
    "settings",
}
SEARCH_TRIGGERS = {"leads_search_insert", "leads_search_update", "leads_search_delete"}


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def alembic_config(connection: Any) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    config.attributes["connection"] = connection
    return config


def schema_objects(path: Path) -> dict[str, set[str]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT type, name FROM sqlite_master").fetchall()
    connection.close()
    objects: dict[str, set[str]] = {}
    for kind, name in rows:
        objects.setdefault(kind, set()).add(name)
    return objects


def dump(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def differences(connection: Any) -> list[Any]:
    """What Alembic's autogenerate would change to make the database match schema.py."""

    def include_object(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
        if type_ == "table" and name is not None:
            return not (name.startswith("lead_search") or name == "alembic_version")
        return True

    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "compare_server_default": True,
            "include_object": include_object,
        },
    )
    return compare_metadata(context, metadata)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    new_engine = create_database_engine(sqlite_url(tmp_path / "fresh.sqlite3"))
    yield new_engine
    new_engine.dispose()


def test_an_empty_file_is_migrated_to_head_with_every_table(tmp_path: Path) -> None:
    path = tmp_path / "data" / "leaddesk.sqlite3"
    path.parent.mkdir()
    path.touch()  # an empty file is an empty SQLite database
    database = open_database(Location(tmp_path / "data", sqlite_url(path)))
    try:
        assert current_revision(database.engine) == HEAD_REVISION
    finally:
        database.close()

    objects = schema_objects(path)
    assert APP_TABLES | {"alembic_version", "lead_search"} <= objects["table"]
    assert objects["trigger"] >= SEARCH_TRIGGERS
    with sqlite3.connect(path) as connection:
        (fts_sql,) = connection.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'lead_search'"
        ).fetchone()
    connection.close()
    assert "fts5" in fts_sql.lower()
    assert "remove_diacritics" in fts_sql
    # A brand-new database has nothing worth backing up.
    assert not (tmp_path / "data" / "backups").exists()


def test_upgrade_reports_the_revision_it_started_from(engine: Engine) -> None:
    assert current_revision(engine) is None
    assert upgrade_to_head(engine) is None
    assert current_revision(engine) == HEAD_REVISION
    assert upgrade_to_head(engine) == HEAD_REVISION  # already current: nothing to do


def test_alembic_head_is_head_revision_and_file_names_are_revision_ids() -> None:
    scripts = ScriptDirectory.from_config(alembic_config(None))
    assert scripts.get_heads() == [HEAD_REVISION]  # one head, no branches
    revisions = list(scripts.walk_revisions())
    for script in revisions:
        assert script.path is not None
        assert Path(script.path).stem == script.revision
    assert known_revisions() == {script.revision for script in revisions}
    assert {path.stem for path in (migrations_path() / "versions").glob("*.py")} == {
        script.revision for script in revisions
    }


def test_the_migrations_are_found_in_the_repository_checkout() -> None:
    assert migrations_path() == REPO_ROOT / "migrations"


def test_migrated_schema_matches_the_sqlalchemy_metadata(db: Database) -> None:
    with db.engine.connect() as connection:
        assert differences(connection) == []


def test_metadata_comparison_would_notice_a_missing_column(engine: Engine) -> None:
    upgrade_to_head(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_leads_score"))
        connection.execute(text("ALTER TABLE leads DROP COLUMN next_step"))
    with engine.connect() as connection:
        found = {repr(difference) for difference in differences(connection)}
    assert any("add_column" in item and "next_step" in item for item in found)
    assert any("add_index" in item and "ix_leads_score" in item for item in found)


def test_downgrade_to_base_and_upgrade_again(engine: Engine) -> None:
    upgrade_to_head(engine)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    with engine.connect() as connection:
        left = set(inspect(connection).get_table_names())
    assert left <= {"alembic_version"}
    assert current_revision(engine) is None

    upgrade_to_head(engine)
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as connection:
        assert APP_TABLES | {"lead_search"} <= set(inspect(connection).get_table_names())
        assert differences(connection) == []
        assert len(load_rules(connection)) == len(DEFAULT_RULES)


def test_a_database_from_a_newer_leaddesk_is_refused_untouched(
    db: Database, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(db.engine.url.database or "")
    with db.transaction() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    db.close()
    before = dump(path)

    engines: list[Engine] = []
    real_create = database_module.create_database_engine

    def recording_create(url: str, **options: Any) -> Engine:
        engines.append(real_create(url, **options))
        return engines[-1]

    monkeypatch.setattr(database_module, "create_database_engine", recording_create)
    with pytest.raises(UserError) as caught:
        open_database(Location(data_dir, sqlite_url(path)))

    message = str(caught.value)
    assert "newer version of LeadDesk" in message
    assert "update LeadDesk" in message
    assert "0099_from_the_future" in message
    assert dump(path) == before
    assert not (data_dir / "backups").exists()
    # The refused database is not held open (on Windows it would stay locked).
    assert engines[0].pool.checkedin() == 0


def test_a_file_that_is_not_a_database_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("Meeting notes, not a database.\n" * 200)
    with pytest.raises(UserError, match=r"is not an SQLite database, not a LeadDesk database"):
        open_database(Location(tmp_path, sqlite_url(path)))
    assert path.read_text() == "Meeting notes, not a database.\n" * 200


def test_an_older_database_is_backed_up_before_it_is_upgraded(
    db: Database, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # There is only one revision so far, so "older" is simulated: this code
    # pretends to expect a newer head than the one the database is at.
    path = Path(db.engine.url.database or "")
    with db.transaction() as session:
        session.execute(
            text(
                "INSERT INTO leads (first_name, created_at, updated_at) "
                "VALUES ('Backed', '2026-11-17 10:30:00', '2026-11-17 10:30:00')"
            )
        )
    db.close()
    monkeypatch.setattr(migrate, "HEAD_REVISION", "0002_pretend_newer")

    reopened = open_database(Location(data_dir, sqlite_url(path)))
    reopened.close()

    backups = list((data_dir / "backups").glob("*.sqlite3"))
    assert len(backups) == 1
    # Named by the revision it upgrades to: a retried upgrade replaces it.
    assert backups[0].name.endswith("-pre-migration-0002_pretend_newer.sqlite3")
    with sqlite3.connect(backups[0]) as copy:
        names = copy.execute("SELECT first_name FROM leads").fetchall()
        version = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    copy.close()
    assert names == [("Backed",)]
    assert version == (HEAD_REVISION,)


def test_a_new_database_has_the_default_score_rules_in_order(db: Database) -> None:
    with db.reading() as connection:
        stored = load_rules(connection)
    assert [
        (rule.key, rule.label, rule.kind, rule.points, dict(rule.parameters), rule.enabled)
        for rule in stored
    ] == [
        (rule.key, rule.label, rule.kind, rule.points, dict(rule.parameters), rule.enabled)
        for rule in DEFAULT_RULES
    ]


def test_a_new_database_stores_no_settings(db: Database) -> None:
    # Only what the user changes is stored; defaults live in code.
    with db.reading() as connection:
        assert connection.execute(text("SELECT count(*) FROM settings")).scalar() == 0


_STARTUP = (
    "import sys; from pathlib import Path; "
    "from leaddesk.storage.database import Location, open_database; "
    "folder = Path(sys.argv[1]); "
    "open_database(Location(folder, 'sqlite:///' + str(folder / 'leaddesk.sqlite3'))).close(); "
    "print('alembic' in sys.modules)"
)


def _prints_true(script: str, *arguments: str) -> bool:
    """Whether a fresh interpreter running ``script`` prints True."""
    result = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=True,
    )
    return result.stdout.strip() == "True"


def _alembic_imported_at_startup(folder: Path) -> bool:
    return _prints_true(_STARTUP, str(folder))


def test_start_up_on_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    # The first start creates the database and needs Alembic; later starts must not.
    assert _alembic_imported_at_startup(tmp_path) is True
    assert _alembic_imported_at_startup(tmp_path) is False


def test_the_schema_does_not_import_the_postgresql_dialect() -> None:
    # Every command's start-up pays for it (a quarter of SQLAlchemy's own import):
    # schema.py must not name PostgreSQL-only options such as postgresql_where.
    script = (
        "import sys, leaddesk.storage.schema; "
        "print('sqlalchemy.dialects.postgresql' in sys.modules)"
    )
    assert _prints_true(script) is False


def test_a_retried_upgrade_keeps_one_copy_in_the_folder_from_the_settings(
    db: Database, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "other drive"
    with db.transaction() as session:
        session.execute(
            text("INSERT INTO settings (key, value) VALUES ('backup_folder', :folder)"),
            {"folder": f'"{elsewhere}"'},
        )
    path = Path(db.engine.url.database or "")
    db.close()
    monkeypatch.setattr(migrate, "HEAD_REVISION", "0099_pretend_newer")

    def failing_upgrade(*_args: object) -> None:
        raise RuntimeError("the upgrade broke")

    monkeypatch.setattr(command, "upgrade", failing_upgrade)
    for _attempt in range(2):
        with pytest.raises(RuntimeError, match="the upgrade broke"):
            open_database(Location(data_dir, sqlite_url(path)))

    copies = list_backups(elsewhere)
    assert [(copy.kind, copy.revision) for copy in copies] == [
        (BackupKind.PRE_MIGRATION, "0099_pretend_newer")
    ]
    assert len(list(elsewhere.iterdir())) == 1
    assert not (data_dir / "backups").exists()
