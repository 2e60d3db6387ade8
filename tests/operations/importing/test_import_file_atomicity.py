"""One import is one transaction: a failure, a cancel, a dry run or a kill write nothing.

Every test compares a full dump of every table (``dump``) before and after.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import (
    DuplicatePolicy,
    ImportCancelled,
    ImportOptions,
    import_csv,
    import_file,
)
from leaddesk.operations.importing.batch_writer import ImportBatchWriter
from leaddesk.operations.leads import create_lead
from leaddesk.storage.bulk_search_index import BulkSearchIndex
from leaddesk.storage.database import Location, open_database
from leaddesk.storage.schema import leads
from tests.operations.importing.import_helpers import (
    REPO_ROOT,
    assert_same_dump,
    count,
    dump,
    dup_file,
    fts_consistent,
    run_import,
    search_ids,
    write_csv,
)

# --- atomicity ---------------------------------------------------------------------


def _people(tmp_path: Path, n: int, name: str = "people.csv") -> Path:
    rows = [["First Name", "Last Name", "Email", "Company", "Contact owner", "Lifecycle Stage"]]
    rows += [
        [f"Given{i}", f"Family{i}", f"p{i}@example.com", f"Company {i}", f"Owner {i % 3}", "mql"]
        for i in range(n)
    ]
    return write_csv(tmp_path / name, rows)


@pytest.fixture
def existing(ctx: OperationContext) -> int:
    """A lead the file updates under fill/overwrite (it is row 0 of ``_people``)."""
    return create_lead(ctx, {"first_name": "Given0", "email": "P0@example.com"}).value


def _fail_on_second_call(
    monkeypatch: pytest.MonkeyPatch, owner: type, name: str, message: str
) -> list[Any]:
    """Make ``owner.name`` fail on its second call; returns each call's last argument."""
    original = getattr(owner, name)
    calls: list[Any] = []

    def failing(*args: Any) -> Any:
        calls.append(args[-1])
        if len(calls) == 2:
            raise RuntimeError(message)
        return original(*args)

    monkeypatch.setattr(owner, name, failing)
    return calls


def test_an_error_part_way_leaves_the_database_as_it_was(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: int
) -> None:
    monkeypatch.setattr(import_file, "CHUNK_ROWS", 3)
    chunks = _fail_on_second_call(monkeypatch, ImportBatchWriter, "process_chunk", "disk on fire")
    before = dump(ctx.db)

    with pytest.raises(RuntimeError, match="disk on fire"):
        import_csv(ctx, _people(tmp_path, 10), ImportOptions(policy=DuplicatePolicy.OVERWRITE))

    assert list(map(len, chunks)) == [3, 3]  # the first chunk was written before the failure
    assert_same_dump(before, dump(ctx.db))


def test_a_failure_of_the_statements_off_the_thread_leaves_the_database_as_it_was(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: int
) -> None:
    # Each chunk's search entries are written on a helper thread while the next
    # chunk is parsed; its failure must reach the import, which rolls back whole.
    monkeypatch.setattr(import_file, "CHUNK_ROWS", 3)
    calls = _fail_on_second_call(monkeypatch, BulkSearchIndex, "index_range", "index on fire")
    before = dump(ctx.db)

    with pytest.raises(RuntimeError, match="index on fire"):
        import_csv(ctx, _people(tmp_path, 10), ImportOptions(policy=DuplicatePolicy.OVERWRITE))

    assert len(calls) == 2
    assert_same_dump(before, dump(ctx.db))
    assert not [t for t in threading.enumerate() if t.name.startswith("leaddesk-import")]
    # The connection is fit for the next import, which is searchable whole.
    result = import_csv(ctx, _people(tmp_path, 10), ImportOptions(policy=DuplicatePolicy.SKIP))
    assert result.created == 9
    assert len(search_ids(ctx, "Family7")) == 1
    fts_consistent(ctx.db)


def test_an_update_of_a_lead_missing_from_the_search_index_fails_whole(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The update trigger expects a lead's words in the index; were a chunk's
    # new leads ever left out, the import must fail, not damage the index.
    monkeypatch.setattr(import_file, "CHUNK_ROWS", 1)
    monkeypatch.setattr(BulkSearchIndex, "index_range", lambda *_args: None)
    first = ["Jürgen", "Schäfer", "juergen.schaefer@acme.example", "+49 30 1234567", "Acme, Inc."]
    path = dup_file(
        tmp_path,
        [*first, "", "", "", "", ""],
        [*first, "CEO", "", "", "", ""],
    )
    before = dump(ctx.db)

    with pytest.raises(RuntimeError, match="before indexing it"):
        run_import(ctx, path, DuplicatePolicy.FILL)

    assert_same_dump(before, dump(ctx.db))
    fts_consistent(ctx.db)


def test_an_unreadable_record_part_way_leaves_the_database_as_it_was(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: int
) -> None:
    monkeypatch.setattr(import_file, "CHUNK_ROWS", 500)
    # Good rows past the part of the file that is sniffed, then a quote that is
    # never closed, swallowing everything after it into one over-long cell.
    path = _people(tmp_path, 2500)
    with path.open("a", encoding="utf-8", newline="") as stream:
        stream.write('Late,Row,late@example.com,"never closed,,\r\n')
        stream.writelines(f"More{i},Rows,more{i}@example.com,,,\r\n" for i in range(6000))
    before = dump(ctx.db)
    written: list[int] = []

    with pytest.raises(UserError, match="line 2502") as refused:
        import_csv(ctx, path, progress=lambda done, total: written.append(done))

    assert len(written) >= 5  # five chunks were written before the bad record
    assert "\n" not in str(refused.value)
    assert_same_dump(before, dump(ctx.db))


def test_cancel_after_the_first_chunk_leaves_the_database_as_it_was(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: int
) -> None:
    monkeypatch.setattr(import_file, "CHUNK_ROWS", 3)
    asked: list[bool] = []
    progress: list[tuple[int, int]] = []

    def should_cancel() -> bool:
        asked.append(True)
        return len(asked) > 1

    before = dump(ctx.db)
    with pytest.raises(ImportCancelled):
        import_csv(
            ctx,
            _people(tmp_path, 10),
            ImportOptions(policy=DuplicatePolicy.OVERWRITE),
            progress=lambda done, total: progress.append((done, total)),
            should_cancel=should_cancel,
        )
    assert len(progress) == 1  # one chunk was processed, then the user cancelled
    assert_same_dump(before, dump(ctx.db))


def test_a_dry_run_reports_the_counts_and_writes_nothing(
    ctx: OperationContext, tmp_path: Path, existing: int
) -> None:
    path = _people(tmp_path, 10)
    with path.open("a", encoding="utf-8", newline="") as stream:
        stream.write(",,,Nobody,,\r\nGiven1,Family1,P1@EXAMPLE.com,Company 1,,\r\n")
    before = dump(ctx.db)

    dry = import_csv(ctx, path, ImportOptions(policy=DuplicatePolicy.FILL, dry_run=True))

    assert_same_dump(before, dump(ctx.db))
    assert dry.batch_id is None
    assert (dry.created, dry.updated, dry.skipped, dry.rejected) == (9, 1, 1, 1)
    assert [r.line_number for r in dry.rejected_sample] == [12]
    real = import_csv(ctx, path, ImportOptions(policy=DuplicatePolicy.FILL))
    assert (real.created, real.updated, real.skipped, real.rejected) == (9, 1, 1, 1)
    assert count(ctx, leads) == 10


def _big_file(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("First Name,Last Name,Email,Company,Job Title\r\n")
        stream.writelines(
            f"Given{i},Family{i},person{i}@example.com,Company {i},Manager\r\n" for i in range(rows)
        )
    return path


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_import_leaves_the_database_as_it_was(
    ctx: OperationContext, data_dir: Path, tmp_path: Path
) -> None:
    create_lead(ctx, {"first_name": "Anna", "email": "anna@example.com", "owner": "Sam"})
    before = dump(ctx.db)
    ctx.db.close()
    big = _big_file(tmp_path / "big.csv", 200_000)
    wal = data_dir / "leaddesk.sqlite3-wal"
    start_size = wal.stat().st_size if wal.exists() else 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADDESK_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "leaddesk", "--data-dir", str(data_dir), "import", str(big)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        # Wait until the import has written uncommitted pages to the WAL.
        while not (wal.exists() and wal.stat().st_size > start_size + 256 * 1024):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.02)
        assert process.poll() is None  # still importing when killed
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        out, _err = process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert b"Imported" not in out

    reopened = open_database(Location(data_dir, f"sqlite:///{data_dir / 'leaddesk.sqlite3'}"))
    try:
        assert_same_dump(before, dump(reopened))
        with reopened.reading() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        reopened.close()
