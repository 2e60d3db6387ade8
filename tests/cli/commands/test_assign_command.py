"""`leaddesk assign`: leads to a team member, in one operation."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.operations.owners import add_owner, set_owner_active
from tests.cli.helpers import listing, refusal, run


def test_assign_gives_every_lead_to_the_team_member(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    add_owner(ctx, "Priya Patel")
    ids = [create_lead(ctx, {"first_name": name}).value for name in ("A", "B", "C")]

    result = run(capsys, "--data-dir", data_dir, "assign", *map(str, ids[:2]), "priya patel")

    assert (result.code, result.err) == (0, "")
    assert result.out == "Assigned 2 leads to Priya Patel.\n"
    assert [r["owner"] for r in listing(capsys, data_dir)] == ["Priya Patel", "Priya Patel", None]
    again = run(capsys, "--data-dir", data_dir, "assign", str(ids[0]), "Priya Patel")
    assert again.out == "Priya Patel already owned it; nothing changed.\n"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["1", "99", "Priya Patel"], "no lead with id 99"),
        (["9" * 25, "Priya Patel"], "too large"),
        (["1", "Nobody"], "no team member called 'Nobody'"),
        (["1", "Gone Person"], "no longer active"),
        (["Priya Patel"], "is not an id"),
    ],
)
def test_bad_input_is_one_sentence_and_assigns_nothing(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    ctx: OperationContext,
    argv: list[str],
    words: str,
) -> None:
    add_owner(ctx, "Priya Patel")
    set_owner_active(ctx, add_owner(ctx, "Gone Person").value, False)
    create_lead(ctx, {"first_name": "A"})
    assert words in refusal(capsys, data_dir, "assign", *argv)
