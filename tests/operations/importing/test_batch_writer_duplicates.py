"""An import's duplicates: of stored leads and of earlier rows, handled by policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from leaddesk.core.clock import FixedClock
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import (
    DuplicatePolicy,
    import_file,
)
from leaddesk.operations.leads import create_lead
from leaddesk.storage.schema import import_changes, stage_history
from tests.operations.importing.import_helpers import (
    HEADER,
    LATER,
    TEST_NOW,
    dup_file,
    fts_consistent,
    lead_rows,
    run_import,
    search_ids,
    write_csv,
)

# --- duplicates --------------------------------------------------------------------

# The existing lead, and how a later row may name the same person.
EXISTING = {
    "first_name": "Jürgen",
    "last_name": "Schäfer",
    "email": "Juergen.Schaefer@Acme.example",
    "phone": "+49 30 1234567",
    "company": "Acme, Inc.",
    "notes": "Met at the fair",
    "stage": "mql",
    "consent": "denied",
    "temperature": "warm",
}
SAME_PERSON = {
    "email": ["Jürgen", "Schäfer", "JUERGEN.SCHAEFER@acme.EXAMPLE", "", ""],
    "phone": ["Jürgen", "Schäfer", "", "0049 (30) 123-45-67", ""],
    "name+company": ["Jurgen", "Schafer", "", "", "ACME inc"],
}
# What the row says besides who it is: a title the lead lacks, a note it has,
# an earlier stage, a consent the lead has denied, another temperature.
ROW_EXTRAS = ["CEO", "Called back", "lead", "Marketing contact", "hot"]


@pytest.mark.parametrize("key", list(SAME_PERSON))
@pytest.mark.parametrize("policy", list(DuplicatePolicy))
def test_a_row_matching_an_existing_lead_follows_the_policy(
    ctx: OperationContext, tmp_path: Path, key: str, policy: DuplicatePolicy
) -> None:
    lead_id = create_lead(ctx, EXISTING).value
    before = lead_rows(ctx)[0]
    incoming = SAME_PERSON[key]
    path = dup_file(tmp_path, [*incoming, *ROW_EXTRAS])

    result = run_import(ctx, path, policy)

    assert result.rows == 1
    stored = lead_rows(ctx)
    if policy is DuplicatePolicy.CREATE:
        assert (result.created, result.updated, result.skipped) == (1, 0, 0)
        assert len(stored) == 2
        assert stored[0] == before
        return
    assert len(stored) == 1
    after = stored[0]
    if policy is DuplicatePolicy.SKIP:
        assert (result.created, result.updated, result.skipped) == (0, 0, 1)
        assert after == before
        return
    assert (result.created, result.updated, result.skipped) == (0, 1, 0)
    assert after["id"] == lead_id
    assert after["job_title"] == "CEO"  # was empty: filled under fill and overwrite
    assert after["stage"] == "mql"  # never moves backwards
    assert after["consent"] == "denied"  # a denial is never replaced
    assert after["email"] == before["email"]  # the row has no email: nothing erased
    if policy is DuplicatePolicy.FILL:
        assert (after["first_name"], after["notes"], after["temperature"]) == (
            "Jürgen",
            "Met at the fair",
            "warm",
        )
    else:
        assert (after["first_name"], after["notes"], after["temperature"]) == (
            incoming[0],
            "Called back",
            "hot",
        )
    assert after["version"] == before["version"] + 1
    assert after["updated_at"] == TEST_NOW


@pytest.mark.parametrize("chunk_rows", [2000, 1])
@pytest.mark.parametrize("key", list(SAME_PERSON))
@pytest.mark.parametrize("policy", list(DuplicatePolicy))
def test_a_row_matching_an_earlier_row_of_the_file_follows_the_policy(
    ctx: OperationContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    key: str,
    policy: DuplicatePolicy,
    chunk_rows: int,
) -> None:
    # chunk_rows=1 puts the earlier row in an earlier chunk, already inserted.
    monkeypatch.setattr(import_file, "CHUNK_ROWS", chunk_rows)
    first = ["Jürgen", "Schäfer", "juergen.schaefer@acme.example", "+49 30 1234567", "Acme, Inc."]
    path = dup_file(
        tmp_path,
        [*first, "", "Met at the fair", "mql", "", "warm"],
        [*SAME_PERSON[key], "CEO", "Called back", "opportunity", "Marketing contact", "hot"],
        ["Other", "Person", "other@example.com", "", "", "", "", "", "", ""],
    )

    result = run_import(ctx, path, policy)

    assert result.rows == 3
    stored = lead_rows(ctx)
    if policy is DuplicatePolicy.CREATE:
        assert (result.created, result.updated, result.skipped) == (3, 0, 0)
        return
    assert len(stored) == 2
    lead = stored[0]
    assert (lead["email"], lead["phone"]) == ("juergen.schaefer@acme.example", "+49301234567")
    if policy is DuplicatePolicy.SKIP:
        assert (result.created, result.updated, result.skipped) == (2, 0, 1)
        assert (lead["job_title"], lead["stage"], lead["temperature"]) == (None, "mql", "warm")
        return
    assert (result.created, result.updated, result.skipped) == (2, 1, 0)
    assert lead["job_title"] == "CEO"
    if policy is DuplicatePolicy.FILL:
        assert (lead["notes"], lead["stage"], lead["temperature"]) == (
            "Met at the fair",
            "mql",
            "warm",
        )
    else:
        assert (lead["notes"], lead["stage"], lead["temperature"]) == (
            "Called back",
            "opportunity",
            "hot",
        )
        assert lead["consent"] == "granted"  # unknown may become granted
    with ctx.db.reading() as connection:
        assert connection.execute(select(func.count()).select_from(import_changes)).scalar() == 0
    # The merged lead is found by what the later row gave it, and only once.
    assert search_ids(ctx, "CEO") == [lead["id"]]
    fts_consistent(ctx.db)


@pytest.mark.parametrize(
    "spelling", ["0049 30 1234567", "+49 (30) 123-45-67", "+49.30.1234567", "+4930 1234567"]
)
def test_phones_match_in_any_spelling(ctx: OperationContext, tmp_path: Path, spelling: str) -> None:
    create_lead(ctx, {"first_name": "Anna", "last_name": "Berg", "phone": "+49 30 1234567"})
    path = write_csv(tmp_path / "p.csv", [HEADER, ["Annika", "Bergmann", "", spelling, "", "", ""]])
    result = run_import(ctx, path)
    assert (result.created, result.skipped) == (0, 1)


def test_a_phone_with_00_before_the_country_code_is_stored_international(
    ctx: OperationContext, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "p.csv", [HEADER, ["Anna", "Berg", "", "0049 30 1234567", "", "", ""]]
    )
    result = run_import(ctx, path)
    assert (result.created, result.warnings) == (1, 0)
    assert lead_rows(ctx)[0]["phone"] == "+49301234567"


def test_a_national_phone_matches_with_the_default_region(
    ctx: OperationContext, tmp_path: Path
) -> None:
    create_lead(ctx, {"first_name": "Anna", "last_name": "Berg", "phone": "+49 30 1234567"})
    path = write_csv(tmp_path / "p.csv", [HEADER, ["A.", "Berg", "", "030 1234567", "", "", ""]])
    result = run_import(ctx, path, default_region="DE")
    assert (result.created, result.skipped) == (0, 1)


@pytest.mark.parametrize(
    ("row", "duplicate"),
    [
        (["Jurgen", "Schafer", "", "", "ACME inc"], True),
        (["JÜRGEN", "SCHÄFER", "", "", "acme"], True),
        (["Jürgen", "Schaefer", "", "", "Acme Inc."], True),
        # Another person at the same company, or the same name at another company.
        (["Hana", "Schäfer", "", "", "ACME inc"], False),
        (["Jürgen", "Schäfer", "", "", "Acme Logistics"], False),
        (["Jürgen", "Schäfer", "", "", ""], False),
    ],
)
def test_close_names_match_only_at_the_same_company(
    ctx: OperationContext, tmp_path: Path, row: list[str], duplicate: bool
) -> None:
    create_lead(ctx, {"first_name": "Jürgen", "last_name": "Schäfer", "company": "Acme, Inc."})
    path = write_csv(tmp_path / "n.csv", [HEADER, [*row, "", ""]])
    result = run_import(ctx, path)
    assert (result.created, result.skipped) == ((0, 1) if duplicate else (1, 0))


def test_overwrite_moves_a_stage_forward_and_records_it(
    ctx: OperationContext, tmp_path: Path, clock: FixedClock
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Anna", "email": "anna@example.com"}).value
    clock.advance(LATER)
    path = write_csv(
        tmp_path / "s.csv",
        [
            ["Email", "Lifecycle Stage", "Marketing contact status"],
            ["anna@example.com", "sql", "Marketing contact"],
        ],
    )
    run_import(ctx, path, DuplicatePolicy.OVERWRITE)
    lead = lead_rows(ctx)[0]
    assert (lead["stage"], lead["consent"], lead["stage_changed_at"]) == (
        "sql",
        "granted",
        TEST_NOW + LATER,
    )
    with ctx.db.reading() as connection:
        history = connection.execute(
            select(stage_history.c.from_stage, stage_history.c.to_stage)
            .where(stage_history.c.lead_id == lead_id)
            .order_by(stage_history.c.id)
        ).all()
    assert [tuple(h) for h in history] == [(None, "lead"), ("lead", "sql")]
