"""`leaddesk add`: a lead from options, or leads from JSON on stdin."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from leaddesk.operations.context import OperationContext
from leaddesk.operations.owners import add_owner, introduce_myself
from tests.cli.helpers import assert_one_line_error, listing, run


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_add_from_options_prints_the_id_and_stores_typed_values(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    introduce_myself(ctx, "Sam Seller")
    result = run(
        capsys, "--data-dir", data_dir, "add", "--first-name", "Ada", "--last-name", "Lovelace",
        "--email", "ADA@Example.com", "--phone", "+44 20 7946 0000", "--company", "Acme",
        "--temperature", "warm", "--stage", "mql", "--deal-value", "12,000.50",
        "--company-size", "1,200", "--budget-confirmed", "yes", "--expected-close-date",
        "2026-12-31",
    )  # fmt: skip

    assert (result.code, result.err) == (0, "")
    (record,) = listing(capsys, data_dir)
    assert result.out == f"{record['id']}\n"
    assert record["email"] == "ada@example.com"
    assert record["phone"] == "+442079460000"
    assert (record["temperature"], record["stage"]) == ("warm", "mql")
    assert (record["deal_value"], record["company_size"]) == (12000.5, 1200)
    assert record["budget_confirmed"] is True
    assert record["expected_close_date"] == "2026-12-31"
    assert record["owner"] == "Sam Seller"  # "me" owns what I add


def test_add_json_prints_the_record_as_list_does(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    result = run(capsys, "--data-dir", data_dir, "add", "--first-name", "Ada", "--json")
    assert (result.code, result.err) == (0, "")
    assert [json.loads(result.out)] == listing(capsys, data_dir)


def test_add_json_from_stdin_takes_a_list_back_as_list_printed_it(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, json.dumps({"first_name": "Ada", "deal_value": 99.5, "company": "Acme"}))
    assert run(capsys, "--data-dir", data_dir, "add", "--json", "-").code == 0
    listed = listing(capsys, data_dir)
    _stdin(monkeypatch, json.dumps(listed * 2))

    result = run(capsys, "--data-dir", data_dir, "add", "--json", "-")

    assert (result.code, result.err) == (0, "")
    added = json.loads(result.out)
    assert [r["id"] for r in added] == [2, 3]
    assert [(r["first_name"], r["deal_value"], r["company"]) for r in added] == [
        ("Ada", 99.5, "Acme")
    ] * 2


@pytest.mark.parametrize(
    ("argv", "stdin", "words"),
    [
        (["--first-name", "Ada", "--deal-value", "lots"], None, "--deal-value"),
        (["--first-name", "Ada", "--company-size", "-3"], None, "whole number"),
        (["--first-name", "Ada", "--deal-value", "9" * 30], None, "too large"),
        (["--first-name", "Ada", "--budget-confirmed", "maybe"], None, "yes or no"),
        (["--first-name", "Ada", "--won-date", "31/31/2026"], None, "date"),
        (["--first-name", "Ada", "--owner", "Nobody"], None, "no team member"),
        (["--first-name", "Ada", "--preferred-channel", "Pigeon"], None, "Pigeon"),
        (["--first-name", "Ada", "--temperature", "tepid"], None, "invalid choice"),
        (["--company", "Acme"], None, "at least a name"),
        ([], None, "Give the lead's fields"),
        (["--json", "-"], "{not json", "not JSON"),
        (["--json", "-"], "[]", "empty list"),
        (["--json", "-"], "42", "lead object"),
        (["--json", "-"], '[{"first_name": "A"}, {"nope": 1}]', "Lead 2: 'nope'"),
        (["--json", "-"], '[{"first_name": "A"}, {"company": "X"}]', "Lead 2: A lead needs"),
        (["--json", "-"], '{"first_name": "A", "deal_value": "x"}', "Deal value"),
        (["--json", "-"], '{"first_name": "A", "deal_value": true}', "Deal value"),
        (["--json", "-", "--first-name", "A"], "{}", "not both"),
    ],
)
def test_bad_input_is_one_sentence_and_adds_nothing(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stdin: str | None,
    words: str,
) -> None:
    _stdin(monkeypatch, stdin or "")
    result = run(capsys, "--data-dir", data_dir, "add", *argv)
    assert words in assert_one_line_error(result, 2)
    assert listing(capsys, data_dir) == []


def test_an_owner_is_found_in_any_case(
    capsys: pytest.CaptureFixture[str], data_dir: Path, ctx: OperationContext
) -> None:
    add_owner(ctx, "Priya Patel")
    result = run(
        capsys, "--data-dir", data_dir, "add", "--first-name", "A", "--owner", "priya patel"
    )
    assert result.code == 0, result.err
    assert listing(capsys, data_dir)[0]["owner"] == "Priya Patel"


def test_an_odd_email_is_saved_with_a_warning(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    result = run(capsys, "--data-dir", data_dir, "add", "--email", "ada@@example")
    assert result.code == 0
    assert result.err.startswith("leaddesk: warning: ")
    assert listing(capsys, data_dir)[0]["email"] == "ada@@example"
