"""Imports that keep every lead: notes for unreadable values, rows counted once,
unusable files refused before anything is recorded (issue #11)."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import DuplicatePolicy
from leaddesk.storage.schema import import_batches, leads
from tests.operations.importing.import_helpers import (
    FIXTURES,
    count,
    lead_named,
    lead_rows,
    run_import,
    write_csv,
)

HEADER = ["First Name", "Last Name", "Email", "Temperature", "Close Date", "Notes"]


def test_unreadable_values_are_kept_in_the_notes_and_counted_once(
    ctx: OperationContext, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "leads.csv",
        [
            HEADER,
            ["Ana", "Lima", "ana@example.com", "A-Lead", "soon", "Met at the fair"],
            ["Bo", "Chen", "bo at example", "Hot", "2026-09-30", ""],
            ["Cy", "Dahl", "cy at example", "Tier 1", "", ""],
            ["Di", "Eze", "di@example.com", "Warm", "2026-10-01", ""],
        ],
    )
    result = run_import(ctx, path)

    assert (result.created, result.rejected, result.noted, result.warnings) == (4, 0, 2, 1)
    ana = lead_named(ctx, "Ana", "Lima")
    assert ana["temperature"] == "cold"  # the default, since 'A-Lead' says nothing
    assert ana["expected_close_date"] is None
    assert ana["notes"] == (
        "Met at the fair\n\nImported values:\nTemperature: A-Lead\nClose Date: soon"
    )
    assert [(n.line_number, n.column, n.value) for n in result.notes] == [
        (2, "Temperature", "A-Lead"),
        (2, "Close Date", "soon"),
        (3, "Email", "bo at example"),
        (4, "Email", "cy at example"),
        (4, "Temperature", "Tier 1"),
    ]
    assert result.notes[0].to_json() == {
        "line": 2,
        "column": "Temperature",
        "field": "temperature",
        "value": "A-Lead",
        "reason": "'A-Lead' is not a temperature (hot, warm or cold). It was kept in the notes.",
    }


def test_skipped_rows_count_neither_as_notes_nor_warnings(
    ctx: OperationContext, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        ["Ana", "Lima", "ana@example.com", "A-Lead", "", ""],
        ["Bo", "Chen", "bo at example", "Hot", "", ""],
    ]
    first = run_import(ctx, write_csv(tmp_path / "a.csv", rows))
    assert (first.created, first.noted, first.warnings) == (2, 1, 1)

    again = run_import(ctx, write_csv(tmp_path / "b.csv", rows))

    assert (again.created, again.skipped, again.noted, again.warnings) == (0, 2, 0, 0)
    assert again.notes == []
    # Duplicates within one file too: the second Eve is skipped, not noted.
    eve = ["Eve", "Ng", "eve@x.example", "Tier 1", "", ""]
    fay = ["Fay", "Ng", "fay@x.example", "Hot", "", ""]
    twice = run_import(ctx, write_csv(tmp_path / "c.csv", [HEADER, eve, eve, fay, fay]))
    assert (twice.created, twice.skipped, twice.noted) == (2, 2, 1)
    assert twice.noted + twice.warnings <= twice.created + twice.updated


@pytest.mark.parametrize("policy", [DuplicatePolicy.FILL, DuplicatePolicy.OVERWRITE])
def test_an_update_keeps_the_lead_notes_and_adds_the_imported_values(
    ctx: OperationContext, tmp_path: Path, policy: DuplicatePolicy
) -> None:
    run_import(
        ctx,
        write_csv(
            tmp_path / "a.csv",
            [["First Name", "Email", "Notes"], ["Ana", "ana@example.com", "Call back"]],
        ),
    )
    # 'Tier 1' is no temperature: the Rating column is kept in the notes.
    path = write_csv(tmp_path / "b.csv", [["Email", "Rating"], ["ANA@example.com", "Tier 1"]])
    result = run_import(ctx, path, policy)
    again = run_import(ctx, path, policy)

    assert (result.updated, result.noted) == (1, 0)
    assert lead_rows(ctx)[0]["notes"] == "Call back\n\nImported values:\nRating: Tier 1"
    assert (again.updated, again.skipped) == (0, 1)  # the section is there already


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("salesforce_rating_tiers.csv", 5),
        ("google_contacts_labels.csv", 4),
        ("pipedrive_labels.csv", 4),
        ("outlook_title_job_title.csv", 5),
        ("honorific_title_only.csv", 4),
        ("nul_cells.csv", 33),
    ],
)
def test_every_row_of_vendor_files_with_their_own_columns_is_imported(
    ctx: OperationContext, name: str, rows: int
) -> None:
    result = run_import(ctx, FIXTURES / name)
    assert (result.created, result.rejected) == (rows, 0)


def test_vendor_words_are_kept_in_the_notes_and_honorifics_not_as_job_titles(
    ctx: OperationContext,
) -> None:
    run_import(ctx, FIXTURES / "google_contacts_labels.csv")
    run_import(ctx, FIXTURES / "outlook_title_job_title.csv")
    run_import(ctx, FIXTURES / "pipedrive_labels.csv")
    nuria = lead_named(ctx, "Núria", "Puig")
    assert nuria["notes"] == "Imported values:\nLabels: * myContacts ::: Friends"
    assert nuria["temperature"] == "cold"
    titles = {lead["first_name"]: lead["job_title"] for lead in lead_rows(ctx)}
    assert titles["François"] == "Head of Sales"
    assert titles["Ugo"] is None  # 'Prof.' is no job title
    noah = lead_named(ctx, "Noah", "Vale")
    assert noah["deal_value_cents"] is None
    assert noah["notes"] == (
        "Imported values:\nPerson - Label(s): VIP\nDeal - Value: lots\n"
        "Deal - Expected close date: next quarter"
    )


def test_nul_characters_are_never_stored(ctx: OperationContext) -> None:
    result = run_import(ctx, FIXTURES / "nul_cells.csv")
    assert (result.noted, result.warnings) == (2, 0)
    assert {(n.line_number, n.column) for n in result.notes} == {
        (2, "First Name"),
        (2, "Company"),
        (3, "Email"),
        (3, "Rating"),
    }
    with ctx.db.reading() as connection:
        stored = connection.execute(leads.select()).mappings().all()
    assert not [row for row in stored for value in row.values() if "\x00" in str(value)]
    walt = lead_named(ctx, "Walt", "Byte")
    assert (walt["email"], walt["temperature"]) == ("walt@example.com", "warm")


def test_a_file_without_rows_is_refused_and_records_no_batch(ctx: OperationContext) -> None:
    with pytest.raises(UserError) as refused:
        run_import(ctx, FIXTURES / "header_only.csv")
    assert str(refused.value) == "The file has column names but no rows of leads below them."
    assert count(ctx, import_batches) == 0


# --- the property, end to end ------------------------------------------------------------

OPTIONAL = ["Temperature", "Lifecycle Stage", "Create Date", "Deal Value", "Number of Employees"]
OPTIONAL += ["Decision Maker", "Marketing contact status", "Won Date", "Labels"]
# NUL bytes are left to the parser's property (test_csv_row_notes.py): a small file
# made mostly of them is rightly taken for a binary file.
_garbage = st.one_of(
    st.text(alphabet=string.printable + "äß€", max_size=10),
    st.sampled_from(["", "n/a", "soon", "Tier 1", "31/02/2026", "=1+1", "1.2.3", "-"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(garbage=st.lists(st.lists(_garbage, min_size=9, max_size=9), min_size=1, max_size=6))
def test_every_named_row_is_imported_whatever_its_optional_cells_hold(
    ctx: OperationContext, tmp_path: Path, garbage: list[list[str]]
) -> None:
    before = count(ctx, leads)
    rows = [
        [f"Person{index}", f"p{index}.{before}@example.com", *cells]
        for index, cells in enumerate(garbage)
    ]
    path = write_csv(tmp_path / "garbage.csv", [["First Name", "Email", *OPTIONAL], *rows])
    result = run_import(ctx, path, DuplicatePolicy.CREATE)
    assert (result.created, result.rejected) == (len(rows), 0)
    assert result.noted + result.warnings <= result.created
