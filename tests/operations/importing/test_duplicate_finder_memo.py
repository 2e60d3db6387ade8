"""The stored colleagues an import read once are kept up to date across its chunks.

A row in a late chunk must still find the lead an early chunk of the same file
created (by phone, by a close name at the company), and an update that renames
a lead must not leave the import comparing with the old name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import DuplicatePolicy, duplicate_finder, import_file
from leaddesk.operations.leads import create_lead
from tests.operations.importing.import_helpers import HEADER, lead_rows, run_import, write_csv

COLLEAGUES = [
    [f"Given{n}", f"Family{n}", f"p{n}@acme.example", "", "Acme", "", ""] for n in range(30)
]


@pytest.mark.parametrize("chunk_rows", [1, 4, 2000])
def test_a_late_row_finds_a_colleague_created_by_an_early_chunk(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_rows: int
) -> None:
    monkeypatch.setattr(import_file, "CHUNK_ROWS", chunk_rows)
    create_lead(ctx, {"first_name": "Stored", "last_name": "Colleague", "company": "Acme"})
    rows = [
        ["Jörg", "Müller", "", "+49 30 555", "Acme", "", "first"],
        *COLLEAGUES,
        # No email: the same phone, and a close name at the company, are the same person.
        ["Joerg", "Mueller", "", "+49 30 555", "Acme", "CEO", ""],
        ["Storred", "Colleague", "", "", "Acme", "CTO", ""],
        ["Given2", "Family2", "", "", "Acme", "Boss", ""],  # by name alone
    ]
    path = write_csv(tmp_path / "colleagues.csv", [HEADER, *rows])

    result = run_import(ctx, path, DuplicatePolicy.FILL)

    assert (result.created, result.updated) == (31, 3)
    stored = {(lead["first_name"], lead["last_name"]): lead for lead in lead_rows(ctx)}
    assert stored["Jörg", "Müller"]["job_title"] == "CEO"
    assert stored["Stored", "Colleague"]["job_title"] == "CTO"
    assert stored["Given2", "Family2"]["job_title"] == "Boss"


def test_a_lead_renamed_by_the_import_is_compared_by_its_new_name(
    ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_file, "CHUNK_ROWS", 2)
    create_lead(ctx, {"email": "kim@acme.example", "company": "Acme"})
    rows = [
        ["Someone", "Else", "", "", "Acme", "", ""],  # reads Acme's leads: one, nameless
        ["Kim", "Lindqvist", "kim@acme.example", "", "Acme", "", ""],  # names that lead
        *COLLEAGUES[:3],
        ["Kim", "Lindkvist", "", "", "Acme", "Buyer", ""],  # a close name, no email
    ]
    path = write_csv(tmp_path / "renamed.csv", [HEADER, *rows])

    result = run_import(ctx, path, DuplicatePolicy.FILL)

    kim = next(lead for lead in lead_rows(ctx) if lead["email"] == "kim@acme.example")
    assert (kim["first_name"], kim["last_name"], kim["job_title"]) == ("Kim", "Lindqvist", "Buyer")
    assert result.created == 4


@pytest.mark.parametrize("memo_entries", [2, 300_000])
@pytest.mark.parametrize("chunk_rows", [1, 3])
def test_colleagues_at_a_company_new_to_the_database_are_found_across_chunks(
    ctx: OperationContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    chunk_rows: int,
    memo_entries: int,
) -> None:
    # A company first seen in this file is known without asking the database; a
    # tiny memo forgets it again and the database is asked: the same answers.
    monkeypatch.setattr(import_file, "CHUNK_ROWS", chunk_rows)
    monkeypatch.setattr(duplicate_finder, "MEMO_ENTRIES", memo_entries)
    rows = [
        ["Ida", "Nyström", "", "+46 8 123 456 78", "Nordlicht GmbH", "", ""],
        ["Ola", "Berg", "ola@nordlicht.example", "", "Nordlicht GmbH", "", ""],
        *[[f"Given{n}", f"Family{n}", "", "", f"Other {n}", "", ""] for n in range(5)],
        ["Ida", "Nystrom", "", "", "Nordlicht", "Buyer", ""],  # close name, same company
        ["Ola", "Berg", "ola.berg@nordlicht.example", "", "Nordlicht GmbH", "", ""],
        ["Per", "Holm", "", "+46 8 123 456 78", "", "CFO", ""],  # Ida's phone, no email: Ida
    ]
    path = write_csv(tmp_path / "new-company.csv", [HEADER, *rows])

    result = run_import(ctx, path, DuplicatePolicy.FILL)

    ida = next(lead for lead in lead_rows(ctx) if lead["first_name"] == "Ida")
    shown = result.duplicates_sample
    decisions = [(row.line_number, row.matched_lead, row.reason) for row in shown]
    assert decisions == [
        (9, ida["id"], "close name at the same company, no email on either"),
        (10, ida["id"] + 1, "close name at the same company, different email"),
        (11, ida["id"], "same phone, no email on either"),
    ]
    assert (result.created, result.updated, result.skipped) == (8, 1, 1)
    assert ida["job_title"] == "Buyer"
