"""Where a 100k-row ``leaddesk import`` spends its time, stage by stage, in one run.

Usage: python benchmarks/import_breakdown.py [--rows 100000] [--work DIR]

Each stage uses LeadDesk's own functions on the benchmark's file
(benchmarks/import_export.py's generator: 10 columns, unique people):

    process start-up        python -c "import leaddesk.cli, leaddesk.operations.importing"
    csv.reader alone        the stdlib reader over the file (the floor for reading)
    iter_records            LeadDesk's reader (sniffing, decoding, cleaning)
    RowParser.parse_chunk   validation and conversion, chunk by chunk
    dedupe keys             ImportBatchWriter._chunk_keys (normalised email/phone/company/name)
    import_csv in-process   the whole operation, with its writer's stages timed inside
    raw inserts             executemany of the imported rows (all columns) into a fresh,
                            migrated database: with every index and the FTS trigger, and
                            with them dropped; then the index rebuilds, FTS 'rebuild', commit

Measured on the 2-core team machine, 1 Dec 2026, 100,000 rows (others were
running tests at the same time; figures move by ±15 %). First run, with the
cyclic garbage collector still running in the in-process stages (the import
itself pauses it, see import_bulk.collector_paused), which inflated the
reading, parsing and key stages:

    sqlite3 .import (baseline)                               0.22 s
    leaddesk import, whole process                           4.16 s  (target ≤ 3.5× = 0.75 s)
    process start-up (import path imports; bare python 0.01) 0.30 s
    csv.reader alone                                         0.12 s
    iter_records (LeadDesk's reader)                         0.48 s  (4× csv.reader)
    RowParser.parse_chunk                                    1.19 s
    dedupe keys (_chunk_keys)                                0.31 s
    import_csv in-process                                    3.73 s, of which
      writer.process_chunk                                   1.95 s (_insert 1.22, _write 0.62)
      writer.finish (index rebuilds, FTS, scores)            0.64 s
    raw 50-column executemany, indexes + FTS trigger live    6.33 s (+ commit 0.20)
    raw 50-column executemany, indexes/FTS dropped           1.14 s
      + index rebuilds 0.42, FTS 'rebuild' 0.42, commit 0.22

Second run (perf3, same day), the collector paused for the in-process stages
as the import pauses it, and the email column's international domains judged
by domain (see below):

    sqlite3 .import (baseline)                               0.21 s
    leaddesk import, whole process                           3.69 s
    process start-up                                         0.27 s
    csv.reader alone                                         0.12 s
    iter_records (LeadDesk's reader)                         0.21 s  (was 0.48: the collector)
    RowParser.parse_chunk                                    0.51 s  (was 1.19: the collector,
                                                                      and the step below)
    dedupe keys (_chunk_keys)                                0.29 s
    import_csv in-process                                    3.31 s, of which
      writer.process_chunk                                   1.75 s (_insert 1.10, _write 0.57)
      writer.finish (index rebuilds, FTS, scores)            0.61 s

So the first table's RowParser and reader figures were mostly the collector
walking the 100,000 rows this script holds in lists; the real import never
paid that. Done so far of step 1 below (perf3): in the benchmark file 40 % of
the addresses have an international domain (café-…, øresund-…), which the
email column's fast pattern refused, so each went through the per-cell memo,
parse_email and email_problem (unique addresses: every one a miss).
value_contacts.domain_problem now answers what email_problem answers when it
would judge only the domain (one @, no whitespace, plain local part, lengths
within limits), from the library's per-domain memo; the email column of
parse_chunk and the import's ScoreMemo use it. parse_chunk in-process, 4
alternating runs each, collector paused: 0.54-0.61 s before, 0.45-0.46 s
after. Whole process (import_export.py --only import, alternating new/old/
new/old): 3.70, 3.78, 3.75, 3.83 s, i.e. ~0.08 s (2 %), within the noise of
one run but the same sign in both pairs. Where parse_chunk's time is now
(cProfile, collector paused): the phone column ~40 % (a Python loop per row
for the '+' fast path, national_to_e164 per number), parse_chunk's own
assembly of the row dicts ~15 %, the email column ~25 %, the text columns ~10 %.

What the numbers say: with a 0.22 s baseline the 3.5× target is 0.75 s for the
whole process, and start-up (0.30) + LeadDesk's reader (0.48) already exceed
it. Against the issue's reference machine (sqlite3 0.41 s, target 1.4 s) it is
within reach only if every stage shrinks. Plan for the next session, biggest first:

1. RowParser (1.19 s in the first table, 0.51 s really): the per-column
   memos, C-speed text columns and the fast email/phone checks are already in
   parse_chunk; international email domains now take the domain route (above).
   Left: the phone column's per-row loop (~40 % of what remains: settle the
   '+49 30 …' shape column-wise, e.g. by grouping on the country prefix), then
   the row-dict assembly. Goal ≤ 0.3 s.
2. iter_records (0.48 s in the first table, 0.21 s with the collector paused
   as in the import, vs csv.reader 0.12 s): it is a generator around
   csv.reader with any(record) and line numbers; little left to win.
3. Dedupe keys (0.31 s): derive them in the same column pass as parsing (the
   normalised email is the parsed email once the fast check passed), not a
   second pass over the values. Goal ≤ 0.1 s.
4. Writing (_insert 1.22 s, of which executemany 0.62 s; finish 0.64 s):
   insert only the mapped columns plus keys (a ~15-column INSERT, defaults
   from the schema, instead of ~50 bound values a row: the raw 50-column
   executemany alone is 1.14 s); build the row tuples column-wise; keep the 3
   dedupe indexes live only when the database already has leads; FTS by one
   'rebuild'-style fill of the batch (0.42 s for all) instead of the trigger;
   stage history by one INSERT ... SELECT; scores in SQL (rules compiled to
   an UPDATE ... CASE). Goal ≤ 0.6 s for the DB work.
5. Start-up (0.30 s): SQLAlchemy Core is ~0.12 s of it and stays; keep
   email-validator and phonenumbers lazy; measure with
   python -X importtime -m leaddesk import ... after each change.

Third round (1 Dec 2026, later session), done of the plan above:

- The search index and the first stage-history entries of each chunk's new
  leads are one INSERT ... SELECT each by id range, run on a helper thread
  (import_bulk.StatementsOffThread) while the next chunk is parsed: SQLite
  lets go of the interpreter lock while it runs them. The import's own thread
  spent 0.73 s in execute() before, 0.32 s after (the deferred index rebuild,
  now with PRAGMA threads, and the lookups).
- Step 1's phone column: a column of '+' numbers only is settled by one regex
  over the joined column and one judgement per (first seven characters,
  length) (row_parser._is_own_e164): _phone_outcomes 0.35 -> 0.11 s (cProfile).
- Scores a chunk at a time (ScoreMemo.scores) and domain_problem memoised, so
  an international address is judged once for parsing and scoring: scoring
  0.45 -> 0.35 s (cProfile).

Whole process, old and new code alternating on the same file and machine:
old 3.70, 3.74, 3.84 s; new 3.38, 3.42 s (one outlier at 3.97). Phases of
the new import in-process (perf_counter marks): imports 0.23 s, reading to
the first chunk 0.08 s, the chunks 2.56 s, finish (index rebuilds) 0.33 s,
commit and WAL checkpoint 0.26-0.30 s. So the chunks -- Python's work per
row: reading, parsing, keys, matching, building the rows, executemany's
binding -- are three quarters of it, about 25 µs a row against a budget of
7.5 µs for everything. What is left of the plan: steps 3 and 4 (keys from the
parsed values in the same pass; fewer bound values per row, constants as SQL),
and scores in SQL. They are worth tenths of a second each; the 3.5x target
needs a different shape again, which is not started. Measured for that:

- Parsing in a second process (reading, parse_chunk, keys; chunks pickled to
  the importing process) would leave the importing process 2.36 s of the
  in-process 2.87 s (measured by feeding it pre-pickled chunks: matching,
  building rows, executemany, index rebuilds, commit), so about -0.5 s for a
  second process, its start-up, and frozen-bundle plumbing. Not worth it alone.
- Moving executemany to the helper thread does not work: it needs the
  interpreter lock for every row it binds, and while the import's thread runs
  Python it waits up to a switch interval for each.
- What stays on the importing thread per 100k rows (perf_counter, no profiler;
  this VM's timings move by +-15 % from run to run): parse 0.50, keys 0.25,
  lookups 0.15, matching 0.17, building rows and scores 0.45, executemany
  0.57, then index rebuilds 0.32 and commit with its WAL checkpoint 0.26.
  Under cProfile the per-call costs look several times larger than they are:
  a column-wise domain_problems measured slower than the per-address calls
  once timed plainly, and was dropped.

The export (import_export.py --only export), for comparison: before this
session 1.06-1.15 s vs sqlite3 -csv 0.43 s (2.6×); now 0.88-0.98 s (2.05-2.2×,
target 2×) with SQLite writing each line by printf (see exporting.py). What is
left there: start-up ~0.20 s (SQLAlchemy ~0.12 s), SQLite building the lines
~0.33 s plus ~0.07 s for the NUL guard, and ~0.24 s of whole-chunk scans in
Python (quoting 0.10, neutralising 0.05, mark counts 0.025, the rest). Building
whole lines with || and CASE/GLOB in SQL measured slower than fetching values.
Since then (third round): the leads to export are numbered once in a temporary
table, each chunk is one aggregate statement (SQLite joins its lines), and the
next chunk is read on a helper thread while this one is written
(export_sqlite_chunks): 0.75-0.86 s, 1.72-1.83x sqlite3 -csv (target 2x met).
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
from collections.abc import Callable
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="leaddesk-breakdown-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / f"leads-{args.rows}.csv"
    if not csv_path.exists():
        generate_csv(csv_path, args.rows)
    table = Timer()

    # Whole processes, for reference.
    if shutil.which("sqlite3"):
        bare = work / "bare.sqlite3"
        bare.unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run(["sqlite3", str(bare), f".import --csv {csv_path} t"], check=True)
        table.add("sqlite3 .import (baseline)", time.perf_counter() - start)
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
    from leaddesk.core.csv_import.row_parser import RowParser
    from leaddesk.operations import import_batch
    from leaddesk.operations.import_batch import ImportBatchWriter
    from leaddesk.operations.importing import CHUNK_ROWS, _rows, import_csv, prepare_import

    def read_plain() -> int:
        with open(csv_path, encoding="utf-8", newline="") as stream:
            return sum(1 for _row in csv.reader(stream))

    seconds, _ = timed(read_plain)
    table.add("csv.reader alone", seconds)
    seconds, (fmt, mapping) = timed(lambda: prepare_import(csv_path))
    table.add("prepare_import (sniff + mapping)", seconds)
    seconds, records = timed(lambda: list(_rows(csv_path, fmt)))
    table.add("iter_records (LeadDesk's reader)", seconds, f"{len(records):,} rows")
    cells = [row for _line, row in records]
    row_parser = RowParser.from_sample(mapping, cells[:1000], default_region=None)

    def parse_all() -> list[Any]:
        parsed: list[Any] = []
        for start_row in range(0, len(cells), CHUNK_ROWS):
            parsed += row_parser.parse_chunk(cells[start_row : start_row + CHUNK_ROWS])
        return parsed

    seconds, parsed = timed(parse_all)
    table.add("RowParser.parse_chunk", seconds)
    values = [row.values for row in parsed]

    def keys() -> int:
        count = 0
        for start_row in range(0, len(values), CHUNK_ROWS):
            count += len(ImportBatchWriter._chunk_keys(values[start_row : start_row + CHUNK_ROWS]))
        return count

    seconds, _ = timed(keys)
    table.add("dedupe keys (_chunk_keys)", seconds)

    # The whole operation in-process, its writer's stages timed inside.
    from leaddesk.operations.context import OperationContext
    from leaddesk.storage.database import open_database, resolve_location

    stages = (
        "writer._load_existing_keys",
        "writer.process_chunk (keys, match, insert)",
        "  of which _insert (rows + DB)",
        "    of which _write (executemany)",
        "writer.finish (indexes, FTS, scores)",
    )
    inside: dict[str, float] = dict.fromkeys(stages, 0.0)

    def wrap(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def measured(*a: Any, **k: Any) -> Any:
            start_call = time.perf_counter()
            try:
                return original(*a, **k)
            finally:
                inside[label] = inside.get(label, 0.0) + time.perf_counter() - start_call

        setattr(owner, name, measured)

    wrap(ImportBatchWriter, "process_chunk", "writer.process_chunk (keys, match, insert)")
    wrap(ImportBatchWriter, "_insert", "  of which _insert (rows + DB)")
    wrap(ImportBatchWriter, "_write", "    of which _write (executemany)")
    wrap(ImportBatchWriter, "finish", "writer.finish (indexes, FTS, scores)")
    wrap(import_batch.ImportBatchWriter, "_load_existing_keys", "writer._load_existing_keys")
    second_dir = work / "data-inprocess"
    fresh_database(second_dir)
    ctx = OperationContext(db=open_database(resolve_location(str(second_dir), None)))
    seconds, result = timed(lambda: import_csv(ctx, csv_path))
    table.add("import_csv in-process (no start-up)", seconds, f"{result.created:,} created")
    for label, spent in inside.items():
        table.add("  " + label, spent)
    ctx.db.close()

    # Raw DB work: the imported rows, every column, into a fresh migrated database.
    source = sqlite3.connect(second_dir / "leaddesk.sqlite3")
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

    print(f"\n== import breakdown, {args.rows:,} rows ({csv_path}) ==")
    table.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
