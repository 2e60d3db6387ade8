"""The bulk-write helpers the import and the export share."""

from __future__ import annotations

import sys

from leaddesk.storage.bulk_write import HANDOVER_SECONDS, quick_lock_handover


def test_overlapping_bulk_work_leaves_the_switch_interval_as_it_was() -> None:
    # An export and an import on two worker threads may start and end in any
    # order; the interval comes back only when the last one ends.
    before = sys.getswitchinterval()
    first, second = quick_lock_handover(), quick_lock_handover()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert sys.getswitchinterval() == min(before, HANDOVER_SECONDS)
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == before
