"""The lead form's state rules, as plain functions: no Qt, no database.

What the form holds is compared with what it loaded (what changed); a lead
changed elsewhere while the form is open (a drag on the board, an undo, another
window) is taken into the form unless the user is editing one of the same
fields; a save fills in what the user need not type (the won date, when consent
was given) and stores only what changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from leaddesk.core.fields import Consent, Stage
from leaddesk.core.lead_values import identity_problem


@dataclass(frozen=True)
class LoadedLead:
    """The lead the form shows, as last read from the database (a new lead: the defaults)."""

    lead_id: int | None = None
    # The version the next save is checked against (None: a new lead).
    version: int | None = None
    # The form's values as loaded: what the user's edits are measured against.
    original: Mapping[str, Any] = field(default_factory=dict)
    # The fields as stored: what a change made elsewhere is measured against.
    stored: Mapping[str, Any] = field(default_factory=dict)
    # The phone as stored: a number the form reads as E.164 is saved so with the next save.
    stored_phone: str | None = None
    # When consent was last given or refused; not typed, so not among the editors' values.
    consent_date: dt.datetime | None = None


def changed_values(current: Mapping[str, Any], original: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``current`` whose value differs from ``original``, with the new value."""
    return {name: value for name, value in current.items() if original.get(name) != value}


# -- changes made elsewhere ---------------------------------------------------


@dataclass(frozen=True)
class OutsideChanges:
    """What a change made elsewhere means for a form with unsaved edits."""

    # Fields whose stored value changed elsewhere, with the new value.
    moved: dict[str, Any]
    # Those of them the user is editing too: the form keeps its edits and takes
    # none of the moved fields; the save then says the lead was changed elsewhere.
    conflicts: frozenset[str]

    @property
    def can_take(self) -> bool:
        return not self.conflicts


def outside_changes(
    loaded: LoadedLead, stored: Mapping[str, Any], current: Mapping[str, Any]
) -> OutsideChanges:
    """Compare the lead as stored now with ``loaded``, given what the form holds (``current``)."""
    moved = {name: value for name, value in stored.items() if loaded.stored.get(name) != value}
    edited = changed_values(current, loaded.original).keys()
    return OutsideChanges(moved=moved, conflicts=frozenset(moved.keys() & edited))


def take_outside_changes(
    loaded: LoadedLead,
    taken: OutsideChanges,
    fresh: Mapping[str, Any],
    stored: Mapping[str, Any],
    version: int,
) -> LoadedLead:
    """``loaded`` once the moved fields show in the form (``fresh``: the form's values now).

    The moved fields count as loaded (they are no edit of the user's), the rest
    of the user's edits stay edits, and the next save is checked against
    ``version``.
    """
    original = dict(loaded.original)
    for name in taken.moved:
        original[name] = fresh.get(name)
    consent_date = taken.moved.get("consent_date", loaded.consent_date)
    return replace(
        loaded,
        version=version,
        original=original,
        stored=dict(stored),
        stored_phone=stored.get("phone"),
        consent_date=consent_date,
    )


# -- saving --------------------------------------------------------------------


@dataclass(frozen=True)
class SaveProblem:
    """Why the form's values cannot be saved, and the field to put the cursor in."""

    message: str
    field: str
    # Shown under the field, when the field itself says more than the form's error line.
    field_message: str | None = None


def save_problem(values: Mapping[str, Any]) -> SaveProblem | None:
    """What stops ``values`` from being saved as a lead (values the editors accept)."""
    if problem := identity_problem(values):
        return SaveProblem(problem, "first_name")
    if values.get("stage") == Stage.DISQUALIFIED and not values.get("disqualification_reason"):
        return SaveProblem(
            "A disqualified lead needs a reason.",
            "disqualification_reason",
            "Choose the reason the lead is disqualified.",
        )
    return None


@dataclass(frozen=True)
class SavePlan:
    """What a save stores, worked out from the form's values and the lead as loaded."""

    # Values the save fills in that the form shows too (the won date).
    fills: dict[str, Any]
    # The fields to store (the owner apart: it is stored by name, see ``owner``).
    changed: dict[str, Any]
    owner_changed: bool
    owner: str | None
    # An opened lead with nothing changed: nothing to store.
    nothing_to_save: bool


def plan_save(values: Mapping[str, Any], loaded: LoadedLead, now: dt.datetime) -> SavePlan:
    """What to store for ``values`` (which ``save_problem`` accepts) at ``now``."""
    values = dict(values)
    original = loaded.original
    fills: dict[str, Any] = {}
    if (
        values.get("stage") == Stage.CUSTOMER
        and not values.get("won_date")
        and original.get("stage") != Stage.CUSTOMER
    ):
        fills["won_date"] = now.astimezone().date()
    values.update(fills)
    consent = values.get("consent")
    if consent != original.get("consent", Consent.UNKNOWN.value) and consent not in (
        None,
        Consent.UNKNOWN.value,
    ):
        values["consent_date"] = now
    changed = changed_values(values, original)
    if loaded.lead_id is not None and values.get("phone") != loaded.stored_phone:
        # A stored number the form reads as E.164 is saved so with the next save.
        changed["phone"] = values.get("phone")
    nothing = loaded.lead_id is not None and not changed
    owner_changed = "owner" in changed
    owner = changed.pop("owner", None)
    return SavePlan(
        fills=fills,
        changed=changed,
        owner_changed=owner_changed,
        owner=owner,
        nothing_to_save=nothing,
    )


# -- what the form says about the values -----------------------------------------


def consent_text(
    values: Mapping[str, Any], loaded_consent: Any, consent_date: dt.datetime | None
) -> str:
    """The line under the consent field: what it allows, since when and how it was given.

    The date is shown only while the consent is the one loaded (``loaded_consent``):
    a consent chosen now is dated by the save.
    """
    consent = values.get("consent") or Consent.UNKNOWN.value
    if consent == Consent.UNKNOWN:
        return "Ask before sending marketing email."
    when = consent_date if consent == loaded_consent else None
    verb = "Granted" if consent == Consent.GRANTED else "Denied: no marketing actions"
    text = verb + (f" since {when.astimezone():%d %b %Y}" if when else "")
    if values.get("consent_source"):
        text += f" (via {values['consent_source']})"
    return text
