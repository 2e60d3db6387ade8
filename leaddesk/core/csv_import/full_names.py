"""Splitting a whole name ("Ludwig van der Berg", "Castaño, Ana") into first and last.

Owns the name particles that belong to the family name and the salutations that
are dropped; the row parser calls ``split_full_name`` for a column mapped to the
full-name target.
"""

from __future__ import annotations

# Lower-case words that belong to the family name that follows them.
_NAME_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "das",
        "du",
        "la",
        "le",
        "ter",
        "ten",
        "zu",
        "af",
        "al",
        "bin",
        "ibn",
        "st",
        "st.",
    ]
)
_TITLES = frozenset(
    [
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "dr",
        "dr.",
        "prof",
        "prof.",
        "herr",
        "frau",
        "m.",
        "mme",
        "mme.",
        "sr.",
        "sra.",
        "don",
        "doña",
    ]
)


def split_full_name(text: str) -> tuple[str, str]:
    """First and last name of a whole name as people write it.

    'Ana María Castaño' -> ('Ana María', 'Castaño'); 'Castaño, Ana' -> ('Ana',
    'Castaño'); 'Ludwig van der Berg' -> ('Ludwig', 'van der Berg'); 'Cher' ->
    ('Cher', ''); salutations such as 'Dr.' are dropped.
    """
    text = " ".join(text.split())
    if not text:
        return "", ""
    if text.count(",") == 1:
        last, first = (part.strip() for part in text.split(","))
        if first and last:
            return first, last
        text = first or last
    words = text.split(" ")
    while len(words) > 1 and words[0].casefold() in _TITLES:
        words.pop(0)
    if len(words) == 1:
        return words[0], ""
    last_start = len(words) - 1
    while last_start > 1 and words[last_start - 1].casefold() in _NAME_PARTICLES:
        last_start -= 1
    return " ".join(words[:last_start]), " ".join(words[last_start:])
