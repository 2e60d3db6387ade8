"""Bring a database's schema to the version this code expects, in code.

Start-up must stay fast, so the common case -- the schema is already current --
is settled by reading ``alembic_version`` directly; Alembic (slow to import,
a noticeable share of start-up) is loaded only when there is something to migrate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from leaddesk.errors import UserError
from leaddesk.storage.backup import BackupKind, take_backup

log = logging.getLogger(__name__)

# The newest migration; tests/storage/test_migrations.py checks it against Alembic.
HEAD_REVISION = "0006_last_activity"


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
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    log.info("migrated database from %s to %s", revision, HEAD_REVISION)
    return revision
