"""The wizard's preview rejects a broken record as the import will, naming its line."""

from __future__ import annotations

from leaddesk.ui.import_wizard.session import ImportSession, Verdict
from tests.ui.import_wizard.wizard_helpers import FIXTURES

BROKEN = FIXTURES / "broken" / "broken_records.csv"


def test_the_preview_rejects_the_broken_record_and_keeps_the_padded_one() -> None:
    session = ImportSession()
    assert session.open(BROKEN)
    mapping, _preset = session.initial_mapping([])

    rows = session.preview(mapping)

    assert [(row.line_number, row.verdict) for row in rows] == [
        (2, Verdict.OK),
        (3, Verdict.REJECTED),
        (4, Verdict.OK),
        (5, Verdict.OK),
    ]
    assert rows[1].reason.startswith("Line 3 has 6 cells, the header has 4")
