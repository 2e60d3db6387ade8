"""Export -> import keeps when each lead was first contacted, as CSV and as a workbook."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.operations.activities import log_activity
from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.exporting import export_leads, export_leads_xlsx
from leaddesk.operations.importing import DuplicatePolicy, ImportOptions, import_csv
from leaddesk.operations.leads import create_lead
from leaddesk.storage.database import Location, open_database
from leaddesk.storage.schema import leads
from tests.operations.exporting.test_export_file_roundtrip import FreshDatabases

RESTORE = ImportOptions(policy=DuplicatePolicy.CREATE)
CALLED_AT = dt.datetime(2026, 11, 16, 15, 45, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _kolkata(monkeypatch: pytest.MonkeyPatch) -> None:
    """A zone far from UTC: the workbook holds local times."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")


@pytest.fixture
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshDatabases]:
    folder = tmp_path_factory.mktemp("template")
    open_database(Location(data_dir=folder, url=f"sqlite:///{folder / 'db.sqlite3'}")).close()
    fresh = FreshDatabases(folder / "db.sqlite3")
    yield fresh
    fresh.close()


def contacts(ctx: OperationContext) -> dict[str | None, tuple[dt.datetime | None, bool]]:
    """Each lead's first contact and whether its countdown runs, by email."""
    query = select(leads.c.email, leads.c.first_contacted_at, leads.c.sla_applies)
    with ctx.db.reading() as connection:
        return {email: (at, sla) for email, at, sla in connection.execute(query)}


def called_and_waiting(ctx: OperationContext) -> None:
    called = create_lead(ctx, {"email": "called@example.com", "temperature": "hot"}).value
    log_activity(ctx, called, "call", occurred_at=CALLED_AT)
    create_lead(ctx, {"email": "waiting@example.com", "temperature": "hot"})


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_first_contact_comes_back(
    databases: FreshDatabases, tmp_path: Path, suffix: str
) -> None:
    source = databases.new()
    called_and_waiting(source)
    add_demo_leads(source, 50, seed=3)
    path = tmp_path / f"leads{suffix}"
    (export_leads_xlsx if suffix == ".xlsx" else export_leads)(source, path)
    target = databases.new()
    assert import_csv(target, path, RESTORE).rejected == 0

    restored = contacts(target)
    assert restored["called@example.com"] == (CALLED_AT, False)
    assert restored["waiting@example.com"][0] is None
    demo = {email: at for email, (at, _sla) in contacts(source).items()}
    assert sum(at is not None for at in demo.values()) > 10  # the demo leads were called too
    if suffix == ".xlsx":  # a workbook holds times to the second
        demo = {email: at and at.replace(microsecond=0) for email, at in demo.items()}
    assert {email: at for email, (at, _sla) in restored.items()} == demo


def test_an_export_made_before_the_column_existed_is_still_a_restore(
    databases: FreshDatabases, tmp_path: Path
) -> None:
    source = databases.new()
    create_lead(source, {"first_name": "=cmd", "email": "old@example.com"})
    path = tmp_path / "leads.csv"
    export_leads(source, path)
    header, *rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))
    column = header.index("First contacted")
    older = io.StringIO(newline="")
    csv.writer(older, lineterminator="\r\n").writerows(
        [cells[:column] + cells[column + 1 :] for cells in [header, *rows]]
    )
    path.write_text(older.getvalue(), "utf-8-sig")

    target = databases.new()
    import_csv(target, path, RESTORE)
    with target.db.reading() as connection:
        # Still read as LeadDesk's own file: the export's formula escaping is undone.
        assert connection.execute(select(leads.c.first_name)).scalar_one() == "=cmd"
