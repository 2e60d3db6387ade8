"""`leaddesk edit`: change some fields of a lead, checked as the form checks them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaddesk.cli.field_options import flag
from leaddesk.core.fields import LEAD_FIELDS, FieldKind
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from tests.cli.helpers import assert_one_line_error, listing, refusal, run


def test_edit_changes_only_the_fields_given(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Ada", "company": "Old", "need": "CRM"}).value

    result = run(
        capsys, "--data-dir", data_dir, "edit", str(lead_id), "--company", "Acme",
        "--job-title", "CTO", "--need", "", "--set", "budget_range=10k-50k",
    )  # fmt: skip

    assert (result.code, result.err) == (0, "")
    assert result.out.startswith(f"Saved lead {lead_id}: ")
    (record,) = listing(capsys, data_dir)
    assert (record["company"], record["job_title"], record["need"]) == ("Acme", "CTO", None)
    assert (record["budget_range"], record["first_name"], record["version"]) == (
        "10k-50k",
        "Ada",
        2,
    )


def test_a_stage_edit_is_gated_and_answered_by_the_same_edit(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Ada"}).value

    refused = run(capsys, "--data-dir", data_dir, "edit", str(lead_id), "--stage", "disqualified")
    line = assert_one_line_error(refused, 2)
    assert "without disqualification reason" in line
    assert "--disqualification-reason" in line

    done = run(
        capsys, "--data-dir", data_dir, "edit", str(lead_id), "--stage", "disqualified",
        "--disqualification-reason", "no budget",
    )  # fmt: skip
    assert done.code == 0, done.err
    (record,) = listing(capsys, data_dir)
    assert (record["stage"], record["disqualification_reason"]) == ("disqualified", "No budget")


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["99", "--company", "X"], "no lead with id 99"),
        (["9" * 20, "--company", "X"], "too large"),
        (["1"], "Say what to change"),
        (["1", "--deal-value", "ten"], "Deal value (--deal-value)"),
        (["1", "--first-name", ""], "at least a name"),
        (["1", "--set", "nonsense"], "FIELD=VALUE"),
        (["1", "--set", "shoe_size=44"], "FIELD=VALUE"),
        (["1", "--stage", "sql"], "cannot move to SQL without budget confirmed"),
        (["1", "--consent", "perhaps"], "invalid choice"),
        (["1", "--owner", "Ghost"], "no team member called 'Ghost'"),
    ],
)
def test_bad_input_is_one_sentence_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    ctx: OperationContext,
    argv: list[str],
    words: str,
) -> None:
    create_lead(ctx, {"first_name": "Ada"})
    assert words in refusal(capsys, data_dir, "edit", *argv)


_FREE_TEXT = [
    f
    for f in LEAD_FIELDS
    if f.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT, FieldKind.URL)
    and f.name not in ("first_name", "source")
]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(_FREE_TEXT + [f for f in LEAD_FIELDS if f.kind is FieldKind.MONEY]),
    text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
        lambda t: not t.startswith("-")
    ),
)
def test_any_text_in_any_field_flag_is_stored_or_refused_in_one_sentence(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext, field, text: str
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Ada"}).value
    result = run(capsys, "--data-dir", data_dir, "edit", str(lead_id), flag(field.name), text)
    if result.code == 0:
        record = next(r for r in listing(capsys, data_dir) if r["id"] == lead_id)
        if field.kind is not FieldKind.MONEY:
            assert record[field.name] == (text.strip() or None)
    else:
        assert_one_line_error(result, 2)
