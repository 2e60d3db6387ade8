"""The lead form after a change made elsewhere (the board, an undo): reload or merge it in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leaddesk.operations.scoring import lead_facts
from leaddesk.storage.lead_rows import lead_fields
from leaddesk.storage.queries import lead_row

if TYPE_CHECKING:
    from leaddesk.ui.lead_form.form import LeadForm


def refresh_from_database(form: LeadForm) -> None:
    """After a change elsewhere: reload, keeping unsaved edits when there are any."""
    if form.lead_id is None:
        return
    if not form._dirty:
        try:
            form.load(form.lead_id)
        except LookupError:
            form.new()
        return
    with form._runner.ctx.db.reading() as connection:
        facts = lead_facts(connection, [form.lead_id]).get(form.lead_id)
        row = lead_row(connection, form.lead_id)
    if row is None:
        return
    if facts is not None:
        form._base_facts = facts
    if row.version != form._version:
        take_changes_from_elsewhere(form, lead_fields(row._mapping), row.version)
    form._load_history()
    form.recompute()


def take_changes_from_elsewhere(form: LeadForm, stored: dict[str, Any], version: int) -> None:
    """Fields changed elsewhere (a drag on the board, a first contact) join the edits.

    Only when none of them is a field the user is editing: then the form shows
    the new values and saves against the new version. A field changed in both
    places is left to the save, which says the lead was changed elsewhere.
    """
    moved = {name for name, value in stored.items() if form._stored.get(name) != value}
    current = form.values()
    edited = {name for name, value in current.items() if form._original.get(name) != value}
    if moved & edited:
        return
    form._loading = True
    try:
        for name in moved:
            set_field(form, name, stored[name])
    finally:
        form._loading = False
    fresh = form.values()
    for name in moved:
        form._original[name] = fresh.get(name)
    form._stored = stored
    form._stored_phone = stored.get("phone")
    form._version = version
    form._set_dirty(bool(form.changed_values()))


def set_field(form: LeadForm, name: str, value: Any) -> None:
    if name in form.editors:
        form.editors[name].set_value(value)
    elif name == "owner":
        form.owner_editor.set_value(value)
    elif name == "temperature":
        form._temperature_value = str(value)
        form.temperature.setCurrentIndex(max(0, form.temperature.findData(value)))
    elif name == "stage":
        form._stage_value = str(value)
        form.stage.setCurrentIndex(max(0, form.stage.findData(value)))
    elif name == "consent_date":
        form._consent_date = value
