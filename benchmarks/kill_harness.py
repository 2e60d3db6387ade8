"""Kill -9 LeadDesk at random moments of an import, an undo-import and a backup.

Each kill runs ``leaddesk`` as its own process on a fresh copy of a prepared data
folder, sends SIGKILL after a random delay within the time the same command takes
uninterrupted, then opens the database as the next LeadDesk would and checks:

* ``PRAGMA integrity_check`` says ok;
* the row count of every table equals the count before the command or the count
  after it ran to the end -- never anything in between;
* for a backup, every file the backup folder lists as a backup is whole.

The suite runs a few kills (tests/benchmarks/test_kill_harness.py); ``make bench``
runs more, on larger files::

    python benchmarks/kill_harness.py --kills 20 --rows 200000
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATABASE_NAME = "leaddesk.sqlite3"

State = dict[str, int]


@dataclass
class Outcome:
    """What the kills of one command did."""

    command: str
    seconds: float
    """How long the command takes uninterrupted (process start included)."""
    kills: int = 0
    mid_run: int = 0
    """Kills that found the process still running (the others came too late)."""
    before: int = 0
    after: int = 0
    problems: list[str] = field(default_factory=list)


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEADDESK_")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    return env


def leaddesk(data_dir: Path, *argv: str) -> list[str]:
    return [sys.executable, "-m", "leaddesk", "--data-dir", str(data_dir), *argv]


def run_to_end(data_dir: Path, *argv: str) -> float:
    """Run one command to its end; how long it took."""
    start = time.perf_counter()
    subprocess.run(
        leaddesk(data_dir, *argv),
        cwd=REPO_ROOT,
        env=_environment(),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def write_people(path: Path, rows: int, prefix: str = "p") -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("First Name,Last Name,Email,Company,Job Title,Notes\r\n")
        stream.writelines(
            f"Given{i},Family{i},{prefix}{i}@example.com,Company {i % 700},Manager,note {i}\r\n"
            for i in range(rows)
        )
    return path


def database_state(data_dir: Path) -> tuple[str, State]:
    """``integrity_check``'s verdict and every table's row count, as LeadDesk reopens it."""
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        verdict = str(connection.execute("PRAGMA integrity_check").fetchone()[0])
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {
            name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
            for name in names
        }
        return verdict, counts
    finally:
        connection.close()


def backups_whole(data_dir: Path) -> list[str]:
    """Problems with the files the backup folder lists as backups (none: all whole)."""
    from leaddesk.storage.backup import default_backup_folder, list_backups

    problems = []
    for backup in list_backups(default_backup_folder(data_dir)):
        connection = sqlite3.connect(f"file:{backup.path}?mode=ro", uri=True)
        try:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            verdict = str(error)
        finally:
            connection.close()
        if verdict != "ok":
            problems.append(f"backup {backup.path.name}: {verdict}")
    return problems


def kill_after(data_dir: Path, argv: Sequence[str], delay: float) -> bool:
    """Start a command, SIGKILL it after ``delay`` seconds; whether it was still running."""
    process = subprocess.Popen(
        leaddesk(data_dir, *argv),
        cwd=REPO_ROOT,
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(delay)
        running = process.poll() is None
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    return running


def _say(text: str, end: str = "\n") -> None:
    """Progress on stderr, a line a kill: a make bench run takes an hour or more."""
    print(text, file=sys.stderr, end=end, flush=True)


def kill_repeatedly(
    template: Path,
    work: Path,
    argv: Sequence[str],
    kills: int,
    rng: random.Random,
    extra_check: Callable[[Path], list[str]] | None = None,
) -> Outcome:
    """Kill ``argv`` ``kills`` times, each on a fresh copy of ``template``."""
    _verdict, before = database_state(template)
    finished = work / "finished"
    shutil.copytree(template, finished)
    seconds = run_to_end(finished, *argv)
    _verdict, after = database_state(finished)
    shutil.rmtree(finished)
    outcome = Outcome(" ".join(argv[:1]), seconds)
    _say(f"{outcome.command}: {seconds:.1f} s uninterrupted")
    for attempt in range(kills):
        copy = work / f"kill-{attempt}"
        shutil.copytree(template, copy)
        delay = rng.uniform(0.1, seconds)
        running = kill_after(copy, argv, delay)
        outcome.mid_run += running
        outcome.kills += 1
        verdict, state = database_state(copy)
        found = "before" if state == before else "after" if state == after else "in between"
        when = "mid-run" if running else "after it ended"
        _say(f"{outcome.command}: kill {attempt + 1}/{kills} at {delay:.1f} s ({when}): ", end="")
        _say(f"{verdict}, {found}")
        if verdict != "ok":
            outcome.problems.append(f"kill {attempt}: integrity_check says {verdict}")
        if state == before:
            outcome.before += 1
        elif state == after:
            outcome.after += 1
        else:
            changed = {name: (before.get(name), count) for name, count in state.items()}
            changed = {name: pair for name, pair in changed.items() if pair[0] != pair[1]}
            outcome.problems.append(f"kill {attempt}: counts in between: {changed}")
        if extra_check is not None:
            outcome.problems += [f"kill {attempt}: {p}" for p in extra_check(copy)]
        shutil.rmtree(copy)
    return outcome


def run_all(work: Path, rows: int, kills: int, seed: int) -> list[Outcome]:
    """Kills during an import, an undo of an import and a backup."""
    rng = random.Random(seed)
    empty = work / "empty"
    run_to_end(empty, "import", str(write_people(work / "first.csv", 50, prefix="first")))
    people = write_people(work / "people.csv", rows)
    outcomes = [kill_repeatedly(empty, work, ["import", str(people)], kills, rng)]

    imported = work / "imported"
    shutil.copytree(empty, imported)
    run_to_end(imported, "import", str(people))
    batch = max(int(name) for name in _batches(imported))
    outcomes.append(kill_repeatedly(imported, work, ["undo-import", str(batch)], kills, rng))
    outcomes.append(kill_repeatedly(imported, work, ["backup"], kills, rng, backups_whole))
    return outcomes


def _batches(data_dir: Path) -> list[str]:
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        return [str(row[0]) for row in connection.execute("SELECT id FROM import_batches")]
    finally:
        connection.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the imported file")
    parser.add_argument("--kills", type=int, default=20, help="kills of each command")
    parser.add_argument("--seed", type=int, default=None, help="seed of the random moments")
    parser.add_argument("--work", type=Path, default=None, help="keep the files in this folder")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    work = args.work or Path(os.environ.get("TMPDIR", "/tmp")) / f"leaddesk-kills-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    try:
        start = time.perf_counter()
        outcomes = run_all(work, args.rows, args.kills, seed)
        total = time.perf_counter() - start
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"seed {seed}, {args.rows:,} rows, {args.kills} kills a command, {total:.0f} s")
    print("| command | uninterrupted | kills | still running | as before | as after | problems |")
    print("|---|---|---|---|---|---|---|")
    for o in outcomes:
        print(
            f"| `{o.command}` | {o.seconds:.1f} s | {o.kills} | {o.mid_run} | {o.before} | "
            f"{o.after} | {len(o.problems)} |"
        )
    problems = [problem for o in outcomes for problem in o.problems]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
