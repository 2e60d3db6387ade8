"""The header row LeadDesk's own export writes, and recognising it on import.

A file with exactly this header row is a restore of LeadDesk's own export: the
reader, the mapping and the row parser then take every column for what its
header says and every value as it was stored.
"""

from __future__ import annotations

from collections.abc import Sequence

from leaddesk.core.fields import LEAD_FIELDS

# The columns LeadDesk's export writes after one column per field (headed by
# the field's label): read-only facts, not fields.
EXPORT_SCORE_HEADER = "Score"
EXPORT_CREATED_HEADER = "Created"
EXPORT_FIRST_CONTACTED_HEADER = "First contacted"
EXPORT_NEXT_FOLLOW_UP_HEADER = "Next follow-up"
LEADDESK_EXPORT_HEADERS: tuple[str, ...] = (
    *(field.label for field in LEAD_FIELDS),
    EXPORT_SCORE_HEADER,
    EXPORT_CREATED_HEADER,
    EXPORT_FIRST_CONTACTED_HEADER,
    EXPORT_NEXT_FOLLOW_UP_HEADER,
)
# The header row of exports made before the first contact was exported: still ours.
_EARLIER_EXPORT_HEADERS = tuple(
    header for header in LEADDESK_EXPORT_HEADERS if header != EXPORT_FIRST_CONTACTED_HEADER
)


def is_leaddesk_export(headers: Sequence[str]) -> bool:
    """Whether a file's header row is the one LeadDesk's own export writes.

    Such a file holds leads as LeadDesk stored them, so importing it is a
    restore: values are taken as they are (phones as typed, for one).
    """
    return tuple(headers) in (LEADDESK_EXPORT_HEADERS, _EARLIER_EXPORT_HEADERS)
