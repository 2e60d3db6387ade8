"""Possible duplicates kept for review: recorded by an import and on save, open while
both leads are live and nobody said "Not a duplicate", cleared by a merge or a delete."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.duplicate_marks import (
    dismiss_possible_duplicate,
    mark_possible_duplicates,
    redo_dismissal,
    undo_dismissal,
)
from leaddesk.operations.importing import DuplicatePolicy, undo_import
from leaddesk.operations.leads import create_lead, delete_leads, restore_leads
from leaddesk.operations.merge import merge_leads, undo_merge
from leaddesk.operations.trash import delete_forever
from leaddesk.storage.duplicates import open_pairs, open_pairs_of, pair_partners
from leaddesk.storage.schema import possible_duplicates
from tests.operations.importing.import_helpers import (
    FIXTURES,
    batch_of,
    lead_named,
    run_import,
)

COLLEAGUES = FIXTURES / "duplicates" / "colleagues_switchboard.csv"


def _open(ctx: OperationContext) -> list[tuple[int, int, str]]:
    with ctx.db.reading() as connection:
        return [(p.lead_id, p.other_id, p.short_reason) for p in open_pairs(connection)]


def _marked(ctx: OperationContext, *ids: int) -> set[int]:
    with ctx.db.reading() as connection:
        partners = pair_partners(connection, list(ids))
    return {lead for lead, others in partners.items() if any(others.values())}


def _colleagues(ctx: OperationContext) -> tuple[int, int]:
    """Anna and Hanna: one switchboard number, two emails."""
    anna = create_lead(
        ctx, {"first_name": "Anna", "email": "anna@nordlicht.example", "phone": "+49301234560"}
    ).value
    hanna = create_lead(
        ctx, {"first_name": "Hanna", "email": "hanna@nordlicht.example", "phone": "+49301234560"}
    ).value
    return anna, hanna


def test_an_import_records_each_possible_duplicate_it_creates(ctx: OperationContext) -> None:
    result = run_import(ctx, COLLEAGUES, DuplicatePolicy.SKIP)

    anna = lead_named(ctx, "Anna", "Berg")["id"]
    newcomers = {row["lead"] for row in result.duplicates_json()}
    assert sorted(_open(ctx)) == sorted((lead, anna, "same phone") for lead in newcomers)
    # The lead they resemble is announced too, so its card shows the mark at once.
    assert anna in result.changes.updated
    assert _marked(ctx, anna, *newcomers) == {anna, *newcomers}


def test_undoing_the_import_takes_its_pairs_with_it(ctx: OperationContext) -> None:
    result = run_import(ctx, COLLEAGUES)

    undo_import(ctx, batch_of(result))

    with ctx.db.reading() as connection:
        assert connection.execute(select(possible_duplicates)).all() == []


def test_a_dry_run_records_nothing(ctx: OperationContext) -> None:
    run_import(ctx, COLLEAGUES, dry_run=True)

    assert _open(ctx) == []


def test_saving_a_lead_that_shares_a_phone_records_the_pair_once(ctx: OperationContext) -> None:
    anna, hanna = _colleagues(ctx)

    outcome = mark_possible_duplicates(ctx, [hanna])
    again = mark_possible_duplicates(ctx, [anna])

    assert outcome.value == 1
    assert outcome.changes.updated == {anna, hanna}
    assert again.value == 0
    assert not again.changes
    assert _open(ctx) == [(hanna, anna, "same phone")]
    with ctx.db.reading() as connection:
        [seen_from_anna] = open_pairs_of(connection, anna)
    assert (seen_from_anna.other_id, seen_from_anna.other_name) == (hanna, "Hanna")


def test_the_same_person_is_not_a_possible_duplicate(ctx: OperationContext) -> None:
    first = create_lead(ctx, {"first_name": "Ola", "phone": "+4930555000"}).value
    create_lead(ctx, {"first_name": "Ola", "email": "ola@x.example", "phone": "+4930555000"})

    assert mark_possible_duplicates(ctx, [first]).value == 0
    assert _open(ctx) == []


def test_not_a_duplicate_closes_the_pair_for_good_and_undo_reopens_it(
    ctx: OperationContext,
) -> None:
    anna, hanna = _colleagues(ctx)
    mark_possible_duplicates(ctx, [hanna])

    dismissal = dismiss_possible_duplicate(ctx, anna, hanna)

    assert dismissal.changes.updated == {anna, hanna}
    assert _open(ctx) == []
    assert _marked(ctx, anna, hanna) == set()
    # Saving either lead again does not bring a dismissed pair back.
    assert mark_possible_duplicates(ctx, [hanna]).value == 0
    with pytest.raises(UserError, match="already marked as not duplicates"):
        dismiss_possible_duplicate(ctx, hanna, anna)

    undo_dismissal(ctx, dismissal.value)
    assert _open(ctx) == [(hanna, anna, "same phone")]
    redo_dismissal(ctx, dismissal.value)
    assert _open(ctx) == []


def test_dismissing_a_match_never_recorded_records_it_dismissed(ctx: OperationContext) -> None:
    anna, hanna = _colleagues(ctx)

    dismissal = dismiss_possible_duplicate(ctx, hanna, anna, "same phone, different email")

    assert dismissal.value.created
    assert mark_possible_duplicates(ctx, [hanna]).value == 0
    undo_dismissal(ctx, dismissal.value)
    with ctx.db.reading() as connection:
        assert connection.execute(select(possible_duplicates)).all() == []


def test_merging_clears_the_pair_and_undoing_the_merge_restores_it(ctx: OperationContext) -> None:
    anna, hanna = _colleagues(ctx)
    mark_possible_duplicates(ctx, [hanna])

    merge_id = merge_leads(ctx, anna, hanna).value
    assert _open(ctx) == []
    assert _marked(ctx, anna) == set()

    undo_merge(ctx, merge_id)
    assert _open(ctx) == [(hanna, anna, "same phone")]


def test_deleting_either_lead_clears_the_pair(ctx: OperationContext) -> None:
    anna, hanna = _colleagues(ctx)
    mark_possible_duplicates(ctx, [hanna])

    delete_leads(ctx, [anna])
    assert _open(ctx) == []
    # Back from the trash: the question is open again.
    restore_leads(ctx, [anna])
    assert _open(ctx) == [(hanna, anna, "same phone")]

    delete_leads(ctx, [hanna])
    delete_forever(ctx, [hanna])
    with ctx.db.reading() as connection:
        assert connection.execute(select(possible_duplicates)).all() == []


def test_a_lead_cannot_be_dismissed_against_itself_or_a_missing_lead(
    ctx: OperationContext,
) -> None:
    anna, _hanna = _colleagues(ctx)

    with pytest.raises(UserError, match="itself"):
        dismiss_possible_duplicate(ctx, anna, anna)
    with pytest.raises(UserError, match="no lead with id 999"):
        dismiss_possible_duplicate(ctx, anna, 999)
