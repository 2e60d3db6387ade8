"""`leaddesk move`: gated as on the board; the gate answered by options or the move refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.storage.schema import stage_history
from tests.cli.helpers import Run, assert_one_line_error, listing, refusal, run


def _move(capsys: pytest.CaptureFixture[str], data_dir: Path, lead: int, *argv: str) -> Run:
    return run(capsys, "--data-dir", data_dir, "move", str(lead), *argv)


def _by_id(capsys: pytest.CaptureFixture[str], data_dir: Path) -> dict[int, dict]:
    return {record["id"]: record for record in listing(capsys, data_dir)}


def test_a_move_hotter_is_refused_naming_the_missing_fields(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    bare = create_lead(ctx, {"first_name": "Bare"}).value
    known = create_lead(ctx, {"first_name": "Known", "need": "A CRM"}).value
    line = refusal(capsys, data_dir, "move", str(bare), str(known), "--temperature", "warm")
    assert line == (
        f"leaddesk: 2 leads ({bare}, {known}) cannot move to Warm without need / pain, "
        "product interest and budget range: give them with --need, --product-interest and "
        "--budget-range, or add --skip-questions."
    )


def test_answers_fill_only_the_leads_missing_them_and_all_move_in_one_go(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    bare = create_lead(ctx, {"first_name": "Bare"}).value
    known = create_lead(ctx, {"first_name": "Known", "need": "A CRM"}).value

    result = run(
        capsys, "--data-dir", data_dir, "move", str(bare), str(known), "--temperature", "warm",
        "--need", "Less paperwork", "--product-interest", "Pro",
        "--set", "budget_range=10k-50k",
    )  # fmt: skip

    assert (result.code, result.err, result.out) == (0, "", "Moved 2 leads to Warm.\n")
    leads = _by_id(capsys, data_dir)
    assert [leads[i]["temperature"] for i in (bare, known)] == ["warm", "warm"]
    assert (leads[bare]["need"], leads[known]["need"]) == ("Less paperwork", "A CRM")
    assert leads[known]["budget_range"] == "10k-50k"


def test_skip_questions_moves_as_skip_does_but_disqualified_needs_a_reason(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead = create_lead(ctx, {"first_name": "Ada"}).value
    skipped = _move(capsys, data_dir, lead, "--stage", "sql", "--skip-questions")
    assert skipped.code == 0, skipped.err

    refused = _move(capsys, data_dir, lead, "--stage", "disqualified", "--skip-questions")
    assert assert_one_line_error(refused, 2) == (
        f"leaddesk: Lead {lead} cannot move to Disqualified without disqualification reason: "
        "give it with --reason."
    )
    bad = _move(capsys, data_dir, lead, "--stage", "disqualified", "--reason", "Meh")
    assert "Disqualification reason must be one of No budget" in assert_one_line_error(bad, 2)

    done = _move(capsys, data_dir, lead, "--stage", "disqualified", "--reason", "no budget")
    assert done.code == 0, done.err
    record = _by_id(capsys, data_dir)[lead]
    assert (record["stage"], record["disqualification_reason"]) == ("disqualified", "No budget")
    with ctx.db.reading() as connection:
        stages = (
            connection.execute(
                select(stage_history.c.to_stage)
                .where(stage_history.c.lead_id == lead)
                .order_by(stage_history.c.id)
            )
            .scalars()
            .all()
        )
    assert stages == ["lead", "sql", "disqualified"]


def test_customer_asks_the_won_value(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead = create_lead(ctx, {"first_name": "Ada", "stage": "opportunity"}).value
    refused = _move(capsys, data_dir, lead, "--stage", "customer")
    assert "--won-value" in assert_one_line_error(refused, 2)

    done = _move(capsys, data_dir, lead, "--stage", "customer", "--won-value", "8,500")
    assert done.code == 0, done.err
    record = _by_id(capsys, data_dir)[lead]
    assert (record["stage"], record["won_value"]) == ("customer", 8500)


def test_a_move_that_is_not_hotter_asks_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead = create_lead(ctx, {"first_name": "Ada", "temperature": "hot"}).value
    result = _move(capsys, data_dir, lead, "--temperature", "cold")
    assert (result.code, result.out) == (0, f"Moved lead {lead} to Cold.\n")


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["1", "99", "--temperature", "cold"], "no lead with id 99"),
        (["9" * 25, "--temperature", "cold"], "too large"),
        (["0", "--temperature", "cold"], "ids start at 1"),
        (["1", "--temperature", "lukewarm"], "invalid choice"),
        (["1"], "one of the arguments --temperature --stage is required"),
        (["1", "--temperature", "hot", "--stage", "sql"], "not allowed with"),
        (["1", "--temperature", "warm", "--need", "x", "--set", "need=y"], "given twice"),
        (["1", "--temperature", "warm", "--deal-value", "ten", "--skip-questions"], "Deal value"),
    ],
)
def test_bad_input_is_one_sentence_and_moves_nothing(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    ctx: OperationContext,
    argv: list[str],
    words: str,
) -> None:
    create_lead(ctx, {"first_name": "Ada"})
    assert words in refusal(capsys, data_dir, "move", *argv)


def test_a_lead_in_the_trash_cannot_be_moved_edited_shown_or_assigned(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    from leaddesk.operations.leads import delete_leads
    from leaddesk.operations.owners import add_owner

    add_owner(ctx, "Priya Patel")
    lead = create_lead(ctx, {"first_name": "Gone"}).value
    delete_leads(ctx, [lead])
    for argv in (
        ["move", str(lead), "--temperature", "hot", "--skip-questions"],
        ["edit", str(lead), "--company", "X"],
        ["show", str(lead)],
        ["assign", str(lead), "Priya Patel"],
    ):
        result = run(capsys, "--data-dir", data_dir, *argv)
        assert assert_one_line_error(result, 2) == f"leaddesk: There is no lead with id {lead}."
