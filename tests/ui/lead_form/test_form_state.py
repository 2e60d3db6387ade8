"""The lead form's state rules, without Qt: what changed, changes made elsewhere, what to save."""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import replace
from pathlib import Path

from leaddesk.ui.lead_form import form_state
from leaddesk.ui.lead_form.form_state import (
    LoadedLead,
    changed_values,
    consent_text,
    outside_changes,
    plan_save,
    save_problem,
    take_outside_changes,
)

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
STORED = {
    "first_name": "Ada",
    "company": None,
    "phone": "(555) 201-0005",
    "temperature": "cold",
    "stage": "lead",
    "consent": "unknown",
    "owner": "Sam Seller",
}


def _loaded(**changes) -> LoadedLead:
    # The form reads the stored phone as E.164 (its editor normalises it).
    original = {**STORED, "phone": "+15552010005"}
    loaded = LoadedLead(
        lead_id=7, version=3, original=original, stored=STORED, stored_phone="(555) 201-0005"
    )
    return replace(loaded, **changes)


def test_the_module_imports_no_qt() -> None:
    tree = ast.parse(Path(form_state.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name.startswith(("PySide6", "leaddesk.ui"))]
    assert not [name for name in imported if name.startswith(("leaddesk.storage", "sqlalchemy"))]


def test_what_changed_is_the_fields_whose_value_differs() -> None:
    original = {"first_name": "Ada", "company": None, "stage": "lead"}
    current = {"first_name": "Ada", "company": "Acme", "stage": "lead", "need": None}
    assert changed_values(current, original) == {"company": "Acme"}
    assert changed_values(original, original) == {}


def test_a_field_moved_elsewhere_that_the_user_is_not_editing_can_be_taken() -> None:
    loaded = _loaded()
    current = {**loaded.original, "company": "Acme"}  # typed, not saved
    stored = {**STORED, "temperature": "warm"}  # a drag on the board
    changes = outside_changes(loaded, stored, current)
    assert changes.moved == {"temperature": "warm"}
    assert changes.conflicts == frozenset()
    assert changes.can_take


def test_a_field_changed_in_both_places_is_a_conflict() -> None:
    loaded = _loaded()
    current = {**loaded.original, "company": "Acme"}
    stored = {**STORED, "company": "Globex", "temperature": "warm"}
    changes = outside_changes(loaded, stored, current)
    assert changes.moved == {"company": "Globex", "temperature": "warm"}
    assert changes.conflicts == {"company"}
    assert not changes.can_take


def test_taken_changes_count_as_loaded_and_the_edits_stay_edits() -> None:
    loaded = _loaded()
    consented = NOW - dt.timedelta(days=1)
    stored = {**STORED, "temperature": "warm", "consent_date": consented}
    changes = outside_changes(loaded, stored, {**loaded.original, "company": "Acme"})
    fresh = {**loaded.original, "company": "Acme", "temperature": "warm", "consent_date": consented}

    taken = take_outside_changes(loaded, changes, fresh, stored, version=4)

    assert taken.version == 4
    assert taken.stored == stored
    assert taken.consent_date == consented
    assert taken.original["temperature"] == "warm"
    assert changed_values(fresh, taken.original) == {"company": "Acme"}
    assert loaded.version == 3  # the loaded lead itself is not changed


def test_a_lead_without_a_name_email_or_phone_cannot_be_saved() -> None:
    problem = save_problem({"first_name": None, "last_name": None, "email": None, "phone": None})
    assert problem is not None
    assert problem.field == "first_name"
    assert problem.field_message is None


def test_a_disqualified_lead_needs_a_reason() -> None:
    values = {"first_name": "Ada", "stage": "disqualified", "disqualification_reason": None}
    problem = save_problem(values)
    assert problem is not None
    assert (problem.message, problem.field) == (
        "A disqualified lead needs a reason.",
        "disqualification_reason",
    )
    assert problem.field_message == "Choose the reason the lead is disqualified."
    assert save_problem({**values, "disqualification_reason": "No budget"}) is None


def test_a_save_stores_only_what_changed_and_the_owner_by_name() -> None:
    loaded = _loaded(stored_phone="+15552010005")
    values = {**loaded.original, "company": "Acme", "owner": "Priya Patel"}
    plan = plan_save(values, loaded, NOW)
    assert plan.changed == {"company": "Acme"}
    assert (plan.owner_changed, plan.owner) == (True, "Priya Patel")
    assert plan.fills == {}
    assert not plan.nothing_to_save


def test_an_opened_lead_with_nothing_changed_has_nothing_to_save() -> None:
    loaded = _loaded(stored_phone="+15552010005")
    plan = plan_save(dict(loaded.original), loaded, NOW)
    assert plan.nothing_to_save
    assert (plan.changed, plan.owner_changed) == ({}, False)


def test_a_stored_phone_read_as_e164_is_saved_so() -> None:
    loaded = _loaded()  # stored as typed, read as +15552010005
    plan = plan_save(dict(loaded.original), loaded, NOW)
    assert plan.changed == {"phone": "+15552010005"}
    assert not plan.nothing_to_save


def test_a_new_lead_stores_every_value_it_has() -> None:
    values = {"first_name": "Zoë", "email": "zoe@brandt.example", "owner": None}
    plan = plan_save(values, LoadedLead(), NOW)
    assert plan.changed == {"first_name": "Zoë", "email": "zoe@brandt.example"}
    assert (plan.owner_changed, plan.nothing_to_save) == (False, False)


def test_marking_a_lead_customer_dates_the_win_today() -> None:
    loaded = _loaded(stored_phone="+15552010005")
    plan = plan_save({**loaded.original, "stage": "customer", "won_date": None}, loaded, NOW)
    assert plan.fills == {"won_date": NOW.astimezone().date()}
    assert plan.changed["won_date"] == NOW.astimezone().date()

    dated = {**loaded.original, "stage": "customer", "won_date": dt.date(2026, 1, 5)}
    assert plan_save(dated, loaded, NOW).fills == {}
    # Already a customer when loaded: a cleared won date stays cleared.
    customer = _loaded(original={**loaded.original, "stage": "customer"})
    assert plan_save({**customer.original, "won_date": None}, customer, NOW).fills == {}


def test_consent_given_or_refused_now_is_dated_by_the_save() -> None:
    loaded = _loaded(stored_phone="+15552010005")
    granted = plan_save({**loaded.original, "consent": "granted"}, loaded, NOW)
    assert granted.changed == {"consent": "granted", "consent_date": NOW}
    unknown = plan_save({**loaded.original, "consent_source": "Fair"}, loaded, NOW)
    assert "consent_date" not in unknown.changed


def test_the_consent_line_says_what_is_allowed_and_since_when() -> None:
    since = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
    assert consent_text({"consent": None}, "unknown", None) == "Ask before sending marketing email."
    granted = {"consent": "granted", "consent_source": "Web form"}
    assert consent_text(granted, "granted", since) == (
        f"Granted since {since.astimezone():%d %b %Y} (via Web form)"
    )
    # Chosen now, not yet saved: no date yet.
    assert consent_text(granted, "unknown", since) == "Granted (via Web form)"
    assert consent_text({"consent": "denied"}, "denied", None) == "Denied: no marketing actions"
