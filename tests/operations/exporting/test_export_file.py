"""CSV export as a user meets it: opens right in Excel, runs no formulas, reads back exactly.

Files are read back the way a spreadsheet or LeadDesk's import would: bytes for
the byte-order mark and line endings, the ``csv`` module for cells. The
reference rendering at the bottom writes the same leads with ``csv.writer`` and
``neutralise``; the export must match it byte for byte, which pins its own
quoting and its database-side formatting to the standard library's.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from leaddesk.core.csv_import.mapping import CREATED_AT, FIRST_CONTACTED, suggest_mapping
from leaddesk.core.csv_import.row_parser import RowParser
from leaddesk.core.csv_import.safety import FORMULA_TRIGGERS, neutralise, unneutralise
from leaddesk.core.fields import LEAD_FIELDS, FieldKind
from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.exporting import (
    ExportCancelled,
    ExportFlavour,
    export_file,
    export_headers,
    export_leads,
)
from leaddesk.operations.exporting import cells as export_cells
from leaddesk.operations.exporting.export_file import (
    CREATED_HEADER,
    FIRST_CONTACTED_HEADER,
    NEXT_FOLLOW_UP_HEADER,
    SCORE_HEADER,
)
from leaddesk.operations.leads import create_lead, delete_leads
from leaddesk.storage.lead_times import refresh_lead_times
from leaddesk.storage.queries import LeadFilter, lead_list_query
from leaddesk.storage.schema import follow_ups, leads

# The time of the `clock` fixture (tests/conftest.py).
TEST_NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)
FIELD_LABELS = [field.label for field in LEAD_FIELDS]
EXTRA_HEADERS = [SCORE_HEADER, CREATED_HEADER, FIRST_CONTACTED_HEADER, NEXT_FOLLOW_UP_HEADER]
TEXT_FIELDS = [
    field.name
    for field in LEAD_FIELDS
    if field.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT, FieldKind.URL)
]

# A lead with every field filled, as the lead form would save it.
FULL_LEAD: dict[str, Any] = {
    "first_name": "Søren",
    "last_name": "Ibáñez-O'Brien",
    "email": "soren@cafe-ole.example.es",
    "phone": "+34911234567",
    "company": "Café Olé, S.L.",
    "source": "Referral",
    "campaign": "Trade fair 2026",
    "enquiry": 'Asked for "a quote"\nfor 20 seats.',
    "consent": "granted",
    "consent_date": dt.datetime(2026, 11, 1, 9, 15, tzinfo=dt.UTC),
    "consent_source": "Web form",
    "job_title": "Managing Director",
    "website": "https://cafe-ole.example.es",
    "country": "Spain",
    "industry": "Hospitality",
    "company_size": 12,
    "preferred_channel": "Video call",
    "need": "Leads get lost; replies are slow",
    "product_interest": "Annual plan",
    "budget_range": "5k-20k",
    "current_solution": "Spreadsheets",
    "competitors": "Pipedrive, HubSpot",
    "budget_confirmed": True,
    "decision_maker": False,
    "other_deciders": "CFO",
    "expected_close_date": dt.date(2026, 12, 31),
    "deal_value": 123450,
    "next_step": "Send the proposal",
    "won_date": dt.date(2026, 11, 16),
    "won_value": 120000,
    "disqualification_reason": "Other",
    "owner": "Lucía Torres",
    "temperature": "hot",
    "stage": "opportunity",
    "notes": "Prefers mornings.",
}
# What each field of FULL_LEAD looks like in the file (EXCEL_UTF8).
FULL_LEAD_CELLS: dict[str, str] = {
    "First name": "Søren",
    "Last name": "Ibáñez-O'Brien",
    "Email": "soren@cafe-ole.example.es",
    "Phone": "'+34911234567",
    "Company": "Café Olé, S.L.",
    "Source": "Referral",
    "Campaign": "Trade fair 2026",
    "First message": 'Asked for "a quote"\nfor 20 seats.',
    "Consent": "granted",
    "Consent date": "2026-11-01T09:15:00+00:00",
    "Consent source": "Web form",
    "Job title": "Managing Director",
    "Website": "https://cafe-ole.example.es",
    "Country / region": "Spain",
    "Industry": "Hospitality",
    "Company size": "12",
    "Preferred channel": "Video call",
    "Need / pain": "Leads get lost; replies are slow",
    "Product interest": "Annual plan",
    "Budget range": "5k-20k",
    "Current solution": "Spreadsheets",
    "Competitors considered": "Pipedrive, HubSpot",
    "Budget confirmed": "yes",
    "Decision maker": "no",
    "Who else decides": "CFO",
    "Expected close date": "2026-12-31",
    "Deal value": "1234.50",
    "Next step agreed": "Send the proposal",
    "Won date": "2026-11-16",
    "Won value": "1200.00",
    "Disqualification reason": "Other",
    "Owner": "Lucía Torres",
    "Temperature": "hot",
    "Stage": "opportunity",
    "Notes": "Prefers mornings.",
    "Created": "2026-11-17T10:30:00+00:00",
    "First contacted": "2026-11-17T10:05:00+00:00",
    "Next follow-up": "2026-11-20T09:00:00+00:00",
}
# When FULL_LEAD was first called (stored by logging the call).
FULL_LEAD_CONTACTED = dt.datetime(2026, 11, 17, 10, 5, tzinfo=dt.UTC)


# --- helpers -----------------------------------------------------------------------


def add(ctx: OperationContext, **values: Any) -> int:
    return create_lead(ctx, values).value


def add_follow_up(
    ctx: OperationContext, lead_id: int, due_at: dt.datetime, *, done: bool = False
) -> None:
    with ctx.db.transaction() as connection:
        connection.execute(
            follow_ups.insert().values(
                lead_id=lead_id,
                due_at=due_at,
                note="Call back",
                done_at=TEST_NOW if done else None,
                created_at=TEST_NOW,
            )
        )
        # As every operation on follow-ups does: the export reads the stored time.
        refresh_lead_times(connection, [lead_id])


def set_raw(ctx: OperationContext, lead_id: int, **columns: Any) -> None:
    """Store values as they are, past the trimming of the operations (another writer)."""
    with ctx.db.transaction() as connection:
        connection.execute(update(leads).where(leads.c.id == lead_id).values(**columns))


def export(ctx: OperationContext, path: Path, **options: Any) -> Path:
    export_leads(ctx, path, **options)
    return path


def read_back(path: Path, flavour: ExportFlavour = ExportFlavour.EXCEL_UTF8) -> list[list[str]]:
    """The records of an export as a spreadsheet or LeadDesk's import reads them."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream, delimiter=flavour.delimiter))


def as_dicts(records: list[list[str]]) -> list[dict[str, str]]:
    header, *rows = records
    assert all(len(row) == len(header) for row in rows)
    return [dict(zip(header, row, strict=True)) for row in rows]


def first_names(path: Path) -> list[str]:
    return [row["First name"] for row in as_dicts(read_back(path))]


def stored(ctx: OperationContext, lead_id: int) -> dict[str, Any]:
    with ctx.db.reading() as connection:
        return dict(connection.execute(select(leads).where(leads.c.id == lead_id)).one()._mapping)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for exports (tmp_path also holds the database)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def temporary_files(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir() if path.name.endswith(".part")]


# --- format ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flavour", "has_bom", "delimiter"),
    [
        (ExportFlavour.EXCEL_UTF8, True, ","),
        (ExportFlavour.UTF8, False, ","),
        (ExportFlavour.EXCEL_EUROPE, True, ";"),
    ],
)
def test_each_flavour_has_its_bom_delimiter_and_crlf_lines(
    ctx: OperationContext, tmp_path: Path, flavour: ExportFlavour, has_bom: bool, delimiter: str
) -> None:
    add(ctx, first_name="Ana", company="Acme")
    data = export(ctx, tmp_path / "leads.csv", flavour=flavour).read_bytes()
    assert data.startswith(codecs.BOM_UTF8) is has_bom
    assert data.count(codecs.BOM_UTF8) == int(has_bom)
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[-1] == "", "every line, the last too, ends in CRLF"
    assert len(lines) == 3
    assert "\n" not in text.replace("\r\n", "")
    assert lines[0] == delimiter.join(FIELD_LABELS + EXTRA_HEADERS)
    assert flavour.delimiter == delimiter


def test_the_default_flavour_is_utf8_with_bom_for_excel(
    ctx: OperationContext, tmp_path: Path
) -> None:
    assert export(ctx, tmp_path / "leads.csv").read_bytes().startswith(codecs.BOM_UTF8)


def test_headers_are_every_field_label_then_the_read_only_columns() -> None:
    assert export_headers() == FIELD_LABELS + EXTRA_HEADERS
    assert len(set(export_headers())) == len(export_headers())


def test_every_header_maps_back_to_its_field_on_import() -> None:
    mapping = suggest_mapping(export_headers())
    expected = [field.name for field in LEAD_FIELDS] + [None, CREATED_AT, FIRST_CONTACTED, None]
    assert list(mapping.targets) == expected


def test_every_field_is_written_as_import_reads_it(ctx: OperationContext, tmp_path: Path) -> None:
    lead_id = add(ctx, **FULL_LEAD)
    add_follow_up(ctx, lead_id, dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC))
    add_follow_up(ctx, lead_id, dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
    add_follow_up(ctx, lead_id, dt.datetime(2026, 11, 18, 9, 0, tzinfo=dt.UTC), done=True)
    set_raw(ctx, lead_id, first_contacted_at=FULL_LEAD_CONTACTED)
    records = read_back(export(ctx, tmp_path / "leads.csv"))
    [row] = as_dicts(records)
    assert int(row.pop(SCORE_HEADER)) == stored(ctx, lead_id)["score"]
    assert row == FULL_LEAD_CELLS

    header, cells = records
    parsed = RowParser.from_sample(suggest_mapping(header), [cells]).parse(cells)
    assert parsed.problems == []
    values = parsed.values
    assert values.pop(CREATED_AT) == TEST_NOW
    assert values.pop(FIRST_CONTACTED) == FULL_LEAD_CONTACTED
    assert values == FULL_LEAD


def test_empty_fields_are_empty_cells(ctx: OperationContext, tmp_path: Path) -> None:
    add(ctx, first_name="Ana")
    [row] = as_dicts(read_back(export(ctx, tmp_path / "leads.csv")))
    filled = {header: cell for header, cell in row.items() if cell}
    assert filled == {
        "First name": "Ana",
        "Consent": "unknown",
        "Temperature": "cold",
        "Stage": "lead",
        "Score": row["Score"],
        "Created": "2026-11-17T10:30:00+00:00",
    }


def test_excel_europe_writes_decimal_commas_that_import_reads(
    ctx: OperationContext, tmp_path: Path
) -> None:
    add(ctx, first_name="Ana", deal_value=123450, won_value=-5)
    flavour = ExportFlavour.EXCEL_EUROPE
    records = read_back(export(ctx, tmp_path / "leads.csv", flavour=flavour), flavour)
    [row] = as_dicts(records)
    assert (row["Deal value"], row["Won value"]) == ("1234,50", "-0,05")
    header, cells = records
    parsed = RowParser.from_sample(suggest_mapping(header), [cells]).parse(cells)
    assert (parsed.values["deal_value"], parsed.values["won_value"]) == (123450, -5)


@pytest.mark.parametrize(
    ("cents", "cell"),
    [(0, "0.00"), (5, "0.05"), (-5, "-0.05"), (100, "1.00"), (-123456, "-1234.56")],
)
def test_money_is_plain_with_two_decimals(
    ctx: OperationContext, tmp_path: Path, cents: int, cell: str
) -> None:
    add(ctx, first_name="Ana", deal_value=cents)
    [row] = as_dicts(read_back(export(ctx, tmp_path / "leads.csv")))
    assert row["Deal value"] == cell


def test_accents_and_any_script_survive(ctx: OperationContext, tmp_path: Path) -> None:
    names = ["Jürgen Weiß", "Siobhán Ó Súilleabháin", "Ελένη", "Дмитрий", "佐藤 花子", "👩🏽‍💼 Zoë"]
    for name in names:
        first, _, last = name.partition(" ")
        add(ctx, first_name=first, last_name=last or None, company="Øresund Café")
    for flavour in ExportFlavour:
        path = export(ctx, tmp_path / f"{flavour}.csv", flavour=flavour)
        rows = as_dicts(read_back(path, flavour))
        written = [" ".join(filter(None, (r["First name"], r["Last name"]))) for r in rows]
        assert written == names
        assert {row["Company"] for row in rows} == {"Øresund Café"}


# --- formulas, quotes, line breaks --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+1 415 555 0100", "'+1 415 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("'=x", "''=x"),
        ("O'Brien", "O'Brien"),
        ("'quoted'", "'quoted'"),
        ("1+1", "1+1"),
    ],
)
def test_formula_cells_are_neutralised_and_read_back_exactly(
    ctx: OperationContext, tmp_path: Path, value: str, cell: str
) -> None:
    add(ctx, first_name="Ana", notes=value, company=value)
    [row] = as_dicts(read_back(export(ctx, tmp_path / "leads.csv")))
    assert row["Notes"] == row["Company"] == cell
    assert unneutralise(row["Notes"]) == value


@pytest.mark.parametrize("trigger", ["\t", "\r"])
def test_cells_starting_with_tab_or_carriage_return_are_neutralised(
    ctx: OperationContext, tmp_path: Path, trigger: str
) -> None:
    # The operations trim text, so such values only come from elsewhere.
    lead_id = add(ctx, first_name="Ana")
    set_raw(ctx, lead_id, notes=f"{trigger}=1+1", job_title=f"{trigger}CEO")
    [row] = as_dicts(read_back(export(ctx, tmp_path / "leads.csv")))
    assert row["Notes"] == f"'{trigger}=1+1"
    assert row["Job title"] == f"'{trigger}CEO"


def test_no_text_cell_can_start_a_formula(ctx: OperationContext, tmp_path: Path) -> None:
    for index, trigger in enumerate(sorted(FORMULA_TRIGGERS)):
        lead_id = add(ctx, first_name=f"Lead {index}")
        set_raw(ctx, lead_id, **dict.fromkeys(TEXT_FIELDS, f"{trigger}cmd|' /C calc'!A0"))
    add_demo_leads(ctx, 50, seed=7)
    rows = read_back(export(ctx, tmp_path / "leads.csv"))[1:]
    # Amounts are numbers, not text: "-12.50" is what a spreadsheet should see.
    text_columns = [
        index for index, field in enumerate(LEAD_FIELDS) if field.kind is not FieldKind.MONEY
    ]
    for row in rows:
        for index in text_columns:
            assert row[index][:1] not in FORMULA_TRIGGERS, (LEAD_FIELDS[index].name, row[index])


def test_quotes_delimiters_and_line_breaks_are_quoted(
    ctx: OperationContext, tmp_path: Path
) -> None:
    notes = 'He said "call me", then; left\nLine two\r\nLine three\rend'
    add(ctx, first_name='Ana "Nana"', notes=notes, company="Smith; Jones, Ltd")
    for flavour in ExportFlavour:
        path = export(ctx, tmp_path / f"{flavour}.csv", flavour=flavour)
        [row] = as_dicts(read_back(path, flavour))
        assert row["Notes"] == notes
        assert row["First name"] == 'Ana "Nana"'
        assert row["Company"] == "Smith; Jones, Ltd"
        raw = path.read_bytes().decode("utf-8-sig")
        assert '"He said ""call me"", then; left\nLine two\r\nLine three\rend"' in raw
    europe = (tmp_path / "excel-europe.csv").read_bytes().decode("utf-8-sig")
    assert ';"Smith; Jones, Ltd";' in europe
    comma = (tmp_path / "excel-utf8.csv").read_bytes().decode("utf-8-sig")
    assert ',"Smith; Jones, Ltd",' in comma


# --- which leads ----------------------------------------------------------------------


def test_the_filter_and_search_choose_the_leads(ctx: OperationContext, tmp_path: Path) -> None:
    add(ctx, first_name="Hot", temperature="hot", company="Acme")
    add(ctx, first_name="Warm", temperature="warm", stage="sql", company="Acme")
    add(ctx, first_name="Cold", company="Globex")
    assert first_names(export(ctx, tmp_path / "all.csv")) == ["Hot", "Warm", "Cold"]
    hot = export(ctx, tmp_path / "hot.csv", lead_filter=LeadFilter(temperature="hot"))
    assert first_names(hot) == ["Hot"]
    sql = export(ctx, tmp_path / "sql.csv", lead_filter=LeadFilter(stage="sql"))
    assert first_names(sql) == ["Warm"]
    acme = export(ctx, tmp_path / "acme.csv", lead_filter=LeadFilter(search="acm"))
    assert first_names(acme) == ["Hot", "Warm"]
    both = LeadFilter(search="acme", temperature="warm")
    assert first_names(export(ctx, tmp_path / "both.csv", lead_filter=both)) == ["Warm"]
    none = export(ctx, tmp_path / "none.csv", lead_filter=LeadFilter(search="nobody"))
    assert read_back(none) == [FIELD_LABELS + EXTRA_HEADERS]


def test_a_selection_exports_only_those_leads(ctx: OperationContext, tmp_path: Path) -> None:
    ids = [add(ctx, first_name=name, temperature="hot") for name in ("A", "B", "C", "D")]
    chosen = [ids[3], ids[1], ids[3]]
    assert first_names(export(ctx, tmp_path / "sel.csv", lead_ids=chosen)) == ["B", "D"]
    narrowed = export(
        ctx, tmp_path / "narrow.csv", lead_ids=ids, lead_filter=LeadFilter(search="c")
    )
    assert first_names(narrowed) == ["C"]
    assert read_back(export(ctx, tmp_path / "empty.csv", lead_ids=[])) == [
        FIELD_LABELS + EXTRA_HEADERS
    ]
    assert export_leads(ctx, tmp_path / "gone.csv", lead_ids=[999_999]) == 0


def test_a_selection_larger_than_one_batch_keeps_id_order(
    ctx: OperationContext, tmp_path: Path
) -> None:
    add_demo_leads(ctx, 1300, seed=3)
    with ctx.db.reading() as connection:
        all_ids = list(connection.execute(select(leads.c.id).order_by(leads.c.id)).scalars())
    chosen = all_ids[::-2]
    path = tmp_path / "sel.csv"
    assert export_leads(ctx, path, lead_ids=chosen) == len(chosen)
    emails = [row["Email"] for row in as_dicts(read_back(path))]
    with ctx.db.reading() as connection:
        expected = list(
            connection.execute(
                select(leads.c.email).where(leads.c.id.in_(chosen)).order_by(leads.c.id)
            ).scalars()
        )
    assert emails == expected


def test_leads_in_the_trash_are_never_exported(ctx: OperationContext, tmp_path: Path) -> None:
    kept = add(ctx, first_name="Kept")
    gone = add(ctx, first_name="Gone")
    delete_leads(ctx, [gone])
    assert first_names(export(ctx, tmp_path / "all.csv")) == ["Kept"]
    assert first_names(export(ctx, tmp_path / "ids.csv", lead_ids=[kept, gone])) == ["Kept"]


# --- streaming, progress, cancel ------------------------------------------------------


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(export_file, "CHUNK_ROWS", 7)
    monkeypatch.setattr(export_file, "ID_BATCH", 5)
    return 7


def test_progress_is_reported_per_chunk(
    ctx: OperationContext, tmp_path: Path, small_chunks: int
) -> None:
    add_demo_leads(ctx, 30, seed=1)
    calls: list[tuple[int, int]] = []
    assert export_leads(ctx, tmp_path / "a.csv", progress=lambda *c: calls.append(c)) == 30
    assert calls == [(0, 30), (7, 30), (14, 30), (21, 30), (28, 30), (30, 30)]
    calls.clear()
    export_leads(
        ctx, tmp_path / "b.csv", lead_ids=range(1, 13), progress=lambda *c: calls.append(c)
    )
    # On SQLite a selection is numbered first, then read in chunks as a whole export is.
    assert calls == [(0, 12), (7, 12), (12, 12)]


def test_chunked_and_whole_exports_are_identical(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_demo_leads(ctx, 60, seed=2)
    whole = export(ctx, tmp_path / "whole.csv").read_bytes()
    monkeypatch.setattr(export_file, "CHUNK_ROWS", 7)
    assert export(ctx, tmp_path / "chunked.csv").read_bytes() == whole
    monkeypatch.setattr(export_file, "ID_BATCH", 4)
    selected = export(ctx, tmp_path / "ids.csv", lead_ids=range(1, 61)).read_bytes()
    assert selected == whole


def test_cancel_leaves_no_file_behind(ctx: OperationContext, out: Path, small_chunks: int) -> None:
    add_demo_leads(ctx, 30, seed=1)
    asked: list[int] = []

    def cancel_on_second_chunk() -> bool:
        asked.append(1)
        return len(asked) >= 2

    with pytest.raises(ExportCancelled):
        export_leads(ctx, out / "leads.csv", should_cancel=cancel_on_second_chunk)
    assert list(out.iterdir()) == []


def test_an_export_after_a_cancelled_one_writes_every_lead(
    ctx: OperationContext, tmp_path: Path, small_chunks: int
) -> None:
    # The cancelled export's reading (its numbered leads, its helper thread)
    # must be gone from the connection the next export gets from the pool.
    add_demo_leads(ctx, 30, seed=1)
    whole = export(ctx, tmp_path / "whole.csv").read_bytes()
    for _attempt in range(3):
        asked: list[int] = []
        with pytest.raises(ExportCancelled):
            export_leads(
                ctx,
                tmp_path / "cancelled.csv",
                should_cancel=lambda asked=asked: asked.append(1) or len(asked) >= 2,
            )
    assert export(ctx, tmp_path / "again.csv").read_bytes() == whole
    assert not [t for t in threading.enumerate() if t.name.startswith("leaddesk-export")]


def test_cancel_keeps_an_older_export_untouched(ctx: OperationContext, out: Path) -> None:
    add(ctx, first_name="Ana")
    path = out / "leads.csv"
    path.write_bytes(b"the previous export")
    with pytest.raises(ExportCancelled):
        export_leads(ctx, path, should_cancel=lambda: True)
    assert path.read_bytes() == b"the previous export"
    assert temporary_files(out) == []


def test_an_existing_file_is_replaced_whole(ctx: OperationContext, out: Path) -> None:
    path = out / "leads.csv"
    path.write_text("x" * 100_000)
    add(ctx, first_name="Ana")
    export_leads(ctx, path)
    assert first_names(path) == ["Ana"]
    assert temporary_files(out) == []


def test_an_empty_database_exports_the_header_only(ctx: OperationContext, tmp_path: Path) -> None:
    assert export_leads(ctx, tmp_path / "leads.csv") == 0
    assert read_back(tmp_path / "leads.csv") == [FIELD_LABELS + EXTRA_HEADERS]


# --- destinations that cannot be written ----------------------------------------------


def assert_one_sentence(error: UserError) -> None:
    message = str(error)
    assert message.endswith(".")
    assert "\n" not in message
    assert "Traceback" not in message


def test_a_missing_folder_is_a_user_error(ctx: OperationContext, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no folder") as caught:
        export_leads(ctx, tmp_path / "missing" / "leads.csv")
    assert_one_sentence(caught.value)


def test_a_folder_as_destination_is_a_user_error(ctx: OperationContext, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="is a folder") as caught:
        export_leads(ctx, tmp_path)
    assert_one_sentence(caught.value)


def test_a_file_in_place_of_the_folder_is_a_user_error(
    ctx: OperationContext, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(UserError) as caught:
        export_leads(ctx, tmp_path / "file" / "leads.csv")
    assert_one_sentence(caught.value)


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and no root"
)
def test_a_read_only_folder_is_a_user_error(ctx: OperationContext, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(UserError, match="may not write") as caught:
            export_leads(ctx, folder / "leads.csv")
    finally:
        folder.chmod(0o700)
    assert_one_sentence(caught.value)


def test_permission_refused_is_a_user_error(
    ctx: OperationContext, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export_file, "open", refuse, raising=False)
    with pytest.raises(UserError, match="may not write") as caught:
        export_leads(ctx, out / "leads.csv")
    assert_one_sentence(caught.value)
    assert list(out.iterdir()) == []


def test_a_file_open_elsewhere_keeps_its_content(
    ctx: OperationContext, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows refuses to replace a file that Excel holds open.
    path = out / "leads.csv"
    path.write_bytes(b"open in Excel")
    add(ctx, first_name="Ana")

    def refuse(*_args: Any) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(UserError, match="open in another program") as caught:
        export_leads(ctx, path)
    assert_one_sentence(caught.value)
    assert path.read_bytes() == b"open in Excel"
    assert temporary_files(out) == []


def test_a_full_disk_is_a_user_error_and_leaves_nothing(
    ctx: OperationContext, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_demo_leads(ctx, 20, seed=1)

    def full(*_args: Any) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_file, "chunk_text", full)
    with pytest.raises(UserError, match="The disk is full") as caught:
        export_leads(ctx, out / "leads.csv")
    assert_one_sentence(caught.value)
    assert list(out.iterdir()) == []


def test_an_unexpected_error_removes_the_temporary_file(
    ctx: OperationContext, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(ctx, first_name="Ana")

    def broken(*_args: Any) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr(export_file, "chunk_text", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        export_leads(ctx, out / "leads.csv")
    assert list(out.iterdir()) == []


# --- the reference rendering: csv.writer + neutralise ---------------------------------


def _reference_cell(kind: FieldKind, value: Any, flavour: ExportFlavour) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind is FieldKind.BOOL:
        return "yes" if value else "no"
    if kind is FieldKind.MONEY:
        sign = "-" if value < 0 else ""
        return f"{sign}{abs(value) // 100}{flavour.decimal_mark}{abs(value) % 100:02d}"
    if isinstance(value, int):
        return str(value)
    return neutralise(value)


def reference_export(ctx: OperationContext, flavour: ExportFlavour) -> bytes:
    """Every live lead rendered with the csv module from SQLAlchemy's typed values."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer, delimiter=flavour.delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(FIELD_LABELS + EXTRA_HEADERS)
    with ctx.db.reading() as connection:
        for row in connection.execute(lead_list_query(connection.dialect.name, LeadFilter())):
            values = row._mapping
            cells = [
                _reference_cell(
                    field.kind,
                    values["owner"] if field.kind is FieldKind.OWNER else values[field.column_name],
                    flavour,
                )
                for field in LEAD_FIELDS
            ]
            cells += [str(values["score"]), values["created_at"].isoformat()]
            cells.append(_reference_cell(FieldKind.DATETIME, values["first_contacted_at"], flavour))
            cells.append(_reference_cell(FieldKind.DATETIME, values["next_follow_up"], flavour))
            writer.writerow(cells)
    return buffer.getvalue().encode(flavour.encoding)


@pytest.mark.parametrize("flavour", list(ExportFlavour))
def test_the_export_is_byte_for_byte_what_the_csv_module_writes(
    ctx: OperationContext, tmp_path: Path, flavour: ExportFlavour
) -> None:
    add_demo_leads(ctx, 300, seed=11)
    lead_id = add(ctx, **FULL_LEAD)
    add_follow_up(ctx, lead_id, dt.datetime(2026, 11, 20, 9, 0, 0, 123, tzinfo=dt.UTC))
    add(ctx, first_name="=cmd", notes='\'@x\n"y";z', deal_value=-1, company_size=0)
    set_raw(ctx, add(ctx, first_name="Raw"), notes="\r\n-1", consent_date=TEST_NOW)
    exported = export(ctx, tmp_path / "leads.csv", flavour=flavour).read_bytes()
    assert exported == reference_export(ctx, flavour)


_stored_text = (
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\0"), max_size=40)
    .map(str.strip)
    .filter(bool)
)
_formula_like = st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(["=", "+", "-", "@", "'", "''=", "'+", '"', ""]),
    _stored_text,
)
_lead_text = st.one_of(st.none(), _stored_text, _formula_like)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    texts=st.fixed_dictionaries(dict.fromkeys(TEXT_FIELDS, _lead_text)),
    first_name=st.one_of(_stored_text, _formula_like),
    flavour=st.sampled_from(list(ExportFlavour)),
)
def test_any_text_reads_back_exactly(
    ctx: OperationContext,
    tmp_path: Path,
    texts: dict[str, str | None],
    first_name: str,
    flavour: ExportFlavour,
) -> None:
    lead_id = add(ctx, **{**texts, "first_name": first_name})
    lead = stored(ctx, lead_id)
    path = export(ctx, tmp_path / "leads.csv", lead_ids=[lead_id], flavour=flavour)
    [row] = read_back(path, flavour)[1:]
    for index, field in enumerate(LEAD_FIELDS):
        if field.name in TEXT_FIELDS:
            assert unneutralise(row[index]) == (lead[field.name] or ""), field.name
            assert row[index][:1] not in FORMULA_TRIGGERS
    rendered = io.StringIO(newline="")
    writer = csv.writer(rendered, delimiter=flavour.delimiter, lineterminator="\r\n")
    writer.writerow(row)
    assert path.read_bytes().decode("utf-8-sig").endswith(rendered.getvalue())


@given(
    st.lists(
        st.datetimes(
            min_value=dt.datetime(1000, 1, 1),
            max_value=dt.datetime(9999, 12, 31),
            timezones=st.just(dt.UTC),
        )
    )
)
def test_sqlite_datetime_text_is_written_as_isoformat(moments: list[dt.datetime]) -> None:
    # What SQLAlchemy's SQLite dialect stores for UTCDateTime: naive UTC text.
    texts: list[str | dt.datetime | None] = [
        moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        for moment in moments
    ]
    expected = [moment.isoformat() for moment in moments]
    assert export_cells.datetime_cells([*texts, None]) == [*expected, ""]
    assert export_cells.datetime_cells([*moments, None]) == [*expected, ""]
    # A value in another shape sends the whole column the slow, general way.
    assert export_cells.datetime_cells([*texts, "2026-11-17"]) == [
        *expected,
        "2026-11-17T00:00:00+00:00",
    ]
