"""Excel import/export speed against the CSV import/export of the same rows.

Whole processes, timed from outside, as a user runs them (median of --repeat):

    leaddesk import FILE.xlsx   vs  leaddesk import FILE.csv, same rows   (target ≤ 2×)
    leaddesk export FILE.xlsx   vs  leaddesk export FILE.csv, same leads  (target ≤ 3×)

The workbook holds the rows of import_export.py's generated CSV file, typed as
a spreadsheet user's would be: text as text, the creation date as a date-time
cell. Also printed: the Excel import's peak memory, and with --readers the two
readers the import could use (python-calamine and openpyxl's read-only mode,
if installed), each reading every cell of the workbook as text in a process
of its own: the measurement behind the choice of python-calamine.

The two exports run in turn (CSV, xlsx, CSV, xlsx, ...), so that a load other
processes put on the machine falls on both alike; each ratio is the median of
the ratios of the pairs. Also printed: each export's peak memory, which must
not grow with the number of leads (compare --rows 20000 100000).

Usage: python benchmarks/xlsx_import_export.py [--rows 100000] [--repeat 3] [--readers]
                                               [--only import|export]
(--only export imports the CSV file once, untimed, then measures the exports.)
Prints each figure with its baseline, the ratio and PASS/FAIL; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The sibling script, found through sys.path.
from import_export import (
    LEADDESK,
    ROOT,
    best,
    fresh_database,
    generate_csv,
    peak_rss_kb,
    report,
    run,
)

IMPORT_TARGET = 2.0
EXPORT_TARGET = 3.0

_READER_SCRIPT = """
import resource, sys, time
which, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if which == "calamine":
    from python_calamine import CalamineWorkbook
    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    rows = sum(1 for row in sheet.iter_rows() if [str(cell) for cell in row])
else:
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(
        1
        for row in book.worksheets[0].iter_rows(values_only=True)
        if ["" if cell is None else str(cell) for cell in row]
    )
    book.close()
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{seconds:.2f} {peak:.0f} {rows}")
"""


def csv_to_xlsx(csv_path: Path, xlsx_path: Path) -> None:
    """The rows of ``csv_path`` as a workbook, the 'Create Date' column as date-time cells."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Contacts")
    moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    with open(csv_path, encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        date_column = header.index("Create Date")
        for column, name in enumerate(header):
            sheet.write_string(0, column, name)
        for row_number, row in enumerate(reader, start=1):
            for column, text in enumerate(row):
                if column == date_column:
                    value = dt.datetime.strptime(text, "%Y-%m-%d %H:%M")
                    sheet.write_datetime(row_number, column, value, moment)
                elif text:
                    sheet.write_string(row_number, column, text)
    workbook.close()


def side_by_side(first: list[str], second: list[str], repeat: int) -> tuple[float, float, float]:
    """Median wall times of two commands run in turn, and the median of their pairs' ratios."""
    firsts, seconds = [], []
    for _ in range(repeat):
        firsts.append(run(first))
        seconds.append(run(second))
    ratios = [b / a for a, b in zip(firsts, seconds, strict=True)]
    return statistics.median(firsts), statistics.median(seconds), statistics.median(ratios)


def _verdict(
    name: str,
    seconds: float,
    baseline_name: str,
    baseline: float,
    target: float,
    ratio: float | None = None,
) -> bool:
    ratio = seconds / baseline if ratio is None else ratio
    ok = ratio <= target
    print(
        f"  {name:<28} {seconds:6.2f} s   {baseline_name:<24} {baseline:6.2f} s   "
        f"{ratio:5.2f}×  (target ≤ {target:g}×)  {'PASS' if ok else 'FAIL'}"
    )
    return ok


def compare_readers(xlsx_path: Path) -> None:
    print("  Readers, every cell as text, one process each (seconds, peak memory):")
    for which in ("calamine", "openpyxl"):
        completed = subprocess.run(
            [sys.executable, "-c", _READER_SCRIPT, which, str(xlsx_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            print(f"    {which:<9} not measured ({completed.stderr.strip().splitlines()[-1]})")
            continue
        seconds, peak, rows = completed.stdout.split()
        print(f"    {which:<9} {float(seconds):6.2f} s  {float(peak):5.0f} MB  ({rows} rows)")


def bench(rows: int, repeat: int, work: Path, readers: bool, only: str | None) -> list[str]:
    csv_path = work / f"leads-{rows}.csv"
    xlsx_path = work / f"leads-{rows}.xlsx"
    if not csv_path.exists():
        generate_csv(csv_path, rows)
    if only != "export" and not xlsx_path.exists():
        csv_to_xlsx(csv_path, xlsx_path)
    sizes = f"CSV {csv_path.stat().st_size / 1e6:.0f} MB"
    if xlsx_path.exists():
        sizes += f", xlsx {xlsx_path.stat().st_size / 1e6:.0f} MB"
    print(f"\n== {rows:,} rows: {sizes} ==")
    data_dir = work / "data"
    failures: list[str] = []

    def fresh() -> None:
        fresh_database(data_dir)

    def importing(path: Path) -> list[str]:
        return [*LEADDESK, "--data-dir", str(data_dir), "import", str(path), "--json"]

    if only == "export":
        fresh()
        run(importing(csv_path))
    else:
        csv_import = best(importing(csv_path), repeat, fresh)
        xlsx_import = best(importing(xlsx_path), repeat, fresh)
        if not _verdict(
            "leaddesk import .xlsx", xlsx_import, "import .csv", csv_import, IMPORT_TARGET
        ):
            failures.append(f"{rows:,}: xlsx import {xlsx_import / csv_import:.2f}× the CSV import")
        fresh()
        peak_kb = peak_rss_kb(importing(xlsx_path))
        if peak_kb > 0:
            print(f"  leaddesk import .xlsx peak memory {peak_kb / 1024:.0f} MB")
    if only != "import":
        failures += _bench_export(rows, repeat, work, data_dir)
    if readers and xlsx_path.exists():
        compare_readers(xlsx_path)
    return failures


def _bench_export(rows: int, repeat: int, work: Path, data_dir: Path) -> list[str]:
    def exporting(name: str) -> list[str]:
        return [*LEADDESK, "--data-dir", str(data_dir), "export", str(work / name)]

    csv_export, xlsx_export, ratio = side_by_side(
        exporting("export.csv"), exporting("export.xlsx"), repeat
    )
    failures = []
    if not _verdict(
        "leaddesk export .xlsx", xlsx_export, "export .csv", csv_export, EXPORT_TARGET, ratio
    ):
        failures.append(f"{rows:,}: xlsx export {ratio:.2f}× the CSV export")
    peaks = [peak_rss_kb(exporting(name)) for name in ("export.csv", "export.xlsx")]
    if min(peaks) > 0:
        print(
            f"  peak memory: export .xlsx {peaks[1] / 1024:.0f} MB, "
            f"export .csv {peaks[0] / 1024:.0f} MB"
        )
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--work", type=Path, default=None, help="folder for files (kept)")
    parser.add_argument(
        "--readers", action="store_true", help="also time python-calamine against openpyxl"
    )
    parser.add_argument("--only", choices=["import", "export"], default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="leaddesk-bench-xlsx-"))
    work.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    failures: list[str] = []
    for rows in args.rows:
        failures += bench(rows, args.repeat, work, args.readers, args.only)
    return report(failures)


if __name__ == "__main__":
    sys.exit(main())
