"""The "Imported values" section of a lead's notes.

What an import could not put into a field is not lost: a value a field cannot
read (a temperature 'Tier 1', a date 'soon') and the text of columns kept in the
notes go into one section at the end of the lead's notes, a line per column:

    Imported values:
    Rating: Tier 1
    Labels: * myContacts ::: Friends

The section is plain text, so it shows in the form, the search and the export.
"""

from __future__ import annotations

HEADING = "Imported values:"


def section(lines: list[str]) -> str:
    """The section holding ``lines`` ('Header: value' each)."""
    return "\n".join((HEADING, *lines))


def with_section(notes: str | None, lines: list[str]) -> str:
    """``notes`` with a section of ``lines`` after them."""
    block = section(lines)
    return f"{notes}\n\n{block}" if notes else block


def split_section(notes: str) -> tuple[str, str]:
    """The notes before the imported-values section, and the section ('' if none)."""
    if notes.startswith(HEADING):
        return "", notes
    own, found, rest = notes.partition(f"\n\n{HEADING}")
    return (own, HEADING + rest) if found else (notes, "")


def merged_notes(existing: str | None, incoming: str, *, overwrite: bool) -> str:
    """The notes of a stored lead after an update from a row whose notes are ``incoming``.

    The row's own notes replace the stored ones only under ``overwrite`` (and
    fill them when empty); its imported-values section is always kept, added
    after the stored notes unless they hold it already -- an import that fills
    or overwrites other fields must not drop what it could not read.
    """
    if not existing:
        return incoming
    own, block = split_section(incoming)
    base = own if (overwrite and own) else existing
    if not block or block in base:
        return base
    return f"{base}\n\n{block}"
