"""CSV -> LeadDesk -> .xlsx -> LeadDesk loses nothing the workbook carries.

Every field of every lead comes back; date-times to the second (the workbook
holds local times without microseconds, as a spreadsheet user reads them).
The user's zone here has no daylight-saving change: a local time in the hour
a clock repeats in autumn names two moments, and a workbook cannot say which.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.exporting import export_leads_xlsx
from leaddesk.operations.importing import DuplicatePolicy, ImportOptions, import_csv
from leaddesk.operations.leads import create_lead
from leaddesk.storage.database import Location, open_database
from tests.operations.exporting.test_export_file_roundtrip import (
    AWKWARD_LEADS,
    FreshDatabases,
    add_leads,
    lead_values,
    phones_in_e164,
)

RESTORE = ImportOptions(policy=DuplicatePolicy.CREATE)
HUBSPOT = Path(__file__).resolve().parents[2] / "fixtures" / "csv" / "hubspot_contacts.csv"


@pytest.fixture(autouse=True)
def _kolkata(monkeypatch: pytest.MonkeyPatch) -> None:
    """A zone far from UTC, half an hour off the hour, without daylight saving."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")


@pytest.fixture(scope="module")
def xlsx_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    database = open_database(Location(data_dir=folder, url=f"sqlite:///{folder / 'db.sqlite3'}"))
    database.close()
    return folder / "db.sqlite3"


@pytest.fixture
def fresh(xlsx_template: Path) -> Iterator[FreshDatabases]:
    databases = FreshDatabases(xlsx_template)
    yield databases
    databases.close()


def to_the_second(leads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            name: value.replace(microsecond=0) if isinstance(value, dt.datetime) else value
            for name, value in lead.items()
        }
        for lead in leads
    ]


def through_a_workbook(source: OperationContext, target: OperationContext, path: Path) -> None:
    exported = export_leads_xlsx(source, path)
    result = import_csv(target, path, RESTORE)
    assert (result.created, result.updated, result.skipped, result.rejected) == (
        exported,
        0,
        0,
        0,
    ), result.rejected_sample


def test_demo_and_awkward_leads_come_back_from_a_workbook(
    fresh: FreshDatabases, tmp_path: Path
) -> None:
    source = fresh.new()
    add_demo_leads(source, 300, seed=7)
    add_leads(source, AWKWARD_LEADS)
    phones_in_e164(source)
    target = fresh.new()
    through_a_workbook(source, target, tmp_path / "leads.xlsx")
    before, after = to_the_second(lead_values(source)), lead_values(target)
    assert len(after) == len(before)
    for number, (old, new) in enumerate(zip(before, after, strict=True), start=1):
        differences = {name: (old[name], new[name]) for name in old if old[name] != new[name]}
        assert differences == {}, f"lead {number}: field -> (exported, imported)"


def test_a_crm_csv_imported_then_handed_on_as_xlsx_comes_back_the_same(
    fresh: FreshDatabases, tmp_path: Path
) -> None:
    source = fresh.new()
    imported = import_csv(source, HUBSPOT)
    assert imported.created > 0
    middle, last = fresh.new(), fresh.new()
    through_a_workbook(source, middle, tmp_path / "first.xlsx")
    through_a_workbook(middle, last, tmp_path / "second.xlsx")
    assert lead_values(last) == to_the_second(lead_values(source))


# --- any text ------------------------------------------------------------------------

_characters = st.characters(exclude_categories=["Cs"], exclude_characters="\ufffd\x00")
_stored_text = st.text(_characters, max_size=40).map(str.strip).filter(bool)
_any_text = st.one_of(
    _stored_text,
    # What a spreadsheet would run, were it not text.
    st.builds(
        lambda start, rest: (start + rest).strip() or start,
        st.sampled_from(["=", "+", "-", "@", "'=", "=1+1", "@SUM(A1)", "_x0041_", "\x07"]),
        st.text(_characters, max_size=20),
    ),
    # Around Excel's 32,767 UTF-16 units a cell: cut there, as the export always has.
    st.builds(
        lambda character, length, tail: (character * length + tail).strip() or character,
        st.sampled_from(["a", "é", "😀", "&", "\x01"]),
        st.integers(16_000, 33_000),
        st.text(_characters, max_size=10),
    ),
)


def cut_as_excel(text: str) -> str:
    """What a text stored in LeadDesk is after a trip through a workbook: cut at Excel's limit."""
    units = 0
    for index, character in enumerate(text):
        units += 2 if ord(character) > 0xFFFF else 1
        if units > 32_767:
            return text[:index].rstrip()
    return text


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(_any_text, min_size=1, max_size=3))
def test_any_text_comes_back_from_a_workbook_or_is_cut_at_excels_limit(
    fresh: FreshDatabases, texts: list[str]
) -> None:
    try:
        source, target = fresh.new(), fresh.new()
        for text in texts:
            create_lead(source, {"first_name": text, "notes": text, "company": text[:200]})
        with tempfile.TemporaryDirectory() as folder:
            through_a_workbook(source, target, Path(folder) / "text.xlsx")
        written = [
            (lead["first_name"], lead["notes"], lead["company"]) for lead in lead_values(source)
        ]
        read = [
            (lead["first_name"], lead["notes"], lead["company"]) for lead in lead_values(target)
        ]
        assert read == [tuple(cut_as_excel(value) for value in lead) for lead in written]
    finally:
        fresh.close()
