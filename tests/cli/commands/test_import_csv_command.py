"""`leaddesk import` and `leaddesk undo-import`: what a script or a shell user sees.

In-process through ``leaddesk.cli.main`` as in the other CLI tests; "nothing written"
is checked against a dump of every table of the database.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import column, inspect, select, table

from leaddesk.core.csv_import.mapping import ColumnMapping
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import save_preset
from leaddesk.storage.database import Database, open_database, resolve_location
from tests.cli.helpers import Run, run_in

SUMMARY_KEYS = {"batch", "created", "updated", "skipped", "rejected", "noted", "warnings", "notes"}
SUMMARY_KEYS |= {"countdowns", "duplicates"}
NO_NOTES = {"noted": 0, "warnings": 0, "notes": []}
HEADER = ["First Name", "Last Name", "Email", "Phone Number", "Company Name", "Create Date"]
ROWS = [
    HEADER,
    [
        "Émile",
        "Schäfer",
        "Emile.Schafer@Example.com",
        "+44 20 7946 0000",
        "Acme, Inc.",
        "2026-08-16",
    ],
    ["", "", "", "", "Nobody Inc", "2026-08-17"],
    ["María", "Gómez", "maria.gomez@example.com", "", "Blue Sky", "2026-10-25"],
]
# What importing ROWS reports, but for its batch: two leads, the row without a name rejected.
ROWS_SUMMARY = {
    "created": 2,
    "updated": 0,
    "skipped": 0,
    "rejected": 1,
    "countdowns": 0,
    "duplicates": [],
    **NO_NOTES,
}
# Headers the app does not know, so only a mapping makes the file usable.
ODD_ROWS = [
    ["Vorname", "Zuname", "Elektropost", "Bemerkung"],
    ["Jörg", "Müßig", "Joerg@Example.de", "Ruft zurück"],
]
ODD_JSON = '{"Vorname": "first_name", "Zuname": "last_name", "Elektropost": "email"}'


def one_line_error(result: Run) -> str:
    assert result.code == 2, result
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {result.err!r}"
    assert lines[0].startswith("leaddesk: ")
    assert "Traceback" not in result.err
    return lines[0]


def write_csv(path: Path, rows: Sequence[Sequence[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def open_home(home: Path) -> Database:
    return open_database(resolve_location(home))


def dump(home: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered by primary key."""
    db = open_home(home)
    try:
        inspector = inspect(db.engine)
        tables: dict[str, list[tuple[Any, ...]]] = {}
        with db.reading() as connection:
            for name in inspector.get_table_names():
                if name == "lead_search":
                    continue  # reads `leads`; its own pages are the lead_search_* tables
                columns = [info["name"] for info in inspector.get_columns(name)]
                keys = inspector.get_pk_constraint(name)["constrained_columns"] or columns
                source = table(name, *(column(c) for c in columns))
                query = select(*source.c).order_by(*(source.c[k] for k in keys))
                tables[name] = [tuple(row) for row in connection.execute(query)]
        return tables
    finally:
        db.close()


def listing(capsys: pytest.CaptureFixture[str], home: Path) -> list[dict[str, Any]]:
    result = run_in(capsys, home, "list", "--json")
    assert result.code == 0, result.err
    records: list[dict[str, Any]] = json.loads(result.out)
    return sorted(records, key=lambda record: record["id"])


def summary(result: Run) -> dict[str, Any]:
    assert result.code == 0, result.err
    assert len(result.out.splitlines()) == 1
    data: dict[str, Any] = json.loads(result.out)
    # A dry run says too why each column fills what it fills.
    assert set(data) - {"columns"} == SUMMARY_KEYS
    return data


# --- import --------------------------------------------------------------------------


def test_import_prints_a_summary_and_exits_0_despite_rejected_rows(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "leads.csv", ROWS)

    result = run_in(capsys, home, "import", path)

    assert result.code == 0, result.err
    assert result.out == (
        "Imported leads.csv: 2 created, 0 updated, 0 skipped, 1 rejected "
        "(batch 1; undo with 'leaddesk undo-import 1').\n"
    )
    assert result.err.splitlines() == ["  line 3: The row has no name, email or phone."]
    records = listing(capsys, home)
    assert [(r["first_name"], r["last_name"], r["email"]) for r in records] == [
        ("Émile", "Schäfer", "emile.schafer@example.com"),
        ("María", "Gómez", "maria.gomez@example.com"),
    ]
    assert records[0]["phone"] == "+442079460000"
    assert records[0]["created_at"].startswith("2026-08-16")


def test_import_json_is_exactly_the_summary(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "leads.csv", ROWS)
    result = run_in(capsys, home, "import", path, "--json")
    assert summary(result) == {"batch": 1, **ROWS_SUMMARY}
    assert result.err == ""


def test_a_dry_run_reports_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "leads.csv", ROWS)
    before = dump(home)

    text = run_in(capsys, home, "import", path, "--dry-run")
    as_json = run_in(capsys, home, "import", path, "--dry-run", "--json")

    assert text.code == 0, text.err
    assert text.out == ("Would import leads.csv: 2 created, 0 updated, 0 skipped, 1 rejected.\n")
    data = summary(as_json)
    assert data.pop("columns")[:3] == [
        {"column": "First Name", "field": "first_name", "reason": "Matched by its header."},
        {"column": "Last Name", "field": "last_name", "reason": "Matched by its header."},
        {
            "column": "Email",
            "field": "email",
            "reason": "Matched by its header; its first 2 values read as email addresses.",
        },
    ]
    assert data == {"batch": None, **ROWS_SUMMARY}
    assert dump(home) == before


def test_a_reimport_skips_by_default_and_fills_on_request(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    first = write_csv(tmp_path / "first.csv", ROWS)
    assert summary(run_in(capsys, home, "import", first, "--json"))["created"] == 2
    again = write_csv(
        tmp_path / "again.csv",
        [
            ["Email", "Job Title", "First Name"],
            ["EMILE.SCHAFER@example.com", "CEO", "Emil"],
            ["maria.gomez@example.com", "VP Sales", ""],
        ],
    )

    skipped = summary(run_in(capsys, home, "import", again, "--json"))
    filled = summary(run_in(capsys, home, "import", again, "--json", "--on-duplicate", "fill"))

    assert (skipped["created"], skipped["updated"], skipped["skipped"]) == (0, 0, 2)
    assert (filled["batch"], filled["created"], filled["updated"], filled["skipped"]) == (
        3,
        0,
        2,
        0,
    )
    records = listing(capsys, home)
    assert [(r["first_name"], r["job_title"]) for r in records] == [
        ("Émile", "CEO"),  # fill keeps the name it has
        ("María", "VP Sales"),
    ]


def test_a_bad_duplicate_policy_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "leads.csv", ROWS)
    one_line_error(run_in(capsys, home, "import", path, "--on-duplicate", "merge"))


def test_errors_writes_the_report(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "leads.csv", ROWS)
    report = tmp_path / "rejected rows.csv"

    result = run_in(capsys, home, "import", path, "--errors", report)

    assert result.code == 0, result.err
    raw = report.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))) == [
        [*HEADER, "Line", "Reason"],
        [*ROWS[2], "3", "The row has no name, email or phone."],
    ]


def test_errors_into_a_missing_folder_is_refused_before_importing(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "leads.csv", ROWS)
    before = dump(home)
    result = run_in(capsys, home, "import", path, "--errors", tmp_path / "nope" / "e.csv")
    assert "there is no folder" in one_line_error(result)
    assert dump(home) == before


def test_mapping_as_json(capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", ODD_ROWS)

    result = run_in(capsys, home, "import", path, "--mapping", ODD_JSON, "--json")

    assert summary(result)["created"] == 1
    (record,) = listing(capsys, home)
    assert (record["first_name"], record["last_name"], record["email"]) == (
        "Jörg",
        "Müßig",
        "joerg@example.de",
    )


def _save_odd_preset(home: Path, name: str) -> None:
    db = open_home(home)
    try:
        mapping = ColumnMapping(tuple(ODD_ROWS[0]), ("first_name", "last_name", "email", "notes"))
        save_preset(OperationContext(db=db), name, mapping)
    finally:
        db.close()


def test_mapping_by_preset_name(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    _save_odd_preset(home, "Old CRM")
    # Another file, same columns in another order: the preset applies by header.
    path = write_csv(tmp_path / "odd.csv", [[*reversed(ODD_ROWS[0])], [*reversed(ODD_ROWS[1])]])

    result = run_in(capsys, home, "import", path, "--mapping", "old crm", "--json")

    assert summary(result)["created"] == 1
    (record,) = listing(capsys, home)
    assert (record["first_name"], record["email"]) == ("Jörg", "joerg@example.de")


def test_a_saved_preset_for_the_headers_is_used_and_said(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    _save_odd_preset(home, "Old CRM")
    path = write_csv(tmp_path / "odd.csv", ODD_ROWS)

    result = run_in(capsys, home, "import", path)

    assert result.code == 0, result.err
    assert result.err == "Using the saved mapping 'Old CRM'.\n"
    assert result.out.startswith("Imported odd.csv: 1 created")
    (record,) = listing(capsys, home)
    assert (record["first_name"], record["last_name"]) == ("Jörg", "Müßig")


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("No Such Preset", "no saved mapping called 'No Such Preset'"),
        ('{"Vorname": "shoe_size"}', "not a lead field"),
        ('{"Vorname": ', "not valid JSON"),
        ('{"Vorname": null, "Bemerkung": "notes"}', "identifies a lead"),
    ],
)
def test_a_bad_mapping_exits_2_in_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path, mapping: str, message: str
) -> None:
    path = write_csv(tmp_path / "odd.csv", ODD_ROWS)
    before = dump(home)
    assert message in one_line_error(run_in(capsys, home, "import", path, "--mapping", mapping))
    assert dump(home) == before


def _unusable(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.csv"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "png":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    elif kind == "folder":
        path.mkdir(exist_ok=True)
    elif kind == "no identifying column":
        write_csv(path, [["Company", "City"], ["Acme", "Berlin"]])
    return path


@pytest.mark.parametrize(
    "kind", ["empty", "png", "binary", "folder", "no identifying column", "missing"]
)
def test_an_unusable_file_exits_2_in_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path, kind: str
) -> None:
    assert summary(run_in(capsys, home, "import", write_csv(tmp_path / "ok.csv", ROWS), "--json"))
    before = dump(home)

    for extra in ([], ["--json"], ["--dry-run"]):
        line = one_line_error(run_in(capsys, home, "import", _unusable(tmp_path, kind), *extra))
        assert line.endswith(".")

    assert dump(home) == before


def test_a_missing_file_says_so(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    line = one_line_error(run_in(capsys, home, "import", tmp_path / "nowhere.csv"))
    assert "does not exist" in line


# --- undo-import -----------------------------------------------------------------------


def test_undo_import_removes_the_import_and_refuses_a_second_time(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    before = {k: v for k, v in dump(home).items() if not k.startswith("lead_search")}
    path = write_csv(tmp_path / "leads.csv", ROWS)
    batch = summary(run_in(capsys, home, "import", path, "--json"))["batch"]

    undone = run_in(capsys, home, "undo-import", str(batch))

    assert undone.code == 0, undone.err
    assert undone.out == f"Undid import {batch}: removed 2 leads, restored 0.\n"
    assert listing(capsys, home) == []
    after = {k: v for k, v in dump(home).items() if not k.startswith("lead_search")}
    assert len(after.pop("import_batches")) == 1  # kept, marked undone
    before.pop("import_batches")
    assert after == before

    again = one_line_error(run_in(capsys, home, "undo-import", str(batch)))
    assert "already undone" in again


def test_undo_import_of_an_unknown_batch_exits_2(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    assert "no import with number 7" in one_line_error(run_in(capsys, home, "undo-import", "7"))
    one_line_error(run_in(capsys, home, "undo-import", "seven"))
