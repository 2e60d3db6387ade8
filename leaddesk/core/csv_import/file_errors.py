"""Why a file cannot be imported: ``UnusableFileError`` and the sentences it carries.

Every way a CSV file can be unusable ends in an ``UnusableFileError`` whose message is
one sentence for the user; this module owns that type and the sentences shared by the
reader, the cell-size limit and the import.
"""

from __future__ import annotations

NO_DATA_ROWS = "The file has column names but no rows of leads below them."
"""Why a file with a header and nothing else cannot be imported (a user's mistake)."""


class UnusableFileError(Exception):
    """A file that cannot be imported at all. The message is one sentence for a user."""


TORN_LAST_LINE = "The last line has no line end: the file may be incomplete."
"""Why the last record of a file that does not end in a line end is not imported."""


def not_in_encoding(encoding: str) -> UnusableFileError:
    """The error for a file that cannot be read in ``encoding`` at all."""
    return UnusableFileError(f"The file is not written in the '{encoding}' text encoding.")


def unreadable_record(line_number: int) -> UnusableFileError:
    """The error for a record the csv module cannot split (an unclosed quote)."""
    return UnusableFileError(
        f"The record starting on line {line_number} could not be read; it may hold a quote "
        "that is never closed."
    )
