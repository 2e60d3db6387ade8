"""Whether a parsed row can be imported: one rule for the import and its preview."""

from __future__ import annotations

from leaddesk.core.csv_import.row_parser import ParsedRow

NO_IDENTITY_IN_ROW = "The row has no name, email or phone."
IDENTIFYING_VALUES = ("first_name", "last_name", "email", "phone")


def rejection_reason(parsed: ParsedRow) -> str | None:
    """Why the row cannot be imported (one sentence), or None when it can.

    A cell that could not be read and is not worth keeping rejects the row,
    rather than importing the lead without that value; so does a row that
    names no one. Cells kept as typed only warn.
    """
    for problem in parsed.problems:
        if not problem.kept:
            return f"{problem.header}: {problem.reason}"
    if not any(parsed.values.get(name) for name in IDENTIFYING_VALUES):
        return NO_IDENTITY_IN_ROW
    return None


def warning_text(parsed: ParsedRow) -> str:
    """What was kept as typed, for a row that can be imported; empty when nothing."""
    return "; ".join(f"{problem.header}: {problem.reason}" for problem in parsed.problems)
