"""The command line's grammar: building it stays cheap, and its choices follow the enums."""

from __future__ import annotations

import subprocess
import sys

import pytest

from leaddesk.cli.parser import (
    DUPLICATE_POLICIES,
    EXPORT_FLAVOURS,
    SNOOZE_OPTIONS,
    UsageError,
    build_parser,
)
from leaddesk.core.agenda import SnoozeOption
from leaddesk.core.fields import DONE_KINDS, ActivityKind
from leaddesk.core.import_merge import DuplicatePolicy
from leaddesk.operations.exporting import ExportFlavour


def test_building_the_parser_imports_none_of_the_agenda_code() -> None:
    code = (
        "import sys; from leaddesk.cli.parser import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m.startswith(('icalendar', 'leaddesk.core.agenda',"
        " 'leaddesk.operations', 'leaddesk.storage', 'zoneinfo', 'PySide6'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_an_enums_module_is_imported_when_its_option_is_parsed() -> None:
    code = (
        "import sys; from leaddesk.cli.parser import build_parser; parser = build_parser(); "
        "print('leaddesk.core.import_merge' in sys.modules); "
        "parser.parse_args(['import', 'leads.csv', '--on-duplicate', 'fill']); "
        "print('leaddesk.core.import_merge' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["False", "True"]


def test_choices_are_the_enums_values() -> None:
    assert tuple(DUPLICATE_POLICIES) == tuple(policy.value for policy in DuplicatePolicy)
    assert tuple(EXPORT_FLAVOURS) == tuple(flavour.value for flavour in ExportFlavour)
    assert tuple(SNOOZE_OPTIONS) == tuple(option.value for option in SnoozeOption)


@pytest.mark.parametrize("kind", list(ActivityKind))
def test_done_takes_the_kinds_that_complete_a_follow_up(kind: ActivityKind) -> None:
    argv = ["done", "1", "--kind", kind.value]
    if kind in DONE_KINDS:
        assert build_parser().parse_args(argv).kind == kind.value
    else:
        with pytest.raises(UsageError, match="invalid choice"):
            build_parser().parse_args(argv)
