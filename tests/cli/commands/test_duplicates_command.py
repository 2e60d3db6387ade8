"""`leaddesk duplicates`: the possible duplicates an import, `add` or `edit` recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.operations.leads import create_lead
from tests.cli.helpers import isolated_cli, run

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv" / "duplicates"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    yield from isolated_cli(monkeypatch, tmp_path)


def test_none_yet_says_so(capsys, ctx, data_dir) -> None:
    assert run(capsys, "--data-dir", data_dir, "duplicates").out == (
        "No possible duplicates to review.\n"
    )
    assert json.loads(run(capsys, "--data-dir", data_dir, "duplicates", "--json").out) == []


def test_an_import_of_colleagues_lists_each_pair(capsys, ctx, data_dir) -> None:
    imported = run(
        capsys, "--data-dir", data_dir, "import", str(FIXTURES / "colleagues_switchboard.csv")
    )
    assert imported.code == 0

    pairs = json.loads(run(capsys, "--data-dir", data_dir, "duplicates", "--json").out)

    assert sorted((p["name"], p["other_name"], p["reason"]) for p in pairs) == [
        ("Bo Lind", "Anna Berg", "same phone, different email"),
        ("Cleo Park", "Anna Berg", "same phone, different email"),
        ("Hanna Berg", "Anna Berg", "same phone, different email"),
    ]
    text = run(capsys, "--data-dir", data_dir, "duplicates").out
    anna = pairs[0]["possible_duplicate_of"]
    assert f"merge with 'leaddesk merge {anna} {pairs[0]['lead']}'" in text


def test_add_records_a_possible_duplicate_and_says_so(capsys, ctx, data_dir) -> None:
    anna = create_lead(
        ctx, {"first_name": "Anna", "email": "anna@x.example", "phone": "+49301234560"}
    ).value

    added = run(
        capsys,
        "--data-dir",
        data_dir,
        "add",
        "--first-name",
        "Hanna",
        "--email",
        "hanna@x.example",
        "--phone",
        "+49 30 1234560",
    )

    assert added.code == 0
    assert "possible duplicate" in added.err
    [pair] = json.loads(run(capsys, "--data-dir", data_dir, "duplicates", "--json").out)
    assert (pair["lead"], pair["possible_duplicate_of"]) == (int(added.out), anna)
