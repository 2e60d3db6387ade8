"""Cleaning and checking the values of a lead before they are stored.

Blocking problems (no way to identify the lead, a value of the wrong kind) stop
a save; soft problems (an email that looks wrong) are stored and shown, never
silently dropped -- the score counts an invalid email against the lead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from leaddesk.core.fields import (
    FIELDS_BY_NAME,
    IDENTIFYING_FIELDS,
    Consent,
    FieldKind,
    Stage,
    Temperature,
)
from leaddesk.core.validation import email_problem, website_problem

_ENUMS: dict[str, type[Temperature] | type[Stage] | type[Consent]] = {
    "temperature": Temperature,
    "stage": Stage,
    "consent": Consent,
}


class LeadValuesError(ValueError):
    """Values that cannot be saved; ``problems`` maps field name to one sentence."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__(" ".join(self.problems.values()))


def clean_lead_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Trim text, turn blanks into None and check each value's kind.

    Raises LeadValuesError naming every field that cannot be stored.
    """
    cleaned: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, raw in values.items():
        field = FIELDS_BY_NAME.get(name)
        if field is None:
            problems[name] = f"'{name}' is not a lead field."
            continue
        value = raw.strip() if isinstance(raw, str) else raw
        if value == "":
            value = None
        if name in _ENUMS:
            if value is None:
                problems[name] = f"{field.label} cannot be empty."
                continue
            try:
                value = _ENUMS[name](str(value).lower())
            except ValueError:
                allowed = ", ".join(member.value for member in _ENUMS[name])
                problems[name] = f"{field.label} must be one of {allowed}, not '{value}'."
                continue
        elif value is not None:
            problem = _kind_problem(field.kind, value)
            if problem:
                problems[name] = f"{field.label}: {problem}"
                continue
        if name == "email" and isinstance(value, str):
            value = value.lower()
        cleaned[name] = value
    if problems:
        raise LeadValuesError(problems)
    return cleaned


def _kind_problem(kind: FieldKind, value: Any) -> str | None:
    match kind:
        case FieldKind.INTEGER:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                return "must be a whole number of zero or more."
        case FieldKind.MONEY:
            if not isinstance(value, int) or isinstance(value, bool):
                return "must be a whole number."
        case FieldKind.OWNER:
            # A team member's id, or a name to look up (and add to the team).
            if isinstance(value, bool) or not isinstance(value, int | str):
                return "must be a team member."
        case FieldKind.BOOL:
            if not isinstance(value, bool):
                return "must be yes or no."
        case FieldKind.DATE:
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                return "must be a date."
        case FieldKind.DATETIME:
            if not isinstance(value, dt.datetime) or value.tzinfo is None:
                return "must be a date and time with a time zone."
        case _:
            if not isinstance(value, str):
                return "must be text."
    return None


def identity_problem(values: Mapping[str, Any]) -> str | None:
    """A lead needs at least a name, an email or a phone."""
    if any(values.get(name) for name in IDENTIFYING_FIELDS):
        return None
    return "A lead needs at least a name, an email address or a phone number."


def soft_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """Problems worth showing next to a field that do not block saving."""
    problems: dict[str, str] = {}
    if problem := email_problem(values.get("email")):
        problems["email"] = problem
    if problem := website_problem(values.get("website")):
        problems["website"] = problem
    return problems
