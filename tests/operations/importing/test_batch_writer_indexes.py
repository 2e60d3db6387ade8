"""A large import rebuilds secondary indexes and the search index at the end.

Whatever happens -- success, failure part-way, cancel -- the schema afterwards
is the schema before: the same indexes (with the same definitions) and the
same triggers. The tests make every import "large" by lowering the threshold.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from leaddesk.core.clock import FixedClock
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import (
    DuplicatePolicy,
    ImportCancelled,
    ImportOptions,
    batch_writer,
    import_csv,
    import_file,
    undo_import,
)
from leaddesk.operations.importing.batch_writer import ImportBatchWriter
from leaddesk.operations.leads import create_lead
from leaddesk.storage import bulk_write
from leaddesk.storage.database import Database, Location, open_database

HEADERS = ["First Name", "Last Name", "Email", "Phone", "Company", "Job Title"]


def _people(path: Path, count: int, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADERS)
        for i in range(start, start + count):
            email, phone = f"p{i}@example.com", f"+4930{i:07d}"
            writer.writerow([f"Given{i}", f"Family{i}", email, phone, f"Firm {i}", "CEO"])
    return path


def _schema(db: Database) -> list[tuple[Any, ...]]:
    """Every index and trigger with its definition (automatic indexes have none)."""
    with db.reading() as connection:
        return [
            tuple(row)
            for row in connection.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master "
                "WHERE type IN ('index', 'trigger') ORDER BY type, name"
            )
        ]


def _count(db: Database, sql: str) -> int:
    with db.reading() as connection:
        return int(connection.exec_driver_sql(sql).scalar_one())


@pytest.fixture
def every_import_is_large(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Defer indexes from the first row; returns how many times they were dropped."""
    monkeypatch.setattr(batch_writer, "DEFER_INDEXES_FROM_ROWS", 1)
    monkeypatch.setattr(import_file, "CHUNK_ROWS", 5)
    drops: list[int] = []
    original = bulk_write.DeferredIndexes.drop.__func__  # type: ignore[attr-defined]

    def counting_drop(cls: Any, connection: Any) -> Any:
        drops.append(1)
        return original(cls, connection)

    monkeypatch.setattr(bulk_write.DeferredIndexes, "drop", classmethod(counting_drop))
    return drops


def test_a_large_import_puts_every_index_and_trigger_back(
    ctx: OperationContext, tmp_path: Path, every_import_is_large: list[int]
) -> None:
    before = _schema(ctx.db)
    assert any(name == "ix_leads_score" for _type, name, _table, _sql in before)

    result = import_csv(ctx, _people(tmp_path / "people.csv", 23))

    assert result.created == 23
    assert every_import_is_large == [1]  # the indexes really were dropped and rebuilt
    assert _schema(ctx.db) == before
    with ctx.db.reading() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # The rebuilt indexes and the search index cover the new leads.
    assert _count(ctx.db, "SELECT count(*) FROM leads INDEXED BY ix_leads_score") == 23
    assert _count(ctx.db, "SELECT count(*) FROM lead_search WHERE lead_search MATCH 'Given7'") == 1
    assert _count(ctx.db, "SELECT count(*) FROM stage_history") == 23


def _board_after_import(tmp_path: Path, name: str, clock: FixedClock) -> list[tuple[Any, ...]]:
    """Each lead's id, email and board rank after importing the same file into a new database."""
    data_dir = tmp_path / name
    data_dir.mkdir()
    db = open_database(Location(data_dir, f"sqlite:///{data_dir / 'leaddesk.sqlite3'}"))
    try:
        ctx = OperationContext(db=db, clock=clock, actor="Test User")
        create_lead(ctx, {"first_name": "Stored", "email": "stored@example.com"})
        import_csv(ctx, _people(tmp_path / "people.csv", 23))
        with db.reading() as connection:
            return [
                tuple(row)
                for row in connection.exec_driver_sql(
                    "SELECT id, email, board_rank FROM leads ORDER BY board_rank"
                )
            ]
    finally:
        db.close()


def test_a_large_import_numbers_and_ranks_its_leads_as_a_small_one_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FixedClock
) -> None:
    # A large import's ids and board ranks come from its staged rows' numbers
    # instead of bound values: the board must show the same order either way.
    monkeypatch.setattr(import_file, "CHUNK_ROWS", 5)
    small = _board_after_import(tmp_path, "small", clock)
    monkeypatch.setattr(batch_writer, "DEFER_INDEXES_FROM_ROWS", 1)
    drops: list[int] = []
    original = bulk_write.DeferredIndexes.drop.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(
        bulk_write.DeferredIndexes,
        "drop",
        classmethod(lambda cls, connection: drops.append(1) or original(cls, connection)),
    )

    large = _board_after_import(tmp_path, "large", clock)

    assert drops == [1]  # the second import really was a large one
    assert large == small
    assert len({lead_id for lead_id, _email, _rank in large}) == 24


def test_a_failure_part_way_leaves_every_index_and_trigger(
    ctx: OperationContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    every_import_is_large: list[int],
) -> None:
    before = _schema(ctx.db)
    original = ImportBatchWriter.process_chunk
    calls: list[int] = []

    def failing(self: ImportBatchWriter, chunk: Any) -> None:
        calls.append(len(chunk))
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        original(self, chunk)

    monkeypatch.setattr(ImportBatchWriter, "process_chunk", failing)

    with pytest.raises(RuntimeError, match="disk on fire"):
        import_csv(ctx, _people(tmp_path / "people.csv", 23))

    assert every_import_is_large == [1]  # dropped before the failure
    assert _schema(ctx.db) == before
    assert _count(ctx.db, "SELECT count(*) FROM leads") == 0
    assert _count(ctx.db, "SELECT count(*) FROM lead_search") == 0


def test_a_cancel_part_way_leaves_every_index_and_trigger(
    ctx: OperationContext, tmp_path: Path, every_import_is_large: list[int]
) -> None:
    before = _schema(ctx.db)
    asked: list[bool] = []

    def should_cancel() -> bool:
        asked.append(True)
        return len(asked) > 2

    with pytest.raises(ImportCancelled):
        import_csv(ctx, _people(tmp_path / "people.csv", 23), should_cancel=should_cancel)

    assert every_import_is_large == [1]
    assert _schema(ctx.db) == before
    assert _count(ctx.db, "SELECT count(*) FROM leads") == 0


def test_a_dry_run_of_a_large_import_leaves_every_index_and_trigger(
    ctx: OperationContext, tmp_path: Path, every_import_is_large: list[int]
) -> None:
    before = _schema(ctx.db)

    result = import_csv(ctx, _people(tmp_path / "people.csv", 23), ImportOptions(dry_run=True))

    assert result.created == 23
    assert _schema(ctx.db) == before
    assert _count(ctx.db, "SELECT count(*) FROM leads") == 0


def test_an_import_smaller_than_the_table_keeps_the_indexes(
    ctx: OperationContext, tmp_path: Path, every_import_is_large: list[int]
) -> None:
    for i in range(30):
        create_lead(ctx, {"first_name": f"Stored{i}", "email": f"stored{i}@example.com"})
    before = _schema(ctx.db)

    result = import_csv(ctx, _people(tmp_path / "people.csv", 10))

    assert result.created == 10
    assert every_import_is_large == []  # 10 new leads into 30: maintained row by row
    assert _schema(ctx.db) == before


def test_a_large_import_with_duplicates_then_undo(
    ctx: OperationContext, tmp_path: Path, every_import_is_large: list[int]
) -> None:
    before = _schema(ctx.db)
    first = import_csv(ctx, _people(tmp_path / "first.csv", 12))
    # Half of these are the leads above again; fill adds nothing new to them.
    second = import_csv(
        ctx,
        _people(tmp_path / "second.csv", 24, start=6),
        ImportOptions(policy=DuplicatePolicy.FILL),
    )

    assert (first.created, second.created, second.skipped) == (12, 18, 6)
    assert _schema(ctx.db) == before
    assert second.batch_id is not None
    assert first.batch_id is not None
    undo_import(ctx, second.batch_id)
    undo_import(ctx, first.batch_id)
    assert _schema(ctx.db) == before
    assert _count(ctx.db, "SELECT count(*) FROM leads") == 0
    assert _count(ctx.db, "SELECT count(*) FROM lead_search") == 0


# --- what an import changes about its process and connection, only while it runs ----


def _cache_size(db: Database) -> int:
    with db.reading() as connection:
        return int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())


def test_an_import_runs_with_a_large_page_cache_and_no_cyclic_gc_then_restores_both(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    cache_before = _cache_size(ctx.db)
    seen: list[tuple[int, bool]] = []
    drivers: list[Any] = []
    original = ImportBatchWriter.process_chunk

    def watching(self: ImportBatchWriter, chunk: Any) -> None:
        size = self.conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
        seen.append((int(size), gc.isenabled()))
        drivers.append(self.conn.connection.driver_connection)
        original(self, chunk)

    monkeypatch.setattr(ImportBatchWriter, "process_chunk", watching)
    assert gc.isenabled()

    import_csv(ctx, _people(tmp_path / "people.csv", 3))

    assert seen == [(-bulk_write.BULK_CACHE_KIB, False)]
    assert gc.isenabled()
    # The very connection the import used, back in the pool with its own cache size.
    assert drivers[0].execute("PRAGMA cache_size").fetchone()[0] == cache_before


def test_a_failed_import_restores_the_page_cache_and_the_collector(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    cache_before = _cache_size(ctx.db)

    def failing(self: ImportBatchWriter, chunk: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ImportBatchWriter, "process_chunk", failing)
    with pytest.raises(RuntimeError):
        import_csv(ctx, _people(tmp_path / "people.csv", 3))

    assert gc.isenabled()
    assert _cache_size(ctx.db) == cache_before
