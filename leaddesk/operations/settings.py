"""Changing the settings stored in the database (declared in leaddesk.core.settings)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from leaddesk.core.settings import SETTINGS_BY_KEY
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.storage.settings_store import read_settings, write_setting


def update_settings(ctx: OperationContext, values: Mapping[str, Any]) -> Outcome[None]:
    """Store ``values`` (setting key -> value) in one transaction.

    A value equal to its default is stored as "not changed", so a later change
    of the default reaches this database too. Unknown keys are refused before
    anything is written; nothing changes when every value is already current.
    """
    unknown = sorted(key for key in values if key not in SETTINGS_BY_KEY)
    if unknown:
        raise UserError(f"'{unknown[0]}' is not a LeadDesk setting.")
    for key, value in values.items():
        if problem := _value_problem(key, value):
            raise UserError(problem)
    with ctx.db.transaction() as connection:
        current = read_settings(connection)
        changed = {key: value for key, value in values.items() if current.get(key) != value}
        for key, value in changed.items():
            write_setting(connection, key, value)
    if not changed:
        return Outcome(Changes(), None)
    return Outcome(Changes(settings=True, description="Change settings"), None)


def _value_problem(key: str, value: Any) -> str | None:
    """A value of another kind than the setting's default (a number for a number...)."""
    spec = SETTINGS_BY_KEY[key]
    if isinstance(spec.default, bool):
        return None if isinstance(value, bool) else f"{spec.title} must be yes or no."
    if isinstance(spec.default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"{spec.title} must be a whole number of zero or more."
        return None
    if isinstance(spec.default, str) and not isinstance(value, str):
        return f"{spec.title} must be text."
    if isinstance(spec.default, list) and not isinstance(value, list):
        return f"{spec.title} must be a list."
    return None


def clean_reasons(reasons: Sequence[str]) -> list[str]:
    """The disqualification reasons as the user will pick them: trimmed, once each."""
    cleaned: list[str] = []
    seen: set[str] = set()
    for reason in reasons:
        text = " ".join(reason.split())
        if not text or text.casefold() in seen:
            continue
        if len(text) > 100:
            raise UserError(f"“{text[:40]}…” is too long for a reason (100 characters at most).")
        seen.add(text.casefold())
        cleaned.append(text)
    if not cleaned:
        raise UserError("Keep at least one disqualification reason.")
    return cleaned


def set_disqualification_reasons(ctx: OperationContext, reasons: Sequence[str]) -> Outcome[None]:
    """The list a lead's disqualification reason is chosen from, in this order."""
    return update_settings(ctx, {"disqualification_reasons": clean_reasons(reasons)})


def set_default_region(ctx: OperationContext, region: str) -> Outcome[None]:
    """The country whose numbers may be typed without +code ('' for none): E.164 input."""
    import phonenumbers

    code = region.strip().upper()
    if code and code not in phonenumbers.SUPPORTED_REGIONS:
        raise UserError(f"'{region}' is not a country code such as DE, FR or US.")
    return update_settings(ctx, {"default_region": code})
