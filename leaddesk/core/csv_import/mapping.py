"""Which column of a file fills which field of a lead.

Owns ``ColumnMapping`` (one target per column, each target filled once but
"keep in notes") and ``suggest_mapping``, which assigns columns to targets: the
target each header proposes (``header_synonyms``), confirmed by the column's
values where samples are given (``column_values``), and among columns proposing
the same target the best-ranked, then the better-fitting, then the leftmost.

Why a column fills what it fills is ``mapping_explanation``'s; saved mappings are
``mapping_presets``'; the header row of LeadDesk's own export is
``export_headers``'; splitting a whole name is ``full_names``'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from leaddesk.core.csv_import.column_values import column_fit, fallback_target
from leaddesk.core.csv_import.export_headers import is_leaddesk_export
from leaddesk.core.csv_import.header_synonyms import header_candidate

# The targets are defined beside the value checks; importers find them here too.
from leaddesk.core.csv_import.targets import CREATED_AT as CREATED_AT
from leaddesk.core.csv_import.targets import EMAIL_OPT_OUT as EMAIL_OPT_OUT
from leaddesk.core.csv_import.targets import FIRST_CONTACTED as FIRST_CONTACTED
from leaddesk.core.csv_import.targets import FULL_NAME as FULL_NAME
from leaddesk.core.csv_import.targets import IMPORT_TARGETS as IMPORT_TARGETS
from leaddesk.core.csv_import.targets import KEEP_IN_NOTES as KEEP_IN_NOTES
from leaddesk.core.csv_import.targets import REPEATABLE_TARGETS


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """For every column of a file, the target it fills (None: the column is ignored)."""

    headers: tuple[str, ...]
    targets: tuple[str | None, ...]

    def __post_init__(self) -> None:
        if len(self.headers) != len(self.targets):
            raise ValueError("a mapping needs exactly one target per header")
        used = [target for target in self.targets if target is not None]
        unknown = set(used) - set(IMPORT_TARGETS)
        if unknown:
            raise ValueError(f"unknown import targets: {sorted(unknown)}")
        single = [target for target in used if target not in REPEATABLE_TARGETS]
        if len(single) != len(set(single)):
            raise ValueError("each target may be filled by one column only")

    def column_of(self, target: str) -> int | None:
        """The column index filling ``target``, or None."""
        try:
            return self.targets.index(target)
        except ValueError:
            return None

    @property
    def unmapped_headers(self) -> tuple[str, ...]:
        """Headers whose column is ignored, in file order (shown to the user)."""
        return tuple(h for h, t in zip(self.headers, self.targets, strict=True) if t is None)

    @property
    def mapped_targets(self) -> frozenset[str]:
        return frozenset(target for target in self.targets if target is not None)

    def with_target(self, column: int, target: str | None) -> ColumnMapping:
        """A copy where ``column`` fills ``target``; a column that filled it before is freed.

        Columns kept in the notes stay so: any number of them may be.
        """
        if target in REPEATABLE_TARGETS:
            targets = list(self.targets)
        else:
            targets = [None if t == target else t for t in self.targets]
        targets[column] = target
        return ColumnMapping(self.headers, tuple(targets))


def suggest_mapping(
    headers: Sequence[str], samples: Sequence[Sequence[str]] | None = None
) -> ColumnMapping:
    """The mapping a user would choose by hand for a file with these headers.

    ``samples[i]`` are the first values of column i (as read; empty cells too).
    With them, a column is only mapped to what its header proposes when its
    values confirm it (``column_fit``): a 'Rating' of 'Tier 1' is no temperature,
    a 'Title' of 'Dr.' no job title. Such a column is kept in the notes or
    ignored (``fallback_target``).

    Each target is filled by at most one column: the best-ranked candidate, then
    the one whose values fit better, then the leftmost (a first contact's other
    columns are kept in the notes). A full-name column is
    only used when there is no first-name column (Salesforce files often carry
    both).
    """
    if is_leaddesk_export(headers):
        # A restore: every column is what its header says, whatever users typed in it.
        samples = None
    candidates: list[tuple[int, float, int, str]] = []
    targets: list[str | None] = [None] * len(headers)
    for column, header in enumerate(headers):
        found = header_candidate(header)
        if found is None:
            continue
        target, rank = found
        share = 1.0
        if samples is not None:
            fit = column_fit(target, samples[column] if column < len(samples) else ())
            if not fit.confirmed:
                targets[column] = fallback_target(target)
                continue
            share = fit.share
        candidates.append((rank, -round(share, 2), column, target))
    taken: set[str] = set()
    for _rank, _share, column, target in sorted(candidates):
        if target not in taken:
            targets[column] = target
            if target not in REPEATABLE_TARGETS:
                taken.add(target)
        elif target == FIRST_CONTACTED:
            # Another channel's first contact (Salesforce's first email beside its
            # first call): its dates are kept, and still spare a countdown.
            targets[column] = KEEP_IN_NOTES
    if FULL_NAME in taken and "first_name" in taken:
        targets[targets.index(FULL_NAME)] = None
    return ColumnMapping(tuple(headers), tuple(targets))
