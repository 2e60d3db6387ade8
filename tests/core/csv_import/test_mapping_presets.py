"""Saved mappings: JSON round trips, moved columns, plain JSON objects, broken presets."""

from __future__ import annotations

import pytest

from leaddesk.core.csv_import.mapping import (
    FULL_NAME,
    KEEP_IN_NOTES,
    ColumnMapping,
    suggest_mapping,
)
from leaddesk.core.csv_import.mapping_presets import (
    PresetError,
    apply_preset,
    find_preset,
    header_signature,
    make_preset,
    mapping_from_json,
    preset_from_json,
    preset_to_json,
)


def test_presets_round_trip_through_json_and_follow_moved_columns() -> None:
    headers = ["Vorname", "Nachname", "Kundennummer", "E-Mail"]
    mapping = suggest_mapping(headers).with_target(2, "campaign")
    preset = make_preset("Messe-Liste", mapping)
    restored = preset_from_json(preset_to_json(preset))
    assert restored == preset
    moved = ["E-Mail", "Kundennummer", "Nachname", "Vorname"]
    assert find_preset([restored], moved) == restored
    assert apply_preset(restored, moved).targets == ("email", "campaign", "last_name", "first_name")


def test_signature_ignores_order_and_spelling_but_not_different_headers() -> None:
    assert header_signature(["E-Mail", "Name"]) == header_signature(["name", "email"])
    assert header_signature(["Email", "Name"]) != header_signature(["Email", "Phone"])


def test_mapping_json_as_plain_header_to_target_object() -> None:
    mapping = mapping_from_json('{"Mail": "email", "Wer": "full_name"}', ["Wer", "Mail", "X"])
    assert mapping.targets == (FULL_NAME, "email", None)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"columns": [{"header": "A", "target": "no_such_field"}]}',
        '{"columns": [{"header": "A", "target": "email"}, {"header": "B", "target": "email"}]}',
    ],
)
def test_broken_presets_are_refused(text: str) -> None:
    with pytest.raises(PresetError):
        preset_from_json(text)


def test_presets_keep_columns_kept_in_the_notes() -> None:
    mapping = ColumnMapping(("A", "B", "Email"), (KEEP_IN_NOTES, KEEP_IN_NOTES, "email"))
    preset = preset_from_json(preset_to_json(make_preset("Labels", mapping)))
    assert apply_preset(preset, ("Email", "B", "A")).targets == (
        "email",
        KEEP_IN_NOTES,
        KEEP_IN_NOTES,
    )
    as_json = '{"A": "keep_in_notes", "B": "keep_in_notes", "Email": "email"}'
    assert mapping_from_json(as_json, ("A", "B", "Email")) == mapping
    with pytest.raises(PresetError):
        preset_from_json(
            '{"columns": [{"header": "A", "target": "email"}, {"header": "B", "target": "email"}]}'
        )
