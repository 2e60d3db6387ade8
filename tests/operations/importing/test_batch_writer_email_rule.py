"""The import's duplicate rule: an email decides; a phone or a name only where no email
contradicts it; every row it settles is listed with the lead it matched and why."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaddesk.core.normalize import normalize_email
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import DuplicatePolicy, undo_import
from leaddesk.operations.leads import create_lead
from leaddesk.storage.duplicates import find_duplicates
from tests.operations.importing.import_helpers import (
    FIXTURES,
    HEADER,
    lead_named,
    lead_rows,
    run_import,
    write_csv,
)

DUPLICATES = FIXTURES / "duplicates"
COLLEAGUES = DUPLICATES / "colleagues_switchboard.csv"
SAME_PERSON_TWICE = DUPLICATES / "same_person_twice.csv"
PHONE_WITHOUT_EMAIL = DUPLICATES / "phone_without_email.csv"


@pytest.mark.parametrize("policy", [DuplicatePolicy.SKIP, DuplicatePolicy.FILL])
def test_colleagues_sharing_a_switchboard_are_all_imported_and_flagged(
    ctx: OperationContext, policy: DuplicatePolicy
) -> None:
    result = run_import(ctx, COLLEAGUES, policy)

    assert (result.created, result.updated, result.skipped) == (4, 0, 0)
    assert result.possible_duplicates == 3
    stored = lead_rows(ctx)
    anna = lead_named(ctx, "Anna", "Berg")["id"]
    assert [
        (row["line"], row["matched_lead"], row["reason"], row["action"])
        for row in result.duplicates_json()
    ] == [
        (3, anna, "same phone, different email", "created"),
        (4, anna, "same phone, different email", "created"),
        (5, anna, "same phone, different email", "created"),
    ]
    assert [row["lead"] for row in result.duplicates_json()] == [s["id"] for s in stored[1:]]
    # Each one's form shows the others as possible duplicates, never as the same person.
    with ctx.db.reading() as connection:
        for lead in stored:
            matches = find_duplicates(connection, lead, exclude_id=lead["id"])
            assert {m.lead_id for m in matches} == {s["id"] for s in stored} - {lead["id"]}
            assert not any(m.same_person for m in matches)


def test_colleagues_already_stored_are_matched_by_their_own_email(ctx: OperationContext) -> None:
    run_import(ctx, COLLEAGUES)
    newcomer = write_csv(
        ctx.db.location.data_dir / "more.csv",
        [
            ["First Name", "Last Name", "Email", "Phone Number", "Company Name"],
            ["Hanna", "Berg", "HANNA.BERG@nordlicht.example", "+49 30 1234 5600", "Nordlicht"],
            ["Dana", "Moe", "dana.moe@nordlicht.example", "+49 30 1234 5600", "Nordlicht"],
        ],
    )

    result = run_import(ctx, newcomer)

    assert (result.created, result.skipped) == (1, 1)
    hanna = lead_named(ctx, "Hanna", "Berg")["id"]
    anna = lead_named(ctx, "Anna", "Berg")["id"]
    assert [
        (r["line"], r["matched_lead"], r["reason"], r["action"]) for r in result.duplicates_json()
    ] == [
        (2, hanna, "same email", "skipped"),
        (3, anna, "same phone, different email", "created"),
    ]


def test_the_same_person_in_another_case_and_spacing_is_one_lead(ctx: OperationContext) -> None:
    result = run_import(ctx, SAME_PERSON_TWICE)

    assert (result.created, result.skipped) == (1, 1)
    (lead,) = lead_rows(ctx)
    assert lead["email"] == "juergen.schaefer@acme.example"
    assert result.duplicates_json() == [
        {"line": 3, "matched_lead": lead["id"], "reason": "same email", "action": "skipped"}
    ]
    assert result.duplicates_sample[0].who == "Jurgen Schafer"


@pytest.mark.parametrize(
    ("policy", "counts", "action"),
    [
        (DuplicatePolicy.SKIP, (1, 0, 1), "skipped"),
        (DuplicatePolicy.FILL, (1, 1, 0), "updated"),
    ],
)
def test_a_row_without_email_is_its_phones_lead(
    ctx: OperationContext, policy: DuplicatePolicy, counts: tuple[int, int, int], action: str
) -> None:
    result = run_import(ctx, PHONE_WITHOUT_EMAIL, policy)

    assert (result.created, result.updated, result.skipped) == counts
    (lead,) = lead_rows(ctx)
    (row,) = result.duplicates_json()
    assert (row["line"], row["matched_lead"], row["action"]) == (3, lead["id"], action)
    assert row["reason"].startswith("same phone, no email")
    assert lead["job_title"] == ("Head of Sales" if policy is DuplicatePolicy.FILL else None)


def test_a_stored_lead_without_email_is_taken_by_one_email_only(
    ctx: OperationContext, tmp_path: Path
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Ola", "phone": "+47 22 33 44 55"}).value
    path = write_csv(
        tmp_path / "two.csv",
        [
            HEADER,
            ["Ola", "Nordmann", "ola@fjord.example", "+47 22334455", "", "", ""],
            ["Kari", "Nordmann", "kari@fjord.example", "+47 22334455", "", "", ""],
        ],
    )

    result = run_import(ctx, path, DuplicatePolicy.SKIP)

    # Ola's row is the stored Ola; Kari (another email) cannot be Ola too.
    assert (result.created, result.skipped) == (1, 1)
    assert [(r["matched_lead"], r["reason"], r["action"]) for r in result.duplicates_json()] == [
        (lead_id, "same phone, no email on the lead", "skipped"),
        (lead_id, "same phone, different email", "created"),
    ]


def test_a_skipped_row_is_not_counted_as_imported_with_a_note(
    ctx: OperationContext, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "w.csv",
        [
            HEADER,
            *([name, "Lee", f"{name.lower()}@lee.example", "", "", "", ""] for name in "ABCDE"),
            # An address that is not one (kept in the notes), twice; the same phone.
            ["Cleo", "Park", "cleo(at)park", "+1 202 555 0147", "", "", ""],
            ["Cleo", "Park", "cleo(at)park", "+1 202 555 0147", "", "", ""],
        ],
    )
    result = run_import(ctx, path)
    # One row imported (with its note), one skipped: one row with a note, not two.
    assert (result.created, result.skipped) == (6, 1)
    assert result.noted + result.warnings == 1
    assert [(d["line"], d["action"]) for d in result.duplicates_json()] == [(8, "skipped")]


def test_the_error_report_lists_skipped_rows_with_why(
    ctx: OperationContext, tmp_path: Path
) -> None:
    result = run_import(ctx, SAME_PERSON_TWICE)
    report = tmp_path / "report.csv"
    result.write_error_report(report)
    with report.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    lead_id = lead_rows(ctx)[0]["id"]
    assert rows[0][-2:] == ["Line", "Reason"]
    assert rows[1][-2:] == ["3", f"Skipped: same email as lead {lead_id}"]
    assert rows[1][2] == "  JUERGEN.SCHAEFER@acme.EXAMPLE "  # the row as it was
    assert len(rows) == 2


# A small pool, so that rows often share an email, a phone, a company or a name.
_cells = st.tuples(
    st.sampled_from(["Anna", "Ana", "Bo", ""]),
    st.sampled_from(["Berg", "Lind", ""]),
    st.sampled_from(
        ["anna@acme.example", " ANNA@acme.example", "bo@acme.example", "c@b.example", ""]
    ),
    st.sampled_from(["+44 20 7946 0000", "+442079460000", "+44 20 7946 0001", ""]),
    st.sampled_from(["Acme", "Acme Inc.", "Beta", ""]),
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stored=st.lists(_cells, max_size=3),
    rows=st.lists(_cells, min_size=1, max_size=8),
    policy=st.sampled_from([DuplicatePolicy.FILL, DuplicatePolicy.OVERWRITE]),
)
def test_rows_with_different_emails_are_never_merged(
    ctx: OperationContext,
    tmp_path: Path,
    stored: list[tuple[str, ...]],
    rows: list[tuple[str, ...]],
    policy: DuplicatePolicy,
) -> None:
    before = {lead["id"] for lead in lead_rows(ctx)}
    for first, last, email, phone, company in stored:
        if first or last or email or phone:
            create_lead(
                ctx,
                {
                    "first_name": first or None,
                    "last_name": last or None,
                    "email": email.strip() or None,
                    "phone": phone or None,
                    "company": company or None,
                },
            )
    path = write_csv(tmp_path / "rows.csv", [HEADER[:5], *[list(row) for row in rows]])
    result = run_import(ctx, path, policy)
    try:
        # Every address of the file ends on a lead of its own: none was merged
        # into a lead that has (or got, from another row) another address.
        file_emails = {normalize_email(row[2]) for row in rows if row[2].strip()}
        leads = [lead for lead in lead_rows(ctx) if lead["deleted_at"] is None]
        stored_emails = [lead["email_normalized"] for lead in leads if lead["email_normalized"]]
        assert file_emails <= set(stored_emails)
        for row in result.duplicates_json():
            assert row["reason"] != "same email" or row["action"] in ("skipped", "updated")
    finally:
        if result.batch_id is not None:
            undo_import(ctx, result.batch_id)
        with ctx.db.transaction() as connection:
            from leaddesk.storage.schema import leads as leads_table

            connection.execute(leads_table.delete().where(leads_table.c.id.not_in(before)))
