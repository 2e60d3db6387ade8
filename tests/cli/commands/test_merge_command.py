"""`leaddesk merge KEEP_ID OTHER_ID`: merging duplicates from a script."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from leaddesk.operations.leads import create_lead
from leaddesk.storage.schema import activities
from tests.cli.helpers import assert_one_line_error, lead_row, run


def test_merge_takes_the_proposed_values_and_keeps_the_history(
    capsys, ctx, data_dir, anna_berg_twice
):
    keep, other = anna_berg_twice
    code, out, err = run(capsys, "--data-dir", data_dir, "merge", str(keep), str(other), "--json")

    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "merge_id": 1,
        "kept": keep,
        "merged": other,
        "taken_from_merged": ["phone", "temperature"],
    }
    kept = lead_row(ctx, keep)
    assert (kept.phone, kept.temperature) == ("+49 30 1234567", "hot")
    assert lead_row(ctx, other).deleted_at is not None
    with ctx.db.reading() as connection:
        kinds = connection.execute(
            select(activities.c.kind).where(activities.c.lead_id == keep)
        ).scalars()
        assert "demo_request" in list(kinds)


def test_keep_values_changes_no_field_of_the_kept_lead(capsys, ctx, data_dir, anna_berg_twice):
    keep, other = anna_berg_twice
    code, out, _err = run(
        capsys, "--data-dir", data_dir, "merge", str(keep), str(other), "--keep-values"
    )
    assert code == 0
    assert out == f"Merged lead {other} into lead {keep}.\nTo undo it: leaddesk undo-merge 1\n"
    kept = lead_row(ctx, keep)
    assert (kept.phone, kept.temperature) == (None, "cold")


@pytest.mark.parametrize(
    ("ids", "message"),
    [((1, 1), "A lead cannot be merged with itself."), ((1, 99), "There is no lead with id 99.")],
)
def test_a_bad_pair_is_one_sentence_and_status_2(capsys, data_dir, anna_berg_twice, ids, message):
    code, out, err = run(capsys, "--data-dir", data_dir, "merge", *map(str, ids))
    assert (code, out) == (2, "")
    assert message in err


def test_two_leads_with_nothing_in_common_are_not_merged_without_force(capsys, ctx, data_dir):
    anna = create_lead(ctx, {"first_name": "Anna", "email": "anna@nordlicht.example"}).value
    boris = create_lead(ctx, {"first_name": "Boris", "email": "boris@ostwind.example"}).value

    result = run(capsys, "--data-dir", data_dir, "merge", str(anna), str(boris))

    line = assert_one_line_error(result, 2)
    assert line == (
        f"leaddesk: Leads {anna} and {boris} share no email, phone or name at the same "
        "company, so they look like two people; add --force to merge anyway."
    )
    assert lead_row(ctx, boris).deleted_at is None
    assert lead_row(ctx, anna).email == "anna@nordlicht.example"

    forced = run(capsys, "--data-dir", data_dir, "merge", str(anna), str(boris), "--force")
    assert forced.code == 0, forced.err
    assert lead_row(ctx, boris).deleted_at is not None
