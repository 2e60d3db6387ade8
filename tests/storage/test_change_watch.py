"""The data-version watch: True once after each commit by any connection, else False."""

from __future__ import annotations

from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.storage.change_watch import DataVersionWatch
from leaddesk.storage.database import Database, Location, open_database


def test_a_commit_is_seen_once_and_a_read_is_not_seen(db: Database) -> None:
    watch = DataVersionWatch(db)
    try:
        assert not watch.changed()
        create_lead(OperationContext(db=db), {"first_name": "Anna"})
        assert watch.changed()
        assert not watch.changed()
        with db.reading() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM leads").scalar()
        assert not watch.changed()
    finally:
        watch.close()


def test_a_commit_from_another_process_connection_is_seen(db: Database) -> None:
    watch = DataVersionWatch(db)
    other = open_database(db.location)
    try:
        create_lead(OperationContext(db=other), {"first_name": "Bo"})
        assert watch.changed()
    finally:
        other.close()
        watch.close()


def test_a_reopened_database_counts_as_changed(db: Database) -> None:
    watch = DataVersionWatch(db)
    try:
        db.reopen()
        assert watch.changed()
        assert not watch.changed()
    finally:
        watch.close()


def test_only_an_sqlite_file_can_be_watched(tmp_path) -> None:
    memory = open_database(Location(data_dir=tmp_path, url="sqlite://"))
    try:
        assert not DataVersionWatch.supported(memory)
    finally:
        memory.close()
