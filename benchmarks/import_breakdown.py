"""Where a 100k-row ``leaddesk import`` spends its time, stage by stage, in one run.

Usage: python benchmarks/import_breakdown.py [--rows 100000] [--work DIR]

Each stage uses LeadDesk's own functions on the benchmark's file
(benchmarks/import_export.py's generator: 10 columns, unique people):

    process start-up        python -c "import leaddesk.cli, leaddesk.operations.importing"
    csv.reader alone        the stdlib reader over the file (the floor for reading)
    iter_records            LeadDesk's reader (sniffing, decoding, cleaning)
    RowParser.parse_chunk_values   validation and conversion, chunk by chunk
    dedupe keys             ImportBatchWriter._chunk_keys (normalised email/phone/company/name)
    import_csv in-process   the whole operation, with its writer's stages timed inside
    raw inserts             executemany of the imported rows (all columns) into a fresh,
                            migrated database: with every index and the FTS trigger, and
                            with them dropped; then the index rebuilds, FTS 'rebuild', commit

The figures measured with it, and the plan for the import target they led to,
are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import csv
import gc
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_export import LEADDESK, fresh_database, generate_csv  # noqa: E402


class Timer:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, str]] = []

    def add(self, name: str, seconds: float, note: str = "") -> None:
        self.rows.append((name, seconds, note))

    def print(self) -> None:
        width = max(len(name) for name, _s, _n in self.rows)
        print(f"  {'stage'.ljust(width)}  {'seconds':>8}  note")
        for name, seconds, note in self.rows:
            print(f"  {name.ljust(width)}  {seconds:8.3f}  {note}")


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def wall(command: list[str], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def standalone_stages(table: Timer, csv_path: Path) -> None:
    """Reading, parsing and the duplicate keys alone, with LeadDesk's own functions."""
    from leaddesk.core.csv_import.row_parser import RowParser
    from leaddesk.operations.importing import prepare_import
    from leaddesk.operations.importing.duplicate_finder import chunk_keys
    from leaddesk.operations.importing.import_file import CHUNK_ROWS, read_records

    def read_plain() -> int:
        with open(csv_path, encoding="utf-8", newline="") as stream:
            return sum(1 for _row in csv.reader(stream))

    seconds, _ = timed(read_plain)
    table.add("csv.reader alone", seconds)
    seconds, (fmt, mapping) = timed(lambda: prepare_import(csv_path))
    table.add("prepare_import (sniff + mapping)", seconds)
    seconds, records = timed(lambda: list(read_records(csv_path, fmt)))
    table.add("iter_records (LeadDesk's reader)", seconds, f"{len(records):,} rows")
    cells = [row for _line, row in records]
    row_parser = RowParser.from_sample(mapping, cells[:1000], default_region=None)

    def parse_all() -> list[Any]:
        parsed: list[Any] = []
        for start_row in range(0, len(cells), CHUNK_ROWS):
            chunk = cells[start_row : start_row + CHUNK_ROWS]
            parsed += row_parser.parse_chunk_values(chunk)[0]
        return parsed

    seconds, values = timed(parse_all)
    table.add("RowParser.parse_chunk_values", seconds)

    def keys() -> int:
        count = 0
        for start_row in range(0, len(values), CHUNK_ROWS):
            count += len(chunk_keys(values[start_row : start_row + CHUNK_ROWS]))
        return count

    seconds, _ = timed(keys)
    table.add("dedupe keys (_chunk_keys)", seconds)


def raw_inserts(table: Timer, work: Path, imported_dir: Path) -> None:
    """The imported rows, every column, executemany'd into fresh databases."""
    from leaddesk.operations.importing.import_file import CHUNK_ROWS

    # Raw DB work: the imported rows, every column, into a fresh migrated database.
    source = sqlite3.connect(imported_dir / "leaddesk.sqlite3")
    columns = [row[1] for row in source.execute("PRAGMA table_info(leads)")]
    lead_rows = source.execute(f"SELECT {', '.join(columns)} FROM leads").fetchall()
    schema = source.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'leads' "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
    ).fetchall()
    source.close()
    insert = f"INSERT INTO leads ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

    def raw_insert(drop: bool) -> dict[str, float]:
        folder = work / f"data-raw-{drop}"
        fresh_database(folder)
        connection = sqlite3.connect(folder / "leaddesk.sqlite3", isolation_level=None)
        connection.execute("BEGIN")
        spent: dict[str, float] = {}
        if drop:
            for kind, name, _sql in schema:
                connection.execute(f"DROP {kind.upper()} {name}")
        start_step = time.perf_counter()
        for start_row in range(0, len(lead_rows), CHUNK_ROWS):
            connection.executemany(insert, lead_rows[start_row : start_row + CHUNK_ROWS])
        spent["executemany"] = time.perf_counter() - start_step
        if drop:
            start_step = time.perf_counter()
            for kind, _name, sql in schema:
                if kind == "index":
                    connection.execute(sql)
            spent["index rebuilds"] = time.perf_counter() - start_step
            start_step = time.perf_counter()
            connection.execute("INSERT INTO lead_search(lead_search) VALUES ('rebuild')")
            spent["FTS rebuild"] = time.perf_counter() - start_step
            for kind, _name, sql in schema:
                if kind == "trigger":
                    connection.execute(sql)
        start_step = time.perf_counter()
        connection.execute("COMMIT")
        spent["commit"] = time.perf_counter() - start_step
        connection.close()
        return spent

    width = len(columns)
    for label, drop in (("indexes + FTS trigger live", False), ("indexes/FTS dropped", True)):
        for step, spent in raw_insert(drop).items():
            table.add(f"raw {width}-column inserts, {label}: {step}", spent)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument(
        "--inside-only",
        action="store_true",
        help="only the in-process import with its stages (minutes fewer at 1M rows)",
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="leaddesk-breakdown-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / f"leads-{args.rows}.csv"
    if not csv_path.exists():
        generate_csv(csv_path, args.rows)
    table = Timer()

    # Whole processes, for reference.
    if shutil.which("sqlite3") and not args.inside_only:
        bare = work / "bare.sqlite3"
        bare.unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run(["sqlite3", str(bare), f".import --csv {csv_path} t"], check=True)
        table.add("sqlite3 .import (baseline)", time.perf_counter() - start)
    if not args.inside_only:
        data_dir = work / "data"
        fresh_database(data_dir)
        start = time.perf_counter()
        subprocess.run(
            [*LEADDESK, "--data-dir", str(data_dir), "import", str(csv_path), "--json"],
            check=True,
            capture_output=True,
        )
        table.add("leaddesk import (whole process)", time.perf_counter() - start)
        table.add("python start-up, nothing imported", wall([sys.executable, "-c", "pass"]))
        table.add(
            "process start-up (import path imports)",
            wall([sys.executable, "-c", "import leaddesk.cli, leaddesk.operations.importing"]),
        )

    # In-process stages, with LeadDesk's own functions. The import runs with the
    # cyclic collector paused (import_bulk.collector_paused); so do the stages
    # here, or the collections walking 100,000 rows held in lists would double
    # the reading and parsing figures.
    gc.disable()
    from leaddesk.operations.importing import batch_writer, import_csv
    from leaddesk.operations.importing.batch_writer import ImportBatchWriter
    from leaddesk.operations.importing.duplicate_finder import DuplicateFinder

    if not args.inside_only:
        standalone_stages(table, csv_path)

    # The whole operation in-process, its stages timed inside: wall time and the
    # CPU time of the thread that ran them (thread_time), which a machine shared
    # with other work inflates far less than wall time. The helper thread's
    # stages (moving staged rows, history, search index) overlap the import's
    # own thread; everything else is on the import's thread.
    from leaddesk.core.scoring import ScoreMemo
    from leaddesk.operations.context import OperationContext
    from leaddesk.operations.importing import import_file
    from leaddesk.operations.importing.new_leads import NewLeadWriter
    from leaddesk.storage import bulk_write
    from leaddesk.storage.database import Database, open_database, resolve_location

    inside: dict[str, list[float]] = {}

    def wrap(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def measured(*a: Any, **k: Any) -> Any:
            wall_start, cpu_start = time.perf_counter(), time.thread_time()
            try:
                return original(*a, **k)
            finally:
                spent = inside.setdefault(label, [0.0, 0.0])
                spent[0] += time.perf_counter() - wall_start
                spent[1] += time.thread_time() - cpu_start

        setattr(owner, name, measured)

    stages = [
        (import_file, "_start_reading", "start: sniff, mapping, sample"),
        (import_file, "_parse", "parsing (RowParser.parse_chunk_values, rejections)"),
        (batch_writer, "chunk_keys", "duplicate keys (chunk_keys)"),
        (DuplicateFinder, "stored_matches", "stored duplicates (screens, lookups)"),
        (ImportBatchWriter, "_worked", "status words (worked)"),
        (batch_writer, "lone_rows", "rows sharing no key (lone_rows)"),
        (NewLeadWriter, "insert", "new leads: build and bind (insert)"),
        (ScoreMemo, "scores", "  of which scores"),
        (bulk_write.StagedRows, "stage", "  of which binding (executemany)"),
        (NewLeadWriter, "settle", "waiting for the helper thread"),
        (NewLeadWriter, "_after_insert", "helper thread: move, history, search"),
        (bulk_write.StagedRows, "move", "  of which moving into leads"),
        (bulk_write.DeferredIndexes, "rebuild", "index rebuilds (finish)"),
    ]
    for owner, name, label in stages:
        wrap(owner, name, label)
    reading_label = "reading (LeadDesk's reader)"
    slice_records = import_file.islice

    def read_chunk(records: Any, count: int) -> Any:
        # The chunk loop takes each chunk with islice: read it here, timed.
        wall_start, cpu_start = time.perf_counter(), time.thread_time()
        chunk = list(slice_records(records, count))
        spent = inside.setdefault(reading_label, [0.0, 0.0])
        spent[0] += time.perf_counter() - wall_start
        spent[1] += time.thread_time() - cpu_start
        return iter(chunk)

    import_file.islice = read_chunk  # type: ignore[assignment]
    transaction = Database.transaction

    @contextmanager
    def timed_transaction(self: Database) -> Iterator[Any]:
        with transaction(self) as connection:
            yield connection
            wall_start, cpu_start = time.perf_counter(), time.thread_time()
        spent = inside.setdefault("commit", [0.0, 0.0])
        spent[0] += time.perf_counter() - wall_start
        spent[1] += time.thread_time() - cpu_start

    Database.transaction = timed_transaction  # type: ignore[method-assign,assignment]
    second_dir = work / "data-inprocess"
    fresh_database(second_dir)
    ctx = OperationContext(db=open_database(resolve_location(str(second_dir), None)))
    cpu_start = time.process_time()
    seconds, result = timed(lambda: import_csv(ctx, csv_path))
    cpu = time.process_time() - cpu_start
    table.add(
        "import_csv in-process (no start-up)",
        seconds,
        f"{result.created:,} created; CPU of both threads {cpu:.3f} s",
    )
    labels = [label for _owner, _name, label in stages]
    labels[1:1] = [reading_label]
    for label in [*labels, "commit"]:
        wall_spent, cpu_spent = inside.get(label, [0.0, 0.0])
        table.add("  " + label, wall_spent, f"thread CPU {cpu_spent:.3f} s")
    ctx.db.close()

    if not args.inside_only:
        raw_inserts(table, work, second_dir)

    print(f"\n== import breakdown, {args.rows:,} rows ({csv_path}) ==")
    table.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
