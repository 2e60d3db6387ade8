"""What an imported row does to a lead it duplicates, by duplicate policy.

Pure rules, shared by every importer: a stage never moves backwards, a denied
consent is never replaced by one that knows less, a first contact never moves
later, empty cells never erase data.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from leaddesk.core.csv_import.imported_values import merged_notes
from leaddesk.core.csv_import.targets import FIRST_CONTACTED
from leaddesk.core.csv_import.value_labels import merge_consent, merge_stage
from leaddesk.core.fields import Consent, Stage


class DuplicatePolicy(StrEnum):
    """What to do with a row that matches a lead already there."""

    SKIP = "skip"
    FILL = "fill"
    OVERWRITE = "overwrite"
    CREATE = "create"

    @property
    def label(self) -> str:
        return _POLICY_LABELS[self]

    @property
    def explanation(self) -> str:
        return _POLICY_EXPLANATIONS[self]


_POLICY_LABELS = {
    DuplicatePolicy.SKIP: "Skip duplicates",
    DuplicatePolicy.FILL: "Fill empty fields only",
    DuplicatePolicy.OVERWRITE: "Overwrite with the file's values",
    DuplicatePolicy.CREATE: "Create anyway",
}
_POLICY_EXPLANATIONS = {
    DuplicatePolicy.SKIP: "Leads you already have stay exactly as they are.",
    DuplicatePolicy.FILL: "Only fields that are empty in LeadDesk are taken from the file.",
    DuplicatePolicy.OVERWRITE: (
        "The file's non-empty values replace LeadDesk's; a stage never moves back, a "
        "denied consent stays denied and an earlier first contact stays."
    ),
    DuplicatePolicy.CREATE: "Every row becomes a new lead, even if it duplicates one.",
}

# Fields that always have a value, so "fill empty fields" never touches them.
_ALWAYS_SET = frozenset({"temperature", "stage", "consent"})


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


def merged_changes(
    existing: Mapping[str, Any], incoming: Mapping[str, Any], policy: DuplicatePolicy
) -> dict[str, Any]:
    """The fields of ``existing`` that ``incoming`` changes under ``policy``.

    Both map field names to values (enums as their string values). Returns only
    the fields whose value would differ; an empty result means nothing to do.
    """
    if policy in (DuplicatePolicy.SKIP, DuplicatePolicy.CREATE):
        return {}
    changes: dict[str, Any] = {}
    for name, value in incoming.items():
        if _is_empty(value):
            continue
        current = existing.get(name)
        if name == "stage":
            if policy is DuplicatePolicy.FILL:
                continue
            merged = merge_stage(Stage(current) if current else None, Stage(value))
            new_value: Any = merged.value if merged is not None else current
        elif name == "consent":
            current_consent = Consent(current) if current else Consent.UNKNOWN
            if policy is DuplicatePolicy.FILL and current_consent is not Consent.UNKNOWN:
                continue
            merged_consent = merge_consent(current_consent, Consent(value))
            new_value = merged_consent.value if merged_consent is not None else current
        elif name == FIRST_CONTACTED:
            # The first contact is the earliest one known: a later date from a file
            # is a later contact, never the first (as logging an activity does it).
            if current is not None and (policy is DuplicatePolicy.FILL or current <= value):
                continue
            new_value = value
        elif name == "notes":
            # What the row could not put into its fields is kept whatever the policy.
            new_value = merged_notes(
                current, str(value), overwrite=policy is DuplicatePolicy.OVERWRITE
            )
        elif name in _ALWAYS_SET or policy is DuplicatePolicy.OVERWRITE:
            if name in _ALWAYS_SET and policy is DuplicatePolicy.FILL:
                continue
            new_value = value
        elif _is_empty(current):
            new_value = value
        else:
            continue
        if new_value != current:
            changes[name] = new_value
    return changes
