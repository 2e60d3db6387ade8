"""Bring a database's schema to the version this code expects, in code.

Start-up must stay fast, so the common case -- the schema is already current --
is settled by reading ``alembic_version`` directly; Alembic (slow to import,
a noticeable share of start-up) is loaded only when there is something to migrate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from leaddesk.errors import UserError
from leaddesk.storage.backup import BackupKind, take_backup
from leaddesk.storage.write_lock import WRITE_OPTION

log = logging.getLogger(__name__)

# The newest migration; tests/storage/test_migrations.py checks it against Alembic.
HEAD_REVISION = "0009_awaiting_partial"
# How long a start-up migration waits for another LeadDesk migrating the same file.
MIGRATION_BUSY_TIMEOUT_MS = 60_000


def migrations_path() -> Path:
    """The migration scripts: inside the package when installed or frozen, else the repo."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "migrations", package.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise RuntimeError(f"LeadDesk's migration scripts are missing (looked beside {package}).")


def known_revisions() -> set[str]:
    """Every revision shipped with this version (file names equal revision ids)."""
    return {path.stem for path in (migrations_path() / "versions").glob("*.py")}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _back_up_before_upgrade(engine: Engine, backup_dir: Path | Callable[[], Path]) -> None:
    """One verified copy per revision upgraded to (a retried upgrade replaces it).

    A copy that cannot be made stops the upgrade: upgrading without one is the
    one step that could lose the user's data for good.
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return
    folder = backup_dir if isinstance(backup_dir, Path) else backup_dir()
    take_backup(Path(database), folder, BackupKind.PRE_MIGRATION, revision=HEAD_REVISION)


def upgrade_to_head(
    engine: Engine, backup_dir: Path | Callable[[], Path] | None = None
) -> str | None:
    """Migrate the database to HEAD_REVISION; returns the revision it started from.

    ``backup_dir`` (or a function that finds it, called only when there is
    something to migrate) receives a copy of the database before the upgrade.

    A database written by a newer LeadDesk is refused rather than opened: this
    version cannot know what the newer schema means.
    """
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return revision
    if revision is not None and revision not in known_revisions():
        raise UserError(
            f"This database was created by a newer version of LeadDesk (schema {revision}); "
            "please update LeadDesk to open it."
        )
    if revision is not None and backup_dir is not None:
        _back_up_before_upgrade(engine, backup_dir)

    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    with engine.connect() as connection, _migration_lock(connection), connection.begin():
        config.attributes["connection"] = connection
        # Reads the revision again under the lock: after another LeadDesk's
        # migration it finds nothing left to do.
        command.upgrade(config, "head")
    log.info("migrated database from %s to %s", revision, HEAD_REVISION)
    return revision


def create_schema(engine: Engine, revision: str) -> None:
    """Make an empty database's schema as it was at ``revision`` (a known one).

    A salvage copies an older database's rows into its own schema, then upgrades
    it with ``upgrade_to_head``, so that the upgrades' data steps run on them too.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def _migration_lock(connection: Connection) -> Iterator[None]:
    """The migration's transaction takes the write lock first (SQLite: BEGIN IMMEDIATE).

    Two LeadDesks starting at once on an old schema would otherwise both read
    the old revision and both try to write; the second fails at once ("database
    is locked"), as SQLite cannot let a reader that fell behind become a writer.
    It waits up to MIGRATION_BUSY_TIMEOUT_MS: the other's migration may take
    longer than an ordinary write.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    # On the driver's connection: through SQLAlchemy a statement would begin the transaction.
    (previous,) = driver.execute("PRAGMA busy_timeout").fetchone()
    driver.execute(f"PRAGMA busy_timeout = {int(MIGRATION_BUSY_TIMEOUT_MS)}")
    connection.execution_options(**{WRITE_OPTION: True})
    try:
        yield
    finally:
        driver.execute(f"PRAGMA busy_timeout = {int(previous)}")
