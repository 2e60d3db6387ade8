"""The lead form's reads and writes: its lead as stored, its history, the settings it
follows, and a save as one undo step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from leaddesk.core.scoring import DEFAULT_RULES, LeadFacts, ScoreRule, ScoreSettings
from leaddesk.operations.changes import Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead, update_lead
from leaddesk.operations.owners import default_owner_name
from leaddesk.operations.scoring import lead_facts, load_rules, load_score_settings
from leaddesk.storage.lead_history import (
    ActivityEntry,
    StageChange,
    lead_activities,
    lead_stage_history,
)
from leaddesk.storage.lead_rows import lead_fields
from leaddesk.storage.queries import lead_row, owner_names
from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.lead_form.form_state import SavePlan
from leaddesk.ui.runner import OperationRunner


@dataclass(frozen=True)
class StoredLead:
    """A lead as stored: its fields by name (the owner by name), version and score facts,
    and when it was first contacted (a derived column, not a field the user edits)."""

    fields: dict[str, Any]
    version: int
    # The activity the score counts; None when the scoring reads nothing for the lead.
    facts: LeadFacts | None
    first_contacted_at: dt.datetime | None = None


def read_lead(runner: OperationRunner, lead_id: int) -> StoredLead | None:
    """Lead ``lead_id`` as stored, or None when there is no such live lead."""
    with runner.ctx.db.reading() as connection:
        facts = lead_facts(connection, [lead_id]).get(lead_id)
        row = lead_row(connection, lead_id)
    if row is None:
        return None
    return StoredLead(
        fields=lead_fields(row._mapping),
        version=row.version,
        facts=facts,
        first_contacted_at=row.first_contacted_at,
    )


@dataclass(frozen=True)
class FormSettings:
    """What the form follows from Settings: the score's rules, the team, the lists."""

    rules: list[ScoreRule]
    score_settings: ScoreSettings
    owners: list[str]
    reasons: list[str]
    region: str | None


def read_form_settings(runner: OperationRunner) -> FormSettings:
    with runner.ctx.db.reading() as connection:
        settings = read_settings(connection)
        rules = load_rules(connection) or list(DEFAULT_RULES)
        score_settings = load_score_settings(connection)
        owners = [name for _id, name in owner_names(connection)]
    return FormSettings(
        rules=rules,
        score_settings=score_settings,
        owners=owners,
        reasons=list(settings["disqualification_reasons"]),
        region=settings["default_region"] or None,
    )


def read_default_owner(runner: OperationRunner) -> str | None:
    """Who a new lead belongs to unless the user chooses someone else."""
    with runner.ctx.db.reading() as connection:
        return default_owner_name(connection)


def read_history(
    runner: OperationRunner, lead_id: int
) -> tuple[Sequence[ActivityEntry], Sequence[StageChange]]:
    """The lead's activities and stage changes, latest first."""
    with runner.ctx.db.reading() as connection:
        return lead_activities(connection, lead_id), lead_stage_history(connection, lead_id)


@dataclass(frozen=True)
class SaveOutcome:
    """The saved lead's id, or None with the reason it could not be saved."""

    lead_id: int | None
    error: str = ""


def store_lead(
    runner: OperationRunner, lead_id: int | None, version: int | None, plan: SavePlan
) -> SaveOutcome:
    """Create or update the lead as ``plan`` says: one undo step, errors returned, not shown.

    The form shows a failed save's reason in its own error line, so the
    runner's error dialog is held back for the save.
    """
    messages: list[str] = []
    previous_reporter = runner.report_error
    runner.report_error = lambda _parent, message: messages.append(message)
    try:
        args = (lead_id, plan.changed, plan.owner, plan.owner_changed, version)
        # One undo step per save (see leaddesk/ui/undo.py); a new lead is covered too.
        text = "Create {leads}" if lead_id is None else "Edit {leads}"
        lead_ids = [] if lead_id is None else [lead_id]
        result = runner.run_undoable(text, lead_ids, _save_lead, *args)
    finally:
        runner.report_error = previous_reporter
    if result is None:
        return SaveOutcome(None, messages[0] if messages else "The lead could not be saved.")
    return SaveOutcome(result.value)


def _save_lead(
    ctx: OperationContext,
    lead_id: int | None,
    changed: dict[str, Any],
    owner_name: str | None,
    owner_changed: bool,
    version: int | None,
) -> Outcome[int]:
    """Create or update; an owner's name new to the team adds them to it.

    The Outcome's value is the lead's id, a new one's too.
    """
    values = dict(changed)
    if owner_changed:
        values["owner"] = owner_name or None
    if lead_id is None:
        return create_lead(ctx, values)
    return Outcome(update_lead(ctx, lead_id, values, expected_version=version).changes, lead_id)
