"""Saved column mappings ("presets"), offered again for files with the same headers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from leaddesk.core.csv_import.mapping import ColumnMapping
from leaddesk.core.csv_import.mapping_presets import (
    MappingPreset,
    PresetError,
    apply_preset,
    find_preset,
    make_preset,
    mapping_from_json,
    preset_from_json,
    preset_to_json,
)
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.storage.schema import mapping_presets


def list_presets(ctx: OperationContext) -> list[MappingPreset]:
    with ctx.db.reading() as connection:
        rows = connection.execute(select(mapping_presets.c.preset).order_by(mapping_presets.c.name))
        return [preset_from_json(preset) for (preset,) in rows]


def save_preset(ctx: OperationContext, name: str, mapping: ColumnMapping) -> Outcome[None]:
    """Save ``mapping`` under ``name``, replacing a preset of that name."""
    name = " ".join(name.split())
    if not name:
        raise UserError("A saved mapping needs a name.")
    preset = make_preset(name, mapping)
    with ctx.db.transaction() as connection:
        connection.execute(mapping_presets.delete().where(mapping_presets.c.name == name))
        connection.execute(
            mapping_presets.insert().values(
                name=name,
                signature=preset.signature,
                preset=preset_to_json(preset),
                updated_at=ctx.clock.now(),
            )
        )
    return Outcome(Changes(settings=True, description=f"Save mapping {name}"), None)


def preset_for_headers(ctx: OperationContext, headers: Sequence[str]) -> MappingPreset | None:
    """The saved preset made for a file with these headers, if any."""
    return find_preset(list_presets(ctx), headers)


def resolve_mapping(ctx: OperationContext, text: str, headers: Sequence[str]) -> ColumnMapping:
    """``--mapping``: the name of a saved preset, or a mapping written as JSON."""
    by_name = {preset.name.casefold(): preset for preset in list_presets(ctx)}
    preset = by_name.get(" ".join(text.split()).casefold())
    if preset is not None:
        return apply_preset(preset, headers)
    if not text.lstrip().startswith(("{", "[")):
        raise UserError(f"There is no saved mapping called '{text}'.")
    try:
        return mapping_from_json(text, headers)
    except PresetError as error:
        raise UserError(str(error)) from None
