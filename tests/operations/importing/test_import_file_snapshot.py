"""A file in motion and hostile cells: refused in one sentence or rejected, never half-stored."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.core.csv_import.bounded_lines import MAX_CELL_CHARS
from leaddesk.core.csv_import.file_errors import TORN_LAST_LINE
from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import ImportOptions, import_csv, import_file
from leaddesk.operations.leads import create_lead
from leaddesk.storage.schema import leads
from tests.operations.importing.import_helpers import (
    assert_same_dump,
    count,
    dump,
    run_import,
    write_csv,
)

HEADER = "First Name,Email,Notes\r\n"


def _people(path: Path, n: int) -> Path:
    return write_csv(
        path,
        [["First Name", "Email", "Notes"], *([f"P{i}", f"p{i}@example.com", ""] for i in range(n))],
    )


def test_a_file_that_grows_while_it_is_read_is_refused_and_nothing_is_written(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_lead(ctx, {"first_name": "Anna", "email": "anna@example.com"})
    monkeypatch.setattr(import_file, "CHUNK_ROWS", 3)
    path = _people(tmp_path / "growing.csv", 10)

    def another_program_appends(done: int, total: int) -> None:
        with path.open("a", encoding="utf-8", newline="") as stream:
            stream.write("Late,late@example.com,\r\n")

    before = dump(ctx.db)
    with pytest.raises(UserError) as refused:
        import_csv(ctx, path, progress=another_program_appends)

    assert str(refused.value) == (
        "growing.csv changed while it was being read; import it again once the other "
        "program has finished writing it."
    )
    assert_same_dump(before, dump(ctx.db))


def test_a_file_rewritten_in_place_while_read_is_refused(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_file, "CHUNK_ROWS", 3)
    path = _people(tmp_path / "rewritten.csv", 10)
    content = path.read_bytes()

    def rewritten(done: int, total: int) -> None:
        path.write_bytes(content.replace(b"P1,", b"Q1,"))  # same size, new time

    with pytest.raises(UserError, match="changed while it was being read"):
        import_csv(ctx, path, ImportOptions(dry_run=True), progress=rewritten)
    assert count(ctx, leads) == 0


def test_a_torn_last_row_is_rejected_with_its_reason_and_never_stored(
    ctx: OperationContext, tmp_path: Path
) -> None:
    path = tmp_path / "torn.csv"
    path.write_text(HEADER + "Ann,ann@example.com,\r\nBob,append35782@exa", newline="")

    result = run_import(ctx, path)

    assert (result.created, result.rejected) == (1, 1)
    assert [(row.line_number, row.reason) for row in result.rejected_sample] == [
        (3, TORN_LAST_LINE)
    ]
    with ctx.db.reading() as connection:
        assert connection.execute(select(leads.c.email)).scalars().all() == ["ann@example.com"]


GOOGLE_SHEETS = Path(__file__).parents[2] / "fixtures" / "csv" / "google_sheets_download.csv"
LAST_LEAD = "lena@vogel.example"


def _copy(source: Path, target: Path, *, age_seconds: float) -> Path:
    target.write_bytes(source.read_bytes())
    written = time.time() - age_seconds
    os.utime(target, (written, written))
    return target


def _emails(ctx: OperationContext) -> list[str]:
    with ctx.db.reading() as connection:
        return connection.execute(select(leads.c.email).order_by(leads.c.id)).scalars().all()


def test_a_settled_google_sheets_download_keeps_its_last_lead(
    ctx: OperationContext, tmp_path: Path
) -> None:
    # Downloaded an hour ago: the missing line end is how Sheets ends a file.
    path = _copy(GOOGLE_SHEETS, tmp_path / "sheet.csv", age_seconds=3600)
    assert not path.read_bytes().endswith(b"\n")

    result = run_import(ctx, path)

    assert (result.created, result.rejected) == (4, 0)
    assert _emails(ctx)[-1] == LAST_LEAD


def test_the_same_file_written_just_now_still_loses_its_torn_last_row(
    ctx: OperationContext, tmp_path: Path
) -> None:
    # It may still be being written: the last row may be cut short.
    path = _copy(GOOGLE_SHEETS, tmp_path / "sheet.csv", age_seconds=0)

    result = run_import(ctx, path)

    assert (result.created, result.rejected) == (3, 1)
    assert [(row.line_number, row.reason) for row in result.rejected_sample] == [
        (6, TORN_LAST_LINE)
    ]
    assert LAST_LEAD not in _emails(ctx)


def test_a_settled_file_whose_last_row_is_short_of_cells_still_rejects_it(
    ctx: OperationContext, tmp_path: Path
) -> None:
    path = tmp_path / "cut.csv"
    path.write_text(HEADER + "Ann,ann@example.com,\r\nBob,append35782@exa", newline="")
    _copy(path, path, age_seconds=3600)

    result = run_import(ctx, path)

    assert (result.created, result.rejected) == (1, 1)
    assert _emails(ctx) == ["ann@example.com"]


def test_a_cell_over_the_limit_is_refused_by_name_and_nothing_is_written(
    ctx: OperationContext, tmp_path: Path
) -> None:
    path = tmp_path / "giant.csv"
    path.write_text(
        HEADER + "Ann,ann@example.com,\r\n" + "Bob,bob@example.com," + "x" * (2 * MAX_CELL_CHARS),
        newline="",
    )
    before = dump(ctx.db)
    with pytest.raises(UserError) as refused:
        import_csv(ctx, path)
    assert str(refused.value) == "Line 3, column Notes is 2 MB; LeadDesk takes cells up to 1 MB."
    assert_same_dump(before, dump(ctx.db))


def test_a_users_own_leading_apostrophe_is_kept(ctx: OperationContext, tmp_path: Path) -> None:
    path = tmp_path / "apostrophes.csv"
    path.write_text(HEADER + "Ann,ann@example.com,'=x\r\nBob,bob@example.com,''+1\r\n")

    run_import(ctx, path)

    with ctx.db.reading() as connection:
        notes = connection.execute(select(leads.c.notes).order_by(leads.c.id)).scalars().all()
    assert notes == ["'=x", "''+1"]
