"""Saving the lead form: what blocks a save, what a save fills in, one undo step per save."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leaddesk.core.fields import Consent, Stage
from leaddesk.core.lead_values import identity_problem
from leaddesk.operations.leads import create_lead, update_lead

if TYPE_CHECKING:
    from leaddesk.ui.lead_form.form import LeadForm


def save_form(form: LeadForm) -> bool:
    """Store the form; False (with the reason shown) when it cannot be stored yet."""
    for editor in form.editors.values():
        editor.refresh_message()
    blocked = [name for name, editor in form.editors.items() if editor.problem()]
    if blocked:
        form._show_error("Some values cannot be saved yet; they are marked below.")
        form.focus_field(blocked[0])
        return False
    values = form.values()
    if problem := identity_problem(values):
        form._show_error(problem)
        form.focus_field("first_name")
        return False
    if values["stage"] == Stage.DISQUALIFIED and not values.get("disqualification_reason"):
        reason = form.editors["disqualification_reason"]
        reason.show_message("Choose the reason the lead is disqualified.", "error")
        form._show_error("A disqualified lead needs a reason.")
        form.focus_field("disqualification_reason")
        return False
    if (
        values["stage"] == Stage.CUSTOMER
        and not values.get("won_date")
        and form._original.get("stage") != Stage.CUSTOMER
    ):
        values["won_date"] = form._runner.ctx.clock.now().astimezone().date()
        form.editors["won_date"].set_value(values["won_date"])
    consent = values.get("consent")
    if consent != form._original.get("consent", Consent.UNKNOWN.value) and consent not in (
        None,
        Consent.UNKNOWN.value,
    ):
        values["consent_date"] = form._runner.ctx.clock.now()
    changed = {k: v for k, v in values.items() if form._original.get(k) != v}
    if form.lead_id is not None and values.get("phone") != form._stored_phone:
        # A stored number the form reads as E.164 is saved so with the next save.
        changed["phone"] = values.get("phone")
    if form.lead_id is not None and not changed:
        form._set_dirty(False)
        return True
    has_owner = "owner" in changed
    owner_name = changed.pop("owner", None)
    messages: list[str] = []
    runner = form._runner
    previous_reporter = runner.report_error
    runner.report_error = lambda _parent, message: messages.append(message)
    try:
        args = (form.lead_id, changed, owner_name, has_owner, form._version)
        # One undo step per save (see leaddesk/ui/undo.py); a new lead is covered too.
        text = "Create {leads}" if form.lead_id is None else "Edit {leads}"
        lead_ids = [] if form.lead_id is None else [form.lead_id]
        result = runner.run_undoable(text, lead_ids, _save_lead, *args)
    finally:
        runner.report_error = previous_reporter
    if result is None:
        form._show_error(messages[0] if messages else "The lead could not be saved.")
        return False
    form._show_error("")
    lead_id = result[0]
    form.load(lead_id)
    form.saved.emit(lead_id)
    return True


def _save_lead(
    ctx: Any,
    lead_id: int | None,
    changed: dict[str, Any],
    owner_name: str | None,
    owner_changed: bool,
    version: int | None,
) -> tuple[int, Any]:
    """Create or update; an owner's name new to the team adds them to it."""
    values = dict(changed)
    if owner_changed:
        values["owner"] = owner_name or None
    if lead_id is None:
        return create_lead(ctx, values)
    return lead_id, update_lead(ctx, lead_id, values, expected_version=version)
