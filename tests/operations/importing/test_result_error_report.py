"""Rejected rows: their line and reason, and the error report that holds them as they were."""

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
