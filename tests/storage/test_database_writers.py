"""Writers wait their turn: a write takes the lock at its start and waits for another writer.

The other writer is a plain sqlite3 connection on a thread here (the process
boundary is tested in tests/cli/test_main_writers.py).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from leaddesk.errors import BUSY_MESSAGE, DatabaseBusyError
from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.storage import database as database_module
from leaddesk.storage.database import Database
from leaddesk.storage.schema import activities


@contextmanager
def lock_held(path: Path, seconds: float) -> Iterator[threading.Event]:
    """Another connection writes (holding the write lock) for ``seconds``, then commits."""
    locked, released = threading.Event(), threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        # A real change: a reader's snapshot from before it is stale afterwards.
        other.execute("UPDATE leads SET notes = coalesce(notes, '') || '.'")
        locked.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()
        released.set()

    thread = threading.Thread(target=hold)
    thread.start()
    assert locked.wait(5)
    try:
        yield released
    finally:
        thread.join()


def db_path(db: Database) -> Path:
    return Path(db.engine.url.database or "")


def activity_count(db: Database) -> int:
    with db.reading() as connection:
        return int(connection.execute(select(func.count()).select_from(activities)).scalar_one())


def test_a_write_waits_for_another_writer_and_then_succeeds(ctx: OperationContext) -> None:
    lead_id = create_lead(ctx, {"first_name": "Ada"}).value
    with lock_held(db_path(ctx.db), 0.6) as released:
        started = time.monotonic()
        log_activity(ctx, lead_id, "call", "waited")
        waited = time.monotonic() - started
        assert released.is_set()
    assert waited >= 0.4
    assert activity_count(ctx.db) == 1


def test_a_read_then_write_transaction_is_not_failed_by_a_stale_snapshot(db: Database) -> None:
    """The failure of a deferred BEGIN: it read before the other writer committed."""
    with db.transaction() as connection:
        connection.execute(
            text(
                "INSERT INTO leads (first_name, created_at, updated_at) "
                "VALUES ('Bo', '2026-01-01', '2026-01-01')"
            )
        )
    with lock_held(db_path(db), 0.3), db.transaction() as connection:
        connection.execute(text("SELECT count(*) FROM leads")).scalar()
        connection.execute(text("UPDATE leads SET first_name = 'Bob'"))
    with db.reading() as connection:
        assert connection.execute(text("SELECT first_name, notes FROM leads")).one() == ("Bob", ".")


def test_a_read_does_not_wait_for_a_writer(ctx: OperationContext) -> None:
    create_lead(ctx, {"first_name": "Ada"})
    with lock_held(db_path(ctx.db), 1.0) as released:
        started = time.monotonic()
        assert activity_count(ctx.db) == 0
        assert time.monotonic() - started < 0.5
        assert not released.is_set()


def test_a_write_that_cannot_get_the_lock_is_one_sentence_and_writes_nothing(
    ctx: OperationContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Ada"}).value
    ctx.db.engine.dispose()  # new connections take the shorter timeout
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 100)
    with lock_held(db_path(ctx.db), 0.8), pytest.raises(DatabaseBusyError) as caught:
        log_activity(ctx, lead_id, "call", "lost?")
    assert str(caught.value) == BUSY_MESSAGE
    assert activity_count(ctx.db) == 0
