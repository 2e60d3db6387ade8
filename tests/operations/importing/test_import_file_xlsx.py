"""Importing an Excel sheet: the CSV import's mapping, duplicates, progress and undo.

The workbook (tests/fixtures/xlsx/contacts.xlsx) has a title above its table,
dates shown day-first, date-times, phone numbers and postcodes typed as
numbers, formulas with cached values and text that looks like a formula.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import (
    DuplicatePolicy,
    ImportOptions,
    import_csv,
    prepare_import,
    undo_import,
)
from leaddesk.storage.schema import leads
from tests.operations.importing.import_helpers import (
    FTS_SHADOW_TABLES,
    assert_same_dump,
    batch_of,
    count,
    dump,
    lead_named,
    run_import,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "xlsx"
CONTACTS = FIXTURES / "contacts.xlsx"


@pytest.fixture(autouse=True)
def _berlin(monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's zone, in which the workbook's date-times were typed."""
    monkeypatch.setenv("TZ", "Europe/Berlin")


def test_a_sheet_imports_with_its_typed_values_read_right(ctx: OperationContext) -> None:
    result = run_import(ctx, CONTACTS, default_region="DE")
    assert (result.created, result.rejected, result.warnings) == (3, 0, 0)

    anna = lead_named(ctx, "Anna", "Schäfer")
    assert anna["email"] == "anna@nordlicht.example"
    # Shown as 03/04/2026 in the sheet: 3 April, not 4 March.
    assert anna["expected_close_date"] == dt.date(2026, 4, 3)
    # Typed at 09:30 in Berlin (UTC+1 in March).
    assert anna["created_at"] == dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)
    assert (anna["deal_value_cents"], anna["company_size"]) == (123450, 12)
    # Text that looks like a formula is the user's text, apostrophe-free and kept.
    assert anna["notes"] == "=1+1"
    # Typed as the number 301234567 (030 1234567 without its 0), not "301234567.0".
    assert anna["phone"] == "+49301234567"

    jose = lead_named(ctx, "José", "Gómez")
    assert jose["deal_value_cents"] == 246900  # the formula's cached value
    assert jose["notes"] == "Met at booth 7"
    assert lead_named(ctx, "Keiko", "Nakamura")["deal_value_cents"] == 10025


def test_rejected_rows_are_named_by_their_row_in_the_sheet(
    ctx: OperationContext, tmp_path: Path
) -> None:
    import xlsxwriter

    path = tmp_path / "leads.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["Email", "Company", "Created"])
    sheet.write_row(1, 0, ["ana@example.com", "Acme", "2026-01-05"])
    sheet.write_row(3, 0, ["", "Nobody Inc.", "2026-01-06"])  # no one to call: rejected
    workbook.close()

    result = run_import(ctx, path)
    assert (result.created, result.rejected) == (1, 1)
    assert [rejected.line_number for rejected in result.rejected_sample] == [4]


def test_a_chosen_sheet_is_imported(ctx: OperationContext) -> None:
    fmt, mapping = prepare_import(CONTACTS, sheet="Customers")
    result = import_csv(ctx, CONTACTS, ImportOptions(fmt=fmt, mapping=mapping))
    assert result.created == 1
    liam = lead_named(ctx, "Liam", "Smith")
    assert liam["email"] == "liam@blue-sky.example"


def test_the_duplicate_rules_apply_and_undo_takes_the_import_back(
    ctx: OperationContext,
) -> None:
    before = dump(ctx.db)
    first = run_import(ctx, CONTACTS)
    again = run_import(ctx, CONTACTS, DuplicatePolicy.SKIP)
    assert (again.created, again.skipped) == (0, 3)

    undo_import(ctx, batch_of(again))
    undo_import(ctx, batch_of(first))
    assert count(ctx, leads) == 0
    skip = FTS_SHADOW_TABLES | {"import_batches"}
    after = dump(ctx.db, skip=skip)
    assert_same_dump({k: v for k, v in before.items() if k not in skip}, after)


def test_progress_counts_the_sheets_rows(ctx: OperationContext) -> None:
    seen: list[tuple[int, int]] = []
    import_csv(ctx, CONTACTS, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (3, 3)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("damaged.xlsx", "damaged"),
        ("password.xlsx", "password"),
        ("old_excel.xls", ".xls"),
    ],
)
def test_an_unusable_workbook_changes_nothing(ctx: OperationContext, name: str, words: str) -> None:
    before = dump(ctx.db)
    with pytest.raises(UserError, match=words):
        import_csv(ctx, FIXTURES / name)
    assert_same_dump(before, dump(ctx.db))


def test_an_unknown_sheet_is_a_user_error(ctx: OperationContext) -> None:
    with pytest.raises(UserError, match="no sheet named 'Leads'"):
        prepare_import(CONTACTS, sheet="Leads")


def test_a_workbook_changed_between_preparing_and_importing_is_read_again(
    ctx: OperationContext, tmp_path: Path
) -> None:
    path = tmp_path / "leads.xlsx"
    shutil.copy(CONTACTS, path)
    fmt, mapping = prepare_import(path, sheet="Customers")
    path.write_bytes(b"")  # emptied meanwhile
    with pytest.raises(UserError):
        import_csv(ctx, path, ImportOptions(fmt=fmt, mapping=mapping))
    assert count(ctx, leads) == 0
