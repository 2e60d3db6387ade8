"""What a column of a file can fill: a lead field, or one of a few special targets,
and what each is called on the mapping page (``target_label``).

Kept apart from ``mapping`` so that ``column_values`` (which ``mapping`` uses to
confirm a header by its values) can name the special targets too.
"""

from __future__ import annotations

from leaddesk.core.fields import FIELDS_BY_NAME, LEAD_FIELDS

FULL_NAME = "full_name"
"""Special target: a whole name, split into first and last name on import."""
CREATED_AT = "created_at"
"""Special target: when the lead was created in the system it comes from."""
FIRST_CONTACTED = "first_contacted_at"
"""Special target: when someone first called, emailed or met the lead.

Not a lead field (no form edits it: logging the first call sets it), but an
export of another system's history carries it; a lead imported with it was
worked already and gets no speed-to-lead countdown.
"""
EMAIL_OPT_OUT = "email_opt_out"
"""Special target: a yes/no 'has opted out' column; yes means consent denied."""
KEEP_IN_NOTES = "keep_in_notes"
"""Special target: the column's text is kept in the lead's notes ('Header: value').

Vendors' own columns (a label, a rating, a group) hold words LeadDesk has no
field for; keeping them as text loses nothing. Any number of columns may have it.
"""

SPECIAL_TARGETS: tuple[str, ...] = (
    FULL_NAME,
    CREATED_AT,
    FIRST_CONTACTED,
    EMAIL_OPT_OUT,
    KEEP_IN_NOTES,
)
IMPORT_TARGETS: tuple[str, ...] = tuple(field.name for field in LEAD_FIELDS) + SPECIAL_TARGETS
REPEATABLE_TARGETS = frozenset({KEEP_IN_NOTES})
"""Targets more than one column may fill."""


def target_label(target: str | None) -> str:
    """What a target is called on the mapping page: 'Temperature', 'Keep in notes'."""
    if target is None:
        return "Ignore"
    special = {
        FULL_NAME: "Full name (split)",
        CREATED_AT: "Created date",
        FIRST_CONTACTED: "First contacted",
        EMAIL_OPT_OUT: "Email opt-out",
        KEEP_IN_NOTES: "Keep in notes",
    }
    return special.get(target) or FIELDS_BY_NAME[target].label
