"""`leaddesk list`: JSON records for scripts, one line per lead for people."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead
from tests.cli.helpers import add_demo, listing, run

LEAD_KEYS = {
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "job_title",
    "source",
    "temperature",
    "stage",
    "score",
    "owner",
    "consent",
    "next_follow_up",
    "created_at",
    "updated_at",
}
TIME_KEYS = ("next_follow_up", "created_at", "updated_at", "first_contacted_at", "consent_date")


def test_list_json_records(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    add_demo(capsys, data_dir, 20)
    bare_id = create_lead(ctx, {"first_name": "Bare"}).value

    records = listing(capsys, data_dir)

    assert len(records) == 21
    assert len({r["id"] for r in records}) == 21
    for record in records:
        assert set(record) >= LEAD_KEYS, LEAD_KEYS - set(record)
        assert isinstance(record["id"], int)
        assert isinstance(record["score"], int)
        for key in TIME_KEYS:
            if record.get(key) is not None:
                moment = dt.datetime.fromisoformat(record[key])
                assert moment.utcoffset() is not None, f"{key} {record[key]} has no time zone"
        assert "" not in record.values(), "absent values must be null, not empty"
    bare = next(r for r in records if r["id"] == bare_id)
    assert bare["first_name"] == "Bare"
    for key in ("last_name", "email", "phone", "company", "job_title", "source", "owner"):
        assert bare[key] is None, key
    assert bare["next_follow_up"] is None
    assert bare["temperature"] in {"cold", "warm", "hot"}


def test_list_on_an_empty_database_is_an_empty_array(
    capsys: pytest.CaptureFixture[str], fresh_dir: Path
) -> None:
    assert listing(capsys, fresh_dir) == []


def test_list_json_explains_each_lead(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    from leaddesk.core.scoring import ScoreSettings, suggested_temperature
    from leaddesk.operations.activities import log_activity
    from leaddesk.operations.leads import update_lead

    lead_id = create_lead(
        ctx, {"first_name": "Ada", "job_title": "CEO", "email": "ada@acme-industries.com"}
    ).value
    update_lead(ctx, lead_id, {"stage": "sql"})
    log_activity(ctx, lead_id, "demo_request")

    (record,) = listing(capsys, data_dir)

    assert [(step["from"], step["to"]) for step in record["stage_history"]] == [
        (None, "lead"),
        ("lead", "sql"),
    ]
    for step in record["stage_history"]:
        assert dt.datetime.fromisoformat(step["at"]).utcoffset() == dt.timedelta(0)
    reasons = {(reason["rule"], reason["points"]) for reason in record["score_reasons"]}
    assert reasons >= {
        ("Job title looks like a decision maker", 20),
        ("Business email domain", 5),
        ("Requested a demo, quote or pricing", 25),
    }
    total = max(0, min(100, sum(reason["points"] for reason in record["score_reasons"])))
    assert record["suggested_temperature"] == suggested_temperature(total, ScoreSettings())
    completeness = record["completeness"]
    assert set(completeness) == {"capture", "cold", "warm", "hot", "closed", "overall"}
    assert all(0.0 <= value <= 1.0 for value in completeness.values())
    assert 0.0 < completeness["capture"] < 1.0  # a name and an email, no phone or company


def test_list_json_reads_in_batches_not_per_lead(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def queries_to_list() -> int:
        statements.clear()
        listing(capsys, data_dir)
        return len(statements)

    add_demo(capsys, data_dir, 5)
    event.listen(Engine, "before_cursor_execute", count)
    try:
        few = queries_to_list()
        add_demo(capsys, data_dir, 60, seed=8)
        many = queries_to_list()
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert many == few


def test_list_filters(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    add_demo(capsys, data_dir, 40)
    everything = listing(capsys, data_dir)

    hot = listing(capsys, data_dir, "--temperature", "hot")
    assert hot
    assert {r["id"] for r in hot} == {r["id"] for r in everything if r["temperature"] == "hot"}

    stages = [r["stage"] for r in everything]
    stage = max(set(stages), key=stages.count)
    in_stage = listing(capsys, data_dir, "--stage", stage)
    assert 0 < len(in_stage) < len(everything)
    assert {r["id"] for r in in_stage} == {r["id"] for r in everything if r["stage"] == stage}

    both = listing(capsys, data_dir, "--temperature", "hot", "--stage", stage)
    expected = {r["id"] for r in everything if r["stage"] == stage and r["temperature"] == "hot"}
    assert {r["id"] for r in both} == expected


@pytest.mark.parametrize("query", ["schaf", "SCHÄF", "Schäfer", "jurgen schaf"])
def test_list_search_is_accent_insensitive_prefix_matching(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext, query: str
) -> None:
    wanted = create_lead(ctx, {"first_name": "Jürgen", "last_name": "Schäfer"}).value
    create_lead(ctx, {"first_name": "Anna", "last_name": "Schmidt"})
    create_lead(ctx, {"first_name": "Bob", "last_name": "Bischaf"})  # "schaf" mid-word

    found = listing(capsys, data_dir, "--search", query)

    assert [r["id"] for r in found] == [wanted]
    assert found[0]["last_name"] == "Schäfer"


def test_list_search_without_a_match(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    create_lead(ctx, {"first_name": "Jürgen", "last_name": "Schäfer"})
    assert listing(capsys, data_dir, "--search", "zzz") == []
    # Punctuation that means something to a search engine is just text here.
    for query in ['"', "sch*", "NEAR(", "a AND", "-", "_"]:
        result = run(capsys, "--data-dir", data_dir, "list", "--json", "--search", query)
        assert (result.code, result.err) == (0, ""), query
        assert isinstance(json.loads(result.out), list)


def test_list_text_prints_one_line_per_lead(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    add_demo(capsys, data_dir, 4)
    result = run(capsys, "--data-dir", data_dir, "list")
    assert result.code == 0
    assert len(result.out.splitlines()) == 4
    assert result.err == "4 leads\n"
