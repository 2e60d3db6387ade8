"""`leaddesk imports` lists past imports; `import --json` says what it did with duplicates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import run

DUPLICATES = Path(__file__).resolve().parents[2] / "fixtures" / "csv" / "duplicates"


def as_json(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str | Path) -> Any:
    result = run(capsys, "--data-dir", data_dir, *argv)
    assert (result.code, result.err) == (0, ""), result
    return json.loads(result.out)


def test_import_json_lists_every_duplicate_with_its_lead_and_reason(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    colleagues = as_json(
        capsys, data_dir, "import", DUPLICATES / "colleagues_switchboard.csv", "--json"
    )
    twice = as_json(capsys, data_dir, "import", DUPLICATES / "same_person_twice.csv", "--json")

    assert (colleagues["created"], colleagues["skipped"]) == (4, 0)
    assert [
        (d["line"], d["matched_lead"], d["reason"], d["action"]) for d in colleagues["duplicates"]
    ] == [
        (3, 1, "same phone, different email", "created"),
        (4, 1, "same phone, different email", "created"),
        (5, 1, "same phone, different email", "created"),
    ]
    assert (twice["created"], twice["skipped"]) == (1, 1)
    assert twice["duplicates"] == [
        {"line": 3, "matched_lead": 5, "reason": "same email", "action": "skipped"}
    ]


def test_imports_lists_them_newest_first_and_follows_undo(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    assert as_json(capsys, data_dir, "imports", "--json") == []
    as_json(capsys, data_dir, "import", DUPLICATES / "colleagues_switchboard.csv", "--json")
    as_json(capsys, data_dir, "import", DUPLICATES / "same_person_twice.csv", "--json")

    listed = as_json(capsys, data_dir, "imports", "--json")

    assert [(i["batch"], i["file"], i["created"], i["skipped"], i["can_undo"]) for i in listed] == [
        (2, "same_person_twice.csv", 1, 1, True),
        (1, "colleagues_switchboard.csv", 4, 0, True),
    ]
    assert listed[0]["undone_at"] is None
    assert run(capsys, "--data-dir", data_dir, "undo-import", "2").code == 0
    newest = as_json(capsys, data_dir, "imports", "--json")[0]
    assert newest["undone_at"] is not None
    assert newest["can_undo"] is False

    text = run(capsys, "--data-dir", data_dir, "imports", "--timezone", "UTC")
    assert text.code == 0
    lines = text.out.splitlines()
    assert lines[0].startswith("    2  ")
    assert "same_person_twice.csv: 1 created, 0 updated, 1 skipped, 0 rejected; undone " in lines[0]
    assert lines[1].endswith(
        "colleagues_switchboard.csv: 4 created, 0 updated, 0 skipped, "
        "0 rejected; undo with 'leaddesk undo-import 1'"
    )


def test_imports_on_a_fresh_database_says_so(capsys: pytest.CaptureFixture[str], data_dir: Path):
    result = run(capsys, "--data-dir", data_dir, "imports")
    assert (result.code, result.out) == (0, "No imports yet.\n")
