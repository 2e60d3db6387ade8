"""Every command-line write leaves one journal entry a window can undo exactly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from leaddesk.core.clock import FixedClock
from leaddesk.operations.context import OperationContext
from leaddesk.operations.follow_ups import add_follow_up
from leaddesk.operations.leads import create_lead, delete_leads
from leaddesk.operations.undo_journal import apply_entry, entries_after
from leaddesk.storage.schema import undo_journal
from tests.cli.helpers import freeze_system_clock, isolated_cli, run

# The journal and the merge records are history about changes, not the data undone.
_BOOKS = ("undo_journal", "merges", "alembic_version")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, clock: FixedClock) -> Iterator[None]:
    freeze_system_clock(monkeypatch, clock)
    yield from isolated_cli(monkeypatch, tmp_path)


def _data(ctx: OperationContext) -> dict[str, list[tuple[Any, ...]]]:
    with ctx.db.reading() as connection:
        names = connection.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'lead_search%' AND name NOT LIKE 'sqlite_%'"
            )
        ).scalars()
        return {
            name: [tuple(row) for row in connection.execute(text(f'SELECT * FROM "{name}"'))]
            for name in sorted(names)
            if name not in _BOOKS
        }


@pytest.fixture
def leads(ctx: OperationContext, clock: FixedClock) -> dict[str, int]:
    anna = create_lead(
        ctx, {"first_name": "Anna", "last_name": "Schäfer", "email": "anna@nordlicht.example"}
    ).value
    twin = create_lead(ctx, {"first_name": "Anna", "email": "anna@nordlicht.example"}).value
    bo = create_lead(ctx, {"first_name": "Bo", "owner": "Ben"}).value
    gone = create_lead(ctx, {"first_name": "Gus"}).value
    delete_leads(ctx, [gone])
    due = clock.now() + dt.timedelta(days=1)
    follow_up = add_follow_up(ctx, anna, due, "Send the slides").value
    return {"anna": anna, "twin": twin, "bo": bo, "gone": gone, "follow_up": follow_up}


CASES = {
    "add": (["add", "--first-name", "Cleo"], "Add Cleo"),
    "edit": (["edit", "{anna}", "--company", "Acme"], "Edit Anna Schäfer"),
    "move": (
        ["move", "{anna}", "{bo}", "--temperature", "warm", "--skip-questions"],
        "Move 2 leads to Warm",
    ),
    "assign": (["assign", "{anna}", "Ben"], "Assign Anna Schäfer to Ben"),
    "delete": (["delete", "{anna}"], "Delete Anna Schäfer"),
    "restore-lead": (["restore-lead", "{gone}"], "Restore Gus"),
    "log": (["log", "{anna}", "call", "Spoke about pricing"], "Log call on Anna Schäfer"),
    "follow-up": (["follow-up", "{bo}", "tomorrow"], "Plan follow-up for Bo"),
    "done": (["done", "{follow_up}"], "Done with Anna Schäfer"),
    "snooze": (["snooze", "{follow_up}", "1h"], "Snooze Anna Schäfer"),
    "merge": (["merge", "{anna}", "{twin}"], "Merge leads"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_write_is_journaled_and_its_undo_restores_the_data_exactly(
    name: str,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    ctx: OperationContext,
    leads: dict[str, int],
) -> None:
    argv, description = CASES[name]
    before = _data(ctx)

    result = run(capsys, "--data-dir", data_dir, *[arg.format(**leads) for arg in argv])

    assert result.code == 0, result.err
    with ctx.db.reading() as connection:
        (entry,) = entries_after(connection, 0)
    assert entry.delta.description == f"{description} (command line)"
    after = _data(ctx)
    assert after != before
    apply_entry(ctx, entry.id, entry.delta, undo=True)
    assert _data(ctx) == before
    apply_entry(ctx, entry.id, entry.delta, undo=False)
    assert _data(ctx) == after


def test_a_refused_write_and_a_write_that_changes_nothing_leave_no_entry(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext, leads
) -> None:
    gated = run(capsys, "--data-dir", data_dir, "move", str(leads["anna"]), "--temperature", "hot")
    assert gated.code == 2  # the hot tier's fields are missing
    same = run(capsys, "--data-dir", data_dir, "edit", str(leads["bo"]), "--first-name", "Bo")
    assert "nothing changed" in same.out
    unknown = run(capsys, "--data-dir", data_dir, "delete", str(leads["bo"]), "999")
    assert unknown.code == 2
    with ctx.db.reading() as connection:
        assert entries_after(connection, 0) == []


def test_undo_merge_still_works_and_is_journaled_too(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext, leads
) -> None:
    before = _data(ctx)
    merged = run(capsys, "--data-dir", data_dir, "merge", str(leads["anna"]), str(leads["twin"]))
    assert merged.code == 0
    undone = run(capsys, "--data-dir", data_dir, "undo-merge", "1")
    assert undone.code == 0, undone.err
    assert _data(ctx) == before
    with ctx.db.reading() as connection:
        descriptions = list(connection.execute(select(undo_journal.c.description)).scalars())
    assert descriptions == ["Merge leads (command line)", "Undo merge 1 (command line)"]
