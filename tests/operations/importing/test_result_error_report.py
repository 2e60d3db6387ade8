"""Rejected rows and rows imported with a note: their line and reason, and the error
report that holds them as they were."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from tests.operations.importing.import_helpers import (
    FIXTURES,
    lead_rows,
    records,
    run_import,
    write_csv,
)

# --- rejected rows and the error report ------------------------------------------

REJECT_ROWS = [
    ["First Name", "Last Name", "Email", "Phone", "Company", "Create Date", "Notes"],
    ["Anna", "Berg", "ANNA@Example.com", "+49 30 1234567", "Acme", "2026-01-02", "ok"],
    ["", "", "", "", "Nobody Inc", "2026-01-03", "  spaced  "],
    ["Bob", "Stone", "bob@example.com", "", "Stone Ltd", "31/02/2026", "two\nlines"],
    ["Cara", "Lin", "cara@example.com", "12345", "Lin, Co", "", 'Zoë "quoted"'],
    ["Dora", "Weiß", "dora@example.com", "", "", "not a date", "=1+1"],
]


def test_only_a_row_naming_no_one_is_rejected(ctx: OperationContext, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", REJECT_ROWS)

    result = run_import(ctx, path)

    assert (result.created, result.updated, result.skipped, result.rejected) == (4, 0, 0, 1)
    # Bob's and Dora's dates cannot be read: kept in their notes. Cara's phone
    # "12345" was kept as typed. Each row counts once.
    assert (result.noted, result.warnings) == (2, 1)
    leads = {lead["first_name"]: lead for lead in lead_rows(ctx)}
    assert {name: lead["phone"] for name, lead in leads.items()} == {
        "Anna": "+49301234567",
        "Bob": None,
        "Cara": "12345",
        "Dora": None,
    }
    assert leads["Bob"]["notes"] == "two\nlines\n\nImported values:\nCreate Date: 31/02/2026"
    assert leads["Dora"]["notes"] == "=1+1\n\nImported values:\nCreate Date: not a date"
    assert [r.line_number for r in result.rejected_sample] == [3]
    assert [r.cells for r in result.rejected_sample] == [REJECT_ROWS[2]]
    assert result.rejected_sample[0].reason == "The row has no name, email or phone."
    # Bob's note spans lines 4-5, so Dora's row starts on line 7.
    assert [(n.line_number, n.column, n.field, n.value) for n in result.notes] == [
        (4, "Create Date", "created_at", "31/02/2026"),
        (6, "Phone", "phone", "12345"),
        (7, "Create Date", "created_at", "not a date"),
    ]
    for note in result.notes:
        assert note.reason.endswith(".")
        assert "\n" not in note.reason


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
    assert written == [
        [*REJECT_ROWS[0], "Line", "Reason"],
        [*REJECT_ROWS[2], "3", "The row has no name, email or phone."],
        [
            *REJECT_ROWS[3],
            "4",
            "Imported with a note. Create Date: '31/02/2026' is not a date this app can "
            "read. It was kept in the notes.",
        ],
        [
            *REJECT_ROWS[5],
            "7",
            "Imported with a note. Create Date: 'not a date' is not a date this app can "
            "read. It was kept in the notes.",
        ],
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
    assert (result.created, result.noted, result.rejected) == (2, 1, 0)
    report = tmp_path / "errors.csv"
    result.write_error_report(report)
    written = list(csv.reader(io.StringIO(report.read_text("utf-8-sig"), newline="")))
    assert written[0] == [*rows[0], "Line", "Reason"]
    assert written[1][:-1] == [*rows[1], "2"]
    assert "'kein Datum'" in written[1][-1]
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
