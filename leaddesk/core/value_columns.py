"""A chunk of leads' values, given row by row, read back column by column."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter, methodcaller
from typing import Any


def value_columns(
    all_values: Sequence[Mapping[str, Any]], names: Sequence[str]
) -> dict[str, tuple[Any, ...]]:
    """Each of ``names`` -> its value in every row of ``all_values`` (None where a row lacks it).

    The names the first row has are read in one pass over the rows: asking
    each row once per name costs several times as much, and an import asks a
    chunk for a dozen names. A name the first row lacks is asked row by row.
    """
    if not all_values:
        return dict.fromkeys(names, ())
    first = all_values[0]
    in_first = [name for name in names if name in first]
    columns: dict[str, tuple[Any, ...]] = {}
    if in_first:
        # The extra name keeps itemgetter returning tuples for a single name too.
        wanted = (*in_first, in_first[0])
        try:
            # The usual chunk: every row has the fields the first one has.
            rows = list(map(itemgetter(*wanted), all_values))
        except KeyError:
            # Rows with empty cells lack those fields.
            rows = [tuple(map(values.get, wanted)) for values in all_values]
        columns.update(zip(in_first, zip(*rows, strict=True), strict=False))
    for name in names:
        if name not in columns:
            columns[name] = tuple(map(methodcaller("get", name), all_values))
    return {name: columns[name] for name in names}
