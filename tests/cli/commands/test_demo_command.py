"""`leaddesk demo`: realistic demo leads, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import add_demo, assert_one_line_error, info, listing, run


def test_demo_adds_the_requested_number_of_varied_leads(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    result = run(capsys, "--data-dir", data_dir, "demo", "--count", "30", "--seed", "7")

    assert (result.code, result.err) == (0, "")
    assert "30" in result.out
    assert info(capsys, "--data-dir", data_dir)["leads"] == 30
    records = listing(capsys, data_dir)
    assert len(records) == 30
    assert {r["temperature"] for r in records} == {"cold", "warm", "hot"}
    assert len({r["stage"] for r in records}) >= 3
    assert len({r["source"] for r in records}) >= 3
    assert len({r["owner"] for r in records}) >= 3
    assert None not in {r["owner"] for r in records}
    assert len({r["score"] for r in records}) >= 3
    now = dt.datetime.now(dt.UTC)
    follow_ups = [r["next_follow_up"] for r in records]
    assert None in follow_ups
    assert any(due and dt.datetime.fromisoformat(due) < now for due in follow_ups), "no overdue"
    assert any(due and dt.datetime.fromisoformat(due) > now for due in follow_ups), "none due"
    assert {"denied", "granted"} <= {r["consent"] for r in records}


def test_demo_adds_to_what_is_there_and_a_seed_repeats_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    add_demo(capsys, first, 10, seed=3)
    add_demo(capsys, second, 10, seed=3)

    def people(data_dir: Path) -> list[tuple[Any, ...]]:
        return sorted(
            (r["id"], r["first_name"], r["last_name"], r["temperature"], r["stage"], r["owner"])
            for r in listing(capsys, data_dir)
        )

    assert people(first) == people(second)
    add_demo(capsys, first, 5, seed=4)
    assert info(capsys, "--data-dir", first)["leads"] == 15


def test_a_demo_that_fails_halfway_adds_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    add_demo(capsys, data_dir, 4)

    def broken(*_args: object) -> None:
        raise RuntimeError("scoring failed")

    monkeypatch.setattr("leaddesk.operations.demo.rescore_leads", broken)
    result = run(capsys, "--data-dir", data_dir, "demo", "--count", "25")
    assert_one_line_error(result, 1)
    monkeypatch.undo()

    assert info(capsys, "--data-dir", data_dir)["leads"] == 4
