"""What ``RowParser`` reports of a row: its values and the cells it could not take as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from leaddesk.core.csv_import.values import FieldValue


class CellAction(StrEnum):
    """What the import did with a cell it could not take as it is."""

    KEPT_AS_TYPED = "kept"
    """Stored in its field as typed (an email that looks wrong): a warning."""
    NOTED = "noted"
    """Not readable by its field: the field stays empty, the text goes to the notes."""
    CLEANED = "cleaned"
    """Stored without the NUL characters it held, which no database field keeps."""


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A cell whose text could not be taken as it is."""

    column: int
    header: str
    target: str
    text: str
    reason: str
    action: CellAction

    @property
    def kept(self) -> bool:
        """True when the field got a value (as typed, or cleaned); False when noted."""
        return self.action is not CellAction.NOTED

    @property
    def noted(self) -> bool:
        """Whether the row counts as imported with a note for this cell."""
        return self.action is not CellAction.KEPT_AS_TYPED


NUL = "\x00"
NUL_REASON = "It held NUL characters, which were removed."


@dataclass(slots=True)
class ParsedRow:
    values: dict[str, FieldValue] = field(default_factory=dict)
    """Field name -> value; columns that are empty in this row are absent."""
    problems: list[CellProblem] = field(default_factory=list)


def note_line(header: str, text: str) -> str:
    """'Rating: Tier 1': one line of the notes' imported-values section."""
    return f"{header}: {' '.join(text.split())}"
