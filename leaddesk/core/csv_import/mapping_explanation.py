"""Why each column of a mapping fills what it fills: the text the mapping page shows
beside a column and a dry run prints.

Owns ``ColumnReason`` and the sentences: matched by header or chosen by hand,
which sampled values do not read as the field, and which other column took a
target a header proposed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from leaddesk.core.csv_import.column_values import (
    KEPT_AS_TYPED,
    ColumnFit,
    column_fit,
    values_called,
)
from leaddesk.core.csv_import.header_synonyms import header_candidate, is_last_contact_header
from leaddesk.core.csv_import.mapping import ColumnMapping
from leaddesk.core.csv_import.targets import FIRST_CONTACTED, KEEP_IN_NOTES, target_label


@dataclass(frozen=True, slots=True)
class ColumnReason:
    """Why a column fills what it fills, for the mapping page and a dry run."""

    text: str
    """One or two sentences; empty when there is nothing to say."""
    values_disagree: bool = False
    """Its values are not what its header or the chosen field expects (shown beside it)."""
    hint: str = ""
    """A few words for beside the choice when the values disagree: 'Not temperatures'."""


_NOTHING = ColumnReason("")
LAST_CONTACT = (
    "A last contact is no first contact, but a date here means the lead was already "
    "worked: it gets no speed-to-lead countdown."
)
OTHER_FIRST_CONTACT = (
    "A date here still means the lead was already contacted: it gets no speed-to-lead countdown."
)


def explain_mapping(
    mapping: ColumnMapping, samples: Sequence[Sequence[str]]
) -> tuple[ColumnReason, ...]:
    """For every column of ``mapping``, why it fills what it fills, judged on ``samples``.

    ``samples[i]`` are the first values of column i, as for ``suggest_mapping``.
    """
    reasons: list[ColumnReason] = []
    for column, (header, target) in enumerate(zip(mapping.headers, mapping.targets, strict=True)):
        cells = samples[column] if column < len(samples) else ()
        found = header_candidate(header)
        proposed = found[0] if found is not None else None
        if target is None or target == KEEP_IN_NOTES:
            reasons.append(_why_not_mapped(mapping, column, proposed, cells))
        else:
            reasons.append(_why_mapped(target, proposed, column_fit(target, cells)))
    return tuple(reasons)


def _why_not_mapped(
    mapping: ColumnMapping, column: int, proposed: str | None, cells: Sequence[str]
) -> ColumnReason:
    target = mapping.targets[column]
    kept = "Its text is kept in each lead's notes." if target == KEEP_IN_NOTES else ""
    if is_last_contact_header(mapping.headers[column]):
        # Ignored or kept, a date there still spares the lead a countdown (batch_writer).
        kept = f"{LAST_CONTACT} {kept}".strip()
    if proposed is None or proposed == target:
        return ColumnReason(kept)
    fit = column_fit(proposed, cells)
    if not fit.confirmed:
        salutations = " (salutations)" if proposed == "job_title" else ""
        return ColumnReason(
            f"The header suggests {target_label(proposed)}, but {_not_read(fit)}, e.g. "
            f"{fit.examples()}{salutations}. {kept}".strip(),
            values_disagree=True,
            hint=f"Values are not {_short_called(proposed)}",
        )
    other = mapping.column_of(proposed)
    if other is not None and other != column:
        if proposed == FIRST_CONTACTED:
            # Another channel's first contact: its dates still count (batch_writer).
            kept = f"{OTHER_FIRST_CONTACT} {kept}".strip()
        return ColumnReason(
            f"{target_label(proposed)} comes from “{mapping.headers[other]}”, "
            f"which fits better. {kept}".strip()
        )
    return ColumnReason(kept)


def _why_mapped(target: str, proposed: str | None, fit: ColumnFit) -> ColumnReason:
    by = "Matched by its header" if proposed == target else "Chosen by hand"
    if fit.total == 0 or fit.read == fit.total:
        typed = fit.total and values_called(target) != "values of this field"
        first = "its first value reads" if fit.total == 1 else f"its first {fit.total} values read"
        checked = f"; {first} as {values_called(target)}" if typed else ""
        return ColumnReason(f"{by}{checked}.")
    kept = (
        "such values are imported as typed, with a warning"
        if target in KEPT_AS_TYPED
        else "such values are kept in the lead's notes and the field stays empty"
    )
    return ColumnReason(
        f"{by}, but {_not_read(fit)}, e.g. {fit.examples()}: {kept}.",
        values_disagree=not fit.confirmed,
        hint="" if fit.confirmed else f"Most values are not {_short_called(target)}",
    )


def _not_read(fit: ColumnFit) -> str:
    """'most of its values do not read as temperatures (4 of 5 sampled)'."""
    unread = fit.total - fit.read
    which = "its values" if unread == fit.total else "most of its values"
    if fit.confirmed:
        which = "some of its values"
    return f"{which} do not read as {values_called(fit.target)} ({unread} of {fit.total} sampled)"


def _short_called(target: str) -> str:
    """'temperatures' for 'temperatures (hot, warm, cold)'."""
    return values_called(target).split(" (")[0]
