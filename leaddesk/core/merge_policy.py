"""Which value wins, field by field, when two leads turn out to be one person.

The merge dialog offers a choice for every field where the two leads differ;
this decides what it proposes. A filled-in value beats an empty one, a hotter
temperature and a further stage beat colder and earlier ones, a denied consent
always wins (consent is never lifted by a merge, just as by an import), and
otherwise the lead changed more recently is taken to know better.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from leaddesk.core.fields import LEAD_FIELDS, Consent, Stage, Temperature


class Side(StrEnum):
    """The lead a value is taken from: the one kept, or the one merged into it."""

    KEEP = "keep"
    OTHER = "other"


# The consent's date and source belong to the consent: they follow its choice.
CONSENT_DETAILS: tuple[str, ...] = ("consent_date", "consent_source")
MERGE_FIELDS: tuple[str, ...] = tuple(
    field.name for field in LEAD_FIELDS if field.name not in CONSENT_DETAILS
)

_TEMPERATURE_ORDER = {value.value: position for position, value in enumerate(Temperature)}


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def differing_fields(keep: Mapping[str, Any], other: Mapping[str, Any]) -> list[str]:
    """The merge fields whose values differ (two empty values do not differ)."""
    return [
        name
        for name in MERGE_FIELDS
        if not (_empty(keep.get(name)) and _empty(other.get(name)))
        and keep.get(name) != other.get(name)
    ]


def _stage_side(keep: str, other: str) -> Side:
    # An open lead is worth more than a disqualified copy of it; among open
    # stages, the one further down the funnel.
    keep_stage, other_stage = Stage(keep), Stage(other)
    if (keep_stage is Stage.DISQUALIFIED) != (other_stage is Stage.DISQUALIFIED):
        return Side.OTHER if keep_stage is Stage.DISQUALIFIED else Side.KEEP
    return Side.OTHER if other_stage.rank > keep_stage.rank else Side.KEEP


def preferred_side(
    name: str,
    keep_value: Any,
    other_value: Any,
    *,
    other_is_newer: bool = False,
) -> Side:
    """The side whose value the merge proposes for field ``name``."""
    if _empty(other_value):
        return Side.KEEP
    if _empty(keep_value):
        return Side.OTHER
    if name == "consent":
        if Consent.DENIED in (keep_value, other_value):
            return Side.KEEP if keep_value == Consent.DENIED else Side.OTHER
        if Consent.UNKNOWN in (keep_value, other_value):
            return Side.KEEP if other_value == Consent.UNKNOWN else Side.OTHER
    elif name == "temperature":
        keep_rank = _TEMPERATURE_ORDER.get(str(keep_value), 0)
        other_rank = _TEMPERATURE_ORDER.get(str(other_value), 0)
        if keep_rank != other_rank:
            return Side.OTHER if other_rank > keep_rank else Side.KEEP
    elif name == "stage":
        return _stage_side(str(keep_value), str(other_value))
    return Side.OTHER if other_is_newer else Side.KEEP


def default_choices(
    keep: Mapping[str, Any],
    other: Mapping[str, Any],
    *,
    keep_updated_at: dt.datetime | None = None,
    other_updated_at: dt.datetime | None = None,
) -> dict[str, Side]:
    """A proposed side for every differing field (see the module docstring)."""
    other_is_newer = (
        keep_updated_at is not None
        and other_updated_at is not None
        and other_updated_at > keep_updated_at
    )
    return {
        name: preferred_side(name, keep.get(name), other.get(name), other_is_newer=other_is_newer)
        for name in differing_fields(keep, other)
    }
