"""Exporting leads to an .xlsx workbook: typed cells a spreadsheet user can work with.

Read back with python-calamine (the import's reader) and, for what only the
XML says (frozen header, filters, no formula anywhere, well-formed parts), from
the package itself.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import threading
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.exporting import (
    ExportCancelled,
    export_headers,
    export_leads_xlsx,
    is_xlsx_path,
    xlsx_file,
)
from leaddesk.operations.leads import create_lead, delete_leads
from leaddesk.storage.queries import LeadFilter
from tests.operations.exporting.test_export_file_roundtrip import AWKWARD_LEADS

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def sheet_rows(path: Path) -> list[list[Any]]:
    return list(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())


def as_dicts(path: Path) -> list[dict[str, Any]]:
    header, *rows = sheet_rows(path)
    return [dict(zip(header, row, strict=True)) for row in rows]


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("xl/worksheets/sheet1.xml").decode("utf-8")


@pytest.fixture
def ana(ctx: OperationContext) -> int:
    return create_lead(
        ctx,
        {
            "first_name": "Ana",
            "last_name": "=1+1",
            "email": "ana@example.com",
            "phone": "+49 30 1234567",
            "company": "'Quoted' & <Sons>",
            "consent": "granted",
            "consent_date": dt.datetime(2026, 7, 1, 7, 30, 15, 987654, tzinfo=dt.UTC),
            "company_size": 12,
            "decision_maker": True,
            "budget_confirmed": False,
            "expected_close_date": dt.date(2027, 2, 28),
            "deal_value": 123456,
            "temperature": "warm",
            "stage": "sql",
        },
    ).value


def test_cells_are_typed_and_labelled_as_people_read_them(
    ctx: OperationContext, tmp_path: Path, ana: int
) -> None:
    path = tmp_path / "leads.xlsx"
    assert export_leads_xlsx(ctx, path, zone=BERLIN) == 1
    (lead,) = as_dicts(path)
    assert lead["First name"] == "Ana"
    assert lead["Last name"] == "=1+1"  # text, shown as typed: no apostrophe
    assert lead["Company"] == "'Quoted' & <Sons>"
    assert lead["Phone"] == "+49 30 1234567"
    assert (lead["Temperature"], lead["Stage"], lead["Consent"]) == ("Warm", "SQL", "Granted")
    assert lead["Expected close date"] == dt.date(2027, 2, 28)
    # Local time in Berlin (UTC+2 in July), whole seconds.
    assert lead["Consent date"] == dt.datetime(2026, 7, 1, 9, 30, 15)
    assert lead["Deal value"] == 1234.56
    assert lead["Company size"] == 12
    assert (lead["Decision maker"], lead["Budget confirmed"]) == (True, False)
    assert lead["Created"] == dt.datetime(2026, 11, 17, 11, 30)  # the test clock, in Berlin
    assert lead["Email"] == "ana@example.com"
    assert lead["Won value"] == ""  # nothing is written for no value


def test_the_columns_are_the_csv_exports(ctx: OperationContext, tmp_path: Path, ana: int) -> None:
    path = tmp_path / "leads.xlsx"
    export_leads_xlsx(ctx, path)
    assert sheet_rows(path)[0] == export_headers()


def test_no_cell_is_a_formula_and_the_header_is_frozen_with_filters(
    ctx: OperationContext, tmp_path: Path, ana: int
) -> None:
    path = tmp_path / "leads.xlsx"
    export_leads_xlsx(ctx, path)
    xml = sheet_xml(path)
    assert "<f>" not in xml
    assert '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' in xml
    assert '<autoFilter ref="A1:' in xml
    assert "<cols>" in xml  # widths set


def test_money_and_dates_carry_number_formats(
    ctx: OperationContext, tmp_path: Path, ana: int
) -> None:
    path = tmp_path / "leads.xlsx"
    export_leads_xlsx(ctx, path)
    with zipfile.ZipFile(path) as package:
        styles = package.read("xl/styles.xml").decode("utf-8")
    assert 'formatCode="yyyy\\-mm\\-dd"' in styles or 'formatCode="yyyy-mm-dd"' in styles
    assert 'formatCode="#,##0.00"' in styles


def test_a_selection_and_a_filter_narrow_the_export(ctx: OperationContext, tmp_path: Path) -> None:
    ids = [create_lead(ctx, {"first_name": name, "temperature": "hot"}).value for name in "ABC"]
    create_lead(ctx, {"first_name": "D", "temperature": "cold"})
    delete_leads(ctx, [ids[2]])  # the trash is never exported
    path = tmp_path / "leads.xlsx"
    assert export_leads_xlsx(ctx, path, lead_filter=LeadFilter(temperature="hot")) == 2
    assert [lead["First name"] for lead in as_dicts(path)] == ["A", "B"]
    assert export_leads_xlsx(ctx, path, lead_ids=[ids[1], ids[2]]) == 1
    assert [lead["First name"] for lead in as_dicts(path)] == ["B"]


def test_progress_is_reported_and_a_cancel_leaves_the_old_file(
    ctx: OperationContext, tmp_path: Path
) -> None:
    for number in range(3):
        create_lead(ctx, {"first_name": f"Lead {number}"})
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / "leads.xlsx"
    path.write_bytes(b"the user's old file")
    with pytest.raises(ExportCancelled):
        export_leads_xlsx(ctx, path, should_cancel=lambda: True)
    assert path.read_bytes() == b"the user's old file"
    assert os.listdir(folder) == ["leads.xlsx"]  # no part file left behind

    seen: list[tuple[int, int]] = []
    export_leads_xlsx(ctx, path, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 3)
    assert seen[-1] == (3, 3)
    assert len(as_dicts(path)) == 3


def test_an_empty_export_is_a_workbook_with_its_header(
    ctx: OperationContext, tmp_path: Path
) -> None:
    path = tmp_path / "none.xlsx"
    assert export_leads_xlsx(ctx, path) == 0
    assert sheet_rows(path) == [export_headers()]


def test_a_destination_that_cannot_be_written_is_one_sentence(
    ctx: OperationContext, tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="There is no folder"):
        export_leads_xlsx(ctx, tmp_path / "missing" / "leads.xlsx")
    with pytest.raises(UserError, match="is a folder"):
        export_leads_xlsx(ctx, tmp_path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("leads.xlsx", True), ("LEADS.XLSX", True), ("leads.csv", False), ("leads.xls", False)],
)
def test_the_file_name_chooses_the_workbook(name: str, expected: bool) -> None:
    assert is_xlsx_path(name) is expected


def test_every_part_of_an_export_is_well_formed_xml(
    ctx: OperationContext, tmp_path: Path, ana: int
) -> None:
    for lead in AWKWARD_LEADS:
        create_lead(ctx, lead)
    create_lead(ctx, {"first_name": "Bell\x07", "notes": "tab\there\r\nand _x0041_ & <b>"})
    path = tmp_path / "leads.xlsx"
    export_leads_xlsx(ctx, path)
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        for name in package.namelist():
            ET.fromstring(package.read(name))  # raises on a part that is not XML
    notes = [lead["Notes"] for lead in as_dicts(path)]
    assert notes[-1] == "tab\there\r\nand _x0041_ & <b>"


def test_memory_stays_flat_however_many_leads(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five times the leads, the same peak: each chunk is written and let go of."""
    monkeypatch.setattr(xlsx_file, "CHUNK_ROWS", 100)
    add_demo_leads(ctx, 400, seed=3)
    peaks = []
    for count in (400, 2000):
        if count > 400:
            add_demo_leads(ctx, count - 400, seed=4)
        tracemalloc.start()
        try:
            assert export_leads_xlsx(ctx, tmp_path / f"{count}.xlsx") == count
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] < peaks[0] * 1.3, peaks


class _FullDisk(io.FileIO):
    """A file on a disk that fills up after its first few kilobytes."""

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > 4096:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


def test_a_full_disk_mid_export_leaves_no_half_workbook(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_demo_leads(ctx, 300, seed=8)
    monkeypatch.setattr(xlsx_file, "CHUNK_ROWS", 50)
    monkeypatch.setattr(xlsx_file, "open", lambda path, mode: _FullDisk(path, mode), raising=False)
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / "leads.xlsx"
    path.write_bytes(b"the user's old file")
    with pytest.raises(UserError, match="disk is full"):
        export_leads_xlsx(ctx, path)
    assert path.read_bytes() == b"the user's old file"
    assert os.listdir(folder) == ["leads.xlsx"]  # no part file left behind
    assert not [thread for thread in threading.enumerate() if "leaddesk-xlsx" in thread.name]


def test_more_leads_than_a_sheet_has_rows_is_one_sentence_and_no_file(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_file, "MAX_ROWS", 3)  # Excel's is 1,048,576, header included
    for name in "ABC":
        create_lead(ctx, {"first_name": name})
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(UserError, match="holds at most 2 leads and 3 would be exported"):
        export_leads_xlsx(ctx, folder / "leads.xlsx")
    assert os.listdir(folder) == []
    delete_leads(ctx, [1])
    assert export_leads_xlsx(ctx, folder / "leads.xlsx") == 2


def test_a_sheet_too_large_for_a_zip_entry_is_one_sentence_and_no_file(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over 2 GiB of sheet XML needs ZIP64 records the workbook is written without."""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 20_000)  # the real one is 2 GiB
    add_demo_leads(ctx, 50, seed=9)
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(UserError, match="too much text for one Excel workbook"):
        export_leads_xlsx(ctx, folder / "leads.xlsx")
    assert os.listdir(folder) == []
