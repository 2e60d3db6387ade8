"""Saved mappings name the first contact too, and older ones keep their choices."""

from __future__ import annotations

from leaddesk.core.csv_import.mapping import FIRST_CONTACTED, KEEP_IN_NOTES, ColumnMapping
from leaddesk.core.csv_import.mapping_presets import (
    apply_preset,
    make_preset,
    mapping_from_json,
    preset_from_json,
    preset_to_json,
)

HEADERS = ("Email", "Called on", "Last Contacted")


def test_a_preset_with_the_first_contact_survives_its_json() -> None:
    mapping = ColumnMapping(HEADERS, ("email", FIRST_CONTACTED, KEEP_IN_NOTES))
    preset = preset_from_json(preset_to_json(make_preset("Calls", mapping)))
    assert apply_preset(preset, HEADERS) == mapping


def test_a_preset_saved_before_keeps_ignoring_what_it_ignored() -> None:
    older = make_preset("Old", ColumnMapping(HEADERS, ("email", None, None)))
    assert apply_preset(older, HEADERS).targets == ("email", None, None)


def test_a_mapping_given_as_json_may_name_the_first_contact() -> None:
    mapping = mapping_from_json('{"Called on": "first_contacted_at"}', HEADERS)
    assert mapping.targets == ("email", FIRST_CONTACTED, KEEP_IN_NOTES)
