"""The wizard offers "First contacted" and previews a future one as the import will: noted."""

from __future__ import annotations

import datetime as dt

from leaddesk.core.clock import FixedClock
from leaddesk.core.csv_import.mapping import FIRST_CONTACTED
from leaddesk.ui.import_wizard.session import (
    TARGET_LABELS,
    ImportSession,
    Verdict,
    output_label,
    preview_fields,
)
from tests.ui.import_wizard.wizard_helpers import FIXTURES

HUBSPOT = FIXTURES / "first_contact" / "hubspot_engagement.csv"
NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)


def test_first_contacted_is_a_choice_and_a_preview_column() -> None:
    assert TARGET_LABELS[FIRST_CONTACTED] == "First contacted"
    session = ImportSession(clock=FixedClock(NOW))
    assert session.open(HUBSPOT)
    mapping, _preset = session.initial_mapping([])
    assert FIRST_CONTACTED in preview_fields(mapping)
    assert output_label(FIRST_CONTACTED) == "First contacted"


def test_the_preview_notes_a_first_contact_in_the_future() -> None:
    session = ImportSession(clock=FixedClock(NOW))
    assert session.open(HUBSPOT)
    mapping, _preset = session.initial_mapping([])
    rows = {row.line_number: row for row in session.preview(mapping)}
    assert rows[2].values[FIRST_CONTACTED] == dt.datetime(2026, 11, 17, 10, 29, tzinfo=dt.UTC)
    planned = rows[5]
    assert planned.verdict is Verdict.NOTE
    assert FIRST_CONTACTED not in planned.values
    [problem] = planned.problems[FIRST_CONTACTED]
    assert problem.reason.startswith("'2026-12-01 09:00' is in the future")
