"""Who a command acts as: the team member marked "me", or ``--as NAME``.

Stage history (``changed_by``) and activities (``created_by``) carry that name,
not the computer's login.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from leaddesk.operations.owners import add_owner, introduce_myself
from leaddesk.storage.schema import activities, leads, stage_history
from tests.cli.helpers import assert_one_line_error, run


def _authors(ctx: OperationContext, lead_id: int) -> tuple[str | None, str | None, str | None]:
    with ctx.db.reading() as connection:
        changed_by = connection.execute(
            select(stage_history.c.changed_by)
            .where(stage_history.c.lead_id == lead_id)
            .order_by(stage_history.c.id.desc())
        ).scalar()
        created_by = connection.execute(
            select(activities.c.created_by).where(activities.c.lead_id == lead_id)
        ).scalar()
        updated_by = connection.execute(
            select(leads.c.updated_by).where(leads.c.id == lead_id)
        ).scalar()
    return changed_by, created_by, updated_by


def test_a_command_records_the_me_team_member_not_the_login(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    introduce_myself(ctx, "Lucía Torres")
    lead_id = create_lead(ctx, {"first_name": "Ana"}).value

    moved = run(
        capsys, "--data-dir", data_dir, "move", str(lead_id), "--stage", "sql", "--skip-questions"
    )
    logged = run(capsys, "--data-dir", data_dir, "log", str(lead_id), "call", "Rang")

    assert (moved.code, logged.code) == (0, 0), moved.err + logged.err
    assert _authors(ctx, lead_id) == ("Lucía Torres", "Lucía Torres", "Lucía Torres")


def test_as_names_a_team_member_in_any_case_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    introduce_myself(ctx, "Lucía Torres")
    add_owner(ctx, "Bob Baker")
    lead_id = create_lead(ctx, {"first_name": "Ana"}).value

    moved = run(
        capsys,
        "--data-dir",
        data_dir,
        "--as",
        "bob  BAKER",
        "move",
        str(lead_id),
        "--stage",
        "mql",
        "--skip-questions",
    )
    logged = run(capsys, "--data-dir", data_dir, "log", str(lead_id), "call", "--as", "Bob Baker")

    assert (moved.code, logged.code) == (0, 0), moved.err + logged.err
    assert _authors(ctx, lead_id) == ("Bob Baker", "Bob Baker", "Bob Baker")


def test_an_unknown_as_name_is_one_sentence_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    lead_id = create_lead(ctx, {"first_name": "Ana"}).value

    result = run(
        capsys,
        "--data-dir",
        data_dir,
        "--as",
        "Bob",
        "move",
        str(lead_id),
        "--stage",
        "mql",
        "--skip-questions",
    )

    line = assert_one_line_error(result, 2)
    assert "no team member called 'Bob'" in line
    with ctx.db.reading() as connection:
        assert connection.execute(select(leads.c.stage)).scalar() == "lead"


def test_without_a_me_the_login_name_is_recorded(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    ctx: OperationContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "sam.login")
    lead_id = create_lead(ctx, {"first_name": "Ana"}).value

    result = run(capsys, "--data-dir", data_dir, "log", str(lead_id), "note")

    assert result.code == 0, result.err
    assert _authors(ctx, lead_id)[1] == "sam.login"
