"""The bulk-write helpers the import and the export share."""

from __future__ import annotations

import sqlite3
import sys

import pytest

from leaddesk.storage.bulk_write import HANDOVER_SECONDS, quick_lock_handover, sql_literal


def test_overlapping_bulk_work_leaves_the_switch_interval_as_it_was() -> None:
    # An export and an import on two worker threads may start and end in any
    # order; the interval comes back only when the last one ends.
    before = sys.getswitchinterval()
    first, second = quick_lock_handover(), quick_lock_handover()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    # Python keeps the interval in whole microseconds: 0.0001 reads back as 9.99...e-05.
    assert sys.getswitchinterval() == pytest.approx(min(before, HANDOVER_SECONDS))
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == before


@pytest.mark.parametrize(
    "value", [None, 0, -7, 2**40, "", "O'Brien", "it's ''quoted''", "Müller; DROP TABLE x", "?1"]
)
def test_a_value_written_into_a_statement_reads_back_as_bound(value: object) -> None:
    connection = sqlite3.connect(":memory:")
    literal = connection.execute(f"SELECT {sql_literal(value)}").fetchone()  # type: ignore[arg-type]
    assert literal == connection.execute("SELECT ?", (value,)).fetchone()


def test_a_flag_is_written_as_the_number_it_is_stored_as() -> None:
    assert (sql_literal(True), sql_literal(False)) == ("1", "0")


def test_text_with_a_nul_character_is_refused() -> None:
    with pytest.raises(ValueError, match="not a value for a statement"):
        sql_literal("cut\x00here")
