"""Saved column mappings ("presets") and files that need a mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaddesk.core.csv_import.mapping import ColumnMapping, suggest_mapping
from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing import (
    import_csv,
    list_presets,
    preset_for_headers,
    resolve_mapping,
    save_preset,
)
from tests.operations.importing.import_helpers import (
    lead_named,
    run_import,
    write_csv,
)

# --- presets -----------------------------------------------------------------------

# "Firma" is a known header, suggested afresh; the others mean nothing to the app.
ODD_HEADERS = ["Rufname", "Zuname", "Elektropost", "Bemerkung", "Firma"]
ODD_ROWS = [ODD_HEADERS, ["Jörg", "Müßig", "Joerg@Example.de", "Ruft zurück", "Kühne AG"]]
ODD_MAPPING = (
    '{"Rufname": "first_name", "Zuname": "last_name", "Elektropost": "email", "Bemerkung": null}'
)


def test_a_file_with_unknown_headers_needs_a_mapping(ctx: OperationContext, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", ODD_ROWS)
    with pytest.raises(UserError, match="identifies a lead"):
        import_csv(ctx, path)


def test_presets_are_saved_listed_and_resolved(ctx: OperationContext, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", ODD_ROWS)
    mapping = resolve_mapping(ctx, ODD_MAPPING, ODD_HEADERS)
    assert mapping.targets == ("first_name", "last_name", "email", None, "company")

    save_preset(ctx, "  Old   CRM ", mapping)
    save_preset(ctx, "Another", suggest_mapping(["Email"]))

    assert [p.name for p in list_presets(ctx)] == ["Another", "Old CRM"]
    assert resolve_mapping(ctx, "old crm", ODD_HEADERS) == mapping
    # Headers in another order, in other case: the preset still applies by name.
    shuffled = ["ZUNAME", "Firma", "rufname", "Elektropost", "Bemerkung"]
    assert resolve_mapping(ctx, "Old CRM", shuffled).targets == (
        "last_name",
        "company",
        "first_name",
        "email",
        None,
    )
    found = preset_for_headers(ctx, ODD_HEADERS)
    assert found is not None
    assert found.name == "Old CRM"
    assert preset_for_headers(ctx, ["Rufname", "Zuname"]) is None

    result = run_import(ctx, path, mapping=resolve_mapping(ctx, "Old CRM", ODD_HEADERS))
    assert result.created == 1
    lead = lead_named(ctx, "Jörg", "Müßig")
    assert (lead["email"], lead["notes"], lead["company"]) == ("joerg@example.de", None, "Kühne AG")


def test_saving_a_preset_again_replaces_it(ctx: OperationContext) -> None:
    save_preset(ctx, "CRM", ColumnMapping(("A", "B"), ("email", None)))
    save_preset(ctx, "CRM", ColumnMapping(("A", "B"), (None, "email")))
    assert len(list_presets(ctx)) == 1
    assert resolve_mapping(ctx, "CRM", ["A", "B"]).targets == (None, "email")


@pytest.mark.parametrize(
    ("given_text", "message"),
    [
        ("No Such Preset", "no saved mapping called 'No Such Preset'"),
        ('{"Rufname": "shoe_size"}', "not a lead field"),
        ("{not json", "not valid JSON"),
    ],
)
def test_a_bad_mapping_is_a_user_error(
    ctx: OperationContext, given_text: str, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        resolve_mapping(ctx, given_text, ODD_HEADERS)


def test_a_preset_without_a_name_is_refused(ctx: OperationContext) -> None:
    with pytest.raises(UserError):
        save_preset(ctx, "   ", ColumnMapping(("A",), ("email",)))
