"""Helpers shared by the import's tests: files, dumps of every table, stored leads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import column, func, inspect, select, table

from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import (
    DuplicatePolicy,
    ImportOptions,
    ImportResult,
    import_csv,
)
from leaddesk.storage.database import Database
from leaddesk.storage.schema import leads, owners
from leaddesk.storage.search import search_condition

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "csv"
SAMPLES = REPO_ROOT / "tests" / "fixtures" / "samples"
# Files that are unusable on purpose (a header and no rows): refused, tested apart.
UNUSABLE_FIXTURES = frozenset({"header_only.csv"})
FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*.csv") if p.name not in UNUSABLE_FIXTURES)
SAMPLE_FILES = sorted(SAMPLES.glob("*.csv"))
LATER = dt.timedelta(minutes=5)
# The time of the `clock` fixture (tests/conftest.py), when each test starts.
TEST_NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)
# The FTS5 index of the search box is an external-content table: ``lead_search``
# itself reads the text from ``leads``; these hold the index's own pages.
FTS_SHADOW_TABLES = frozenset(
    {"lead_search_config", "lead_search_data", "lead_search_docsize", "lead_search_idx"}
)


def dump(db: Database, *, skip: Collection[str] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (and the schema itself), ordered by primary key."""
    inspector = inspect(db.engine)
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with db.reading() as connection:
        for name in sorted(inspector.get_table_names()):
            if name == "lead_search" or name in skip:
                continue  # a view onto `leads`, which is dumped itself
            columns = [info["name"] for info in inspector.get_columns(name)]
            keys = inspector.get_pk_constraint(name)["constrained_columns"] or columns
            source = table(name, *(column(c) for c in columns))
            query = select(*source.c).order_by(*(source.c[k] for k in keys))
            tables[name] = [tuple(row) for row in connection.execute(query)]
        if db.dialect == "sqlite":
            schema = connection.exec_driver_sql(
                "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
            )
            tables["sqlite_master"] = [tuple(row) for row in schema]
    return tables


def assert_same_dump(
    before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]
) -> None:
    assert before.keys() == after.keys()
    for name in before:
        assert after[name] == before[name], f"table {name} changed"


def write_csv(
    path: Path,
    rows: Sequence[Sequence[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    line_ending: str = "\r\n",
) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_ending).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# The columns of the duplicate tests' files: who the row is, then what it says.
HEADER = ["First Name", "Last Name", "Email", "Phone", "Company", "Job Title", "Notes"]
DUP_HEADER = [*HEADER, "Lifecycle Stage", "Marketing contact status", "Temperature"]


def dup_file(tmp_path: Path, *rows: list[str]) -> Path:
    return write_csv(tmp_path / "dups.csv", [DUP_HEADER, *rows])


def lead_rows(ctx: OperationContext) -> list[dict[str, Any]]:
    """Every stored lead with its owner's name, oldest first."""
    query = (
        select(leads, owners.c.name.label("owner_name"))
        .select_from(leads.outerjoin(owners, leads.c.owner_id == owners.c.id))
        .order_by(leads.c.id)
    )
    with ctx.db.reading() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def lead_named(ctx: OperationContext, first: str, last: str) -> dict[str, Any]:
    found = [r for r in lead_rows(ctx) if (r["first_name"], r["last_name"]) == (first, last)]
    assert len(found) == 1, f"{first} {last}: {len(found)} leads"
    return found[0]


def run_import(
    ctx: OperationContext,
    path: Path,
    policy: DuplicatePolicy = DuplicatePolicy.SKIP,
    **options: Any,
) -> ImportResult:
    result = import_csv(ctx, path, ImportOptions(policy=policy, **options))
    assert result.created + result.updated + result.skipped + result.rejected == result.rows
    return result


def batch_of(result: ImportResult) -> int:
    assert result.batch_id is not None
    return result.batch_id


def count(ctx: OperationContext, source: Any) -> int:
    with ctx.db.reading() as connection:
        return int(connection.execute(select(func.count()).select_from(source)).scalar_one())


def decoded(path: Path) -> str:
    """The file's text, decoded without the app's reader."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def records(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and non-blank data records, read with the standard csv module.

    NUL characters are left out, as the import leaves them out of every cell.
    """
    content = decoded(path).replace("\x00", "")
    delimiter = max(",;\t|", key=content.count)
    rows = list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))
    start = next(i for i, row in enumerate(rows) if sum(bool(c.strip()) for c in row) >= 2)
    return rows[start], [row for row in rows[start + 1 :] if any(c.strip() for c in row)]


EMAIL_CELL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# The phone column of each export the fixtures and samples imitate (the first
# one present wins: Outlook's "Business Phone" before its "Mobile Phone").
PHONE_HEADERS = (
    "Phone Number",
    "Phone",
    "Telefon",
    "Teléfono",
    "Business Phone",
    "Person - Phone - Mobile",
    "Person - Phone - Work",
    "Phone 1 - Value",
)


def phone_cells(header: list[str], data: list[list[str]]) -> list[str]:
    """The phone column's non-empty cells ('-' means none), or [] without one."""
    index = next((header.index(h) for h in PHONE_HEADERS if h in header), None)
    if index is None:
        return []
    return [row[index] for row in data if row[index].strip() not in ("", "-")]


def fts_consistent(db: Database) -> None:
    """The search index holds exactly what `leads` holds (raises otherwise)."""
    with db.transaction() as connection:
        connection.exec_driver_sql(
            "INSERT INTO lead_search(lead_search) VALUES ('integrity-check')"
        )


def search_ids(ctx: OperationContext, query: str) -> list[int]:
    condition = search_condition(ctx.db.dialect, query)
    assert condition is not None
    with ctx.db.reading() as connection:
        return list(connection.execute(select(leads.c.id).where(condition)).scalars())
