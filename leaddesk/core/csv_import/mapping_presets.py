"""Saved mappings (presets): making, finding, applying, and their JSON form.

A mapping can be saved as a named preset and is offered again for files whose
headers have the same ``header_signature``; a preset is keyed by header, so the
columns may come in another order. Storing presets is the storage layer's; a
mapping given on the command line as JSON is read here too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from leaddesk.core.csv_import.header_synonyms import header_key
from leaddesk.core.csv_import.mapping import ColumnMapping, suggest_mapping
from leaddesk.core.csv_import.targets import IMPORT_TARGETS, REPEATABLE_TARGETS

PRESET_FORMAT_VERSION = 1


class PresetError(ValueError):
    """A saved preset that cannot be read; the message is one sentence for a user."""


@dataclass(frozen=True, slots=True)
class MappingPreset:
    """A named mapping the user saved, keyed by header name so column order may change."""

    name: str
    signature: str
    columns: tuple[tuple[str, str | None], ...]
    """(header, target) pairs in the order of the file the preset was made from."""


def header_signature(headers: Iterable[str]) -> str:
    """Identifies a set of headers, ignoring column order, case, accents and punctuation."""
    keys = sorted(header_key(header) for header in headers)
    digest = hashlib.sha256("\x1f".join(keys).encode("utf-8")).hexdigest()
    return f"v{PRESET_FORMAT_VERSION}:{digest[:32]}"


def make_preset(name: str, mapping: ColumnMapping) -> MappingPreset:
    return MappingPreset(
        name=name.strip(),
        signature=header_signature(mapping.headers),
        columns=tuple(zip(mapping.headers, mapping.targets, strict=True)),
    )


def apply_preset(preset: MappingPreset, headers: Sequence[str]) -> ColumnMapping:
    """The preset's choices for ``headers``; headers it does not know are suggested afresh."""
    chosen = {header_key(header): target for header, target in preset.columns}
    suggested = suggest_mapping(headers)
    keys = [header_key(header) for header in headers]
    # The preset's own choices come first; a suggestion may only take what is left.
    taken = {chosen[key] for key in keys if key in chosen} - {None} - REPEATABLE_TARGETS
    targets: list[str | None] = []
    for key, suggestion in zip(keys, suggested.targets, strict=True):
        if key in chosen:
            target = chosen[key]
            if target in targets and target not in REPEATABLE_TARGETS:
                target = None
        else:
            target = suggestion if suggestion not in taken else None
        targets.append(target)
    return ColumnMapping(tuple(headers), tuple(targets))


def find_preset(presets: Iterable[MappingPreset], headers: Iterable[str]) -> MappingPreset | None:
    """The first saved preset made for a file with these headers."""
    signature = header_signature(headers)
    return next((preset for preset in presets if preset.signature == signature), None)


def preset_to_json(preset: MappingPreset) -> str:
    return json.dumps(
        {
            "version": PRESET_FORMAT_VERSION,
            "name": preset.name,
            "signature": preset.signature,
            "columns": [{"header": header, "target": target} for header, target in preset.columns],
        },
        ensure_ascii=False,
    )


def preset_from_json(text: str) -> MappingPreset:
    """A preset saved by ``preset_to_json``; raises PresetError when it is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        raise PresetError("The mapping preset is not valid JSON.") from None
    if not isinstance(data, Mapping) or not isinstance(data.get("columns"), list):
        raise PresetError("The mapping preset has no list of columns.")
    columns: list[tuple[str, str | None]] = []
    for column in data["columns"]:
        header = column.get("header") if isinstance(column, Mapping) else None
        target = column.get("target") if isinstance(column, Mapping) else None
        if not isinstance(header, str) or not (target is None or target in IMPORT_TARGETS):
            raise PresetError(f"The mapping preset has an invalid column entry: {column!r}.")
        columns.append((header, target))
    targets = [t for _, t in columns if t is not None and t not in REPEATABLE_TARGETS]
    if len(targets) != len(set(targets)):
        raise PresetError("The mapping preset fills the same field from two columns.")
    name = data.get("name")
    signature = data.get("signature")
    headers = [header for header, _ in columns]
    return MappingPreset(
        name=name if isinstance(name, str) else "",
        signature=signature if isinstance(signature, str) else header_signature(headers),
        columns=tuple(columns),
    )


def mapping_from_json(text: str, headers: Sequence[str]) -> ColumnMapping:
    """A mapping given as JSON (a saved preset, or ``{"Header": "target", ...}``)."""
    try:
        data = json.loads(text)
    except ValueError:
        raise PresetError("The mapping is not valid JSON.") from None
    if isinstance(data, Mapping) and "columns" not in data:
        columns = tuple(data.items())
        for header, target in columns:
            if not (target is None or target in IMPORT_TARGETS):
                raise PresetError(f"'{target}' for column '{header}' is not a lead field.")
        preset = MappingPreset("", header_signature(data), columns)
    else:
        preset = preset_from_json(text)
    return apply_preset(preset, headers)
