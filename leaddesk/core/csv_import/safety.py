"""Keeping exported cells from running as spreadsheet formulas, losslessly.

OWASP's CSV-injection guidance: a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return may be evaluated as a formula by Excel,
LibreOffice or Google Sheets, so the exporter prefixes it with an apostrophe,
which every spreadsheet shows as text.

Prefixing alone is not reversible: an exported ``'=1`` could come from the
value ``=1`` or from a value that really was ``'=1``. So a value made of
apostrophes followed by a trigger character also gets one more apostrophe.
With that rule ``unneutralise(neutralise(s)) == s`` for every string, which is
what makes LeadDesk's export -> import round trip exact.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_TRIGGERS: frozenset[str] = frozenset("=+-@\t\r")
ESCAPE = "'"


def _needs_escape(text: str) -> bool:
    # Apostrophes are skipped so that values which already look neutralised are
    # escaped once more; the reverse function relies on exactly this test.
    return text.lstrip(ESCAPE)[:1] in FORMULA_TRIGGERS


def neutralise(text: str) -> str:
    """The cell as written to an export: safe to open in any spreadsheet."""
    if text and (text[0] in FORMULA_TRIGGERS or (text[0] == ESCAPE and _needs_escape(text))):
        return ESCAPE + text
    return text


def unneutralise(text: str) -> str:
    """The original value of a cell written by ``neutralise``."""
    if text[:1] == ESCAPE and _needs_escape(text):
        return text[1:]
    return text


def neutralise_row(values: Iterable[str]) -> list[str]:
    """Every cell of an export row, neutralised."""
    return [neutralise(value) for value in values]
