"""`leaddesk import` fills a lead's first contact: mapped by header or by --mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaddesk.cli.parser import build_parser
from leaddesk.core.csv_import.targets import SPECIAL_TARGETS
from tests.cli.helpers import run_in


def test_help_names_the_targets_a_mapping_may_use(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["import", "--help"])
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert [target for target in SPECIAL_TARGETS if target not in text] == []


def test_a_mapping_given_as_json_can_fill_the_first_contact(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        "Email,Called on\r\nana@example.com,2026-03-02 14:15\r\nben@example.com,\r\n", "utf-8"
    )
    mapping = json.dumps({"Email": "email", "Called on": "first_contacted_at"})
    result = run_in(capsys, home, "import", path, "--mapping", mapping, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["created"] == 2

    listed = run_in(capsys, home, "list", "--json")
    assert listed.code == 0, listed.err
    contacted = {lead["email"]: lead["first_contacted_at"] for lead in json.loads(listed.out)}
    assert contacted == {"ana@example.com": "2026-03-02T14:15:00+00:00", "ben@example.com": None}
