"""``leaddesk import FILE``: import leads from a CSV file or Excel sheet in one transaction."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from leaddesk.cli.context import open_context
from leaddesk.cli.gc_pause import paused_gc
from leaddesk.errors import UserError


def run(args: argparse.Namespace) -> int:
    with paused_gc():
        from leaddesk.operations.importing import (
            DuplicatePolicy,
            ImportOptions,
            explain_columns,
            import_csv,
            prepare_import,
            preset_for_headers,
            resolve_mapping,
        )

    errors_path: Path | None = args.errors
    if errors_path is not None and not errors_path.parent.resolve().is_dir():
        raise UserError(f"The folder {errors_path.parent} does not exist.")
    ctx = open_context(args)
    fmt, mapping = prepare_import(args.file, sheet=args.sheet)
    if args.mapping:
        mapping = resolve_mapping(ctx, args.mapping, fmt.headers)
    elif (preset := preset_for_headers(ctx, fmt.headers)) is not None:
        from leaddesk.core.csv_import.mapping_presets import apply_preset

        mapping = apply_preset(preset, fmt.headers)
        print(f"Using the saved mapping '{preset.name}'.", file=sys.stderr)
    reasons = explain_columns(args.file, fmt, mapping) if args.dry_run else ()
    options = ImportOptions(
        fmt=fmt,
        mapping=mapping,
        policy=DuplicatePolicy(args.on_duplicate),
        dry_run=args.dry_run,
    )
    result = import_csv(ctx, args.file, options)
    if errors_path is not None:
        result.write_error_report(errors_path)
    summary: dict[str, Any] = {
        "batch": result.batch_id,
        "created": result.created,
        "updated": result.updated,
        "skipped": result.skipped,
        "rejected": result.rejected,
        # New leads whose speed-to-lead countdown runs (history gets none).
        "countdowns": result.countdowns,
    }
    # Rows imported with a note (a value kept in the notes) or a warning, and why.
    summary["noted"] = result.noted
    summary["warnings"] = result.warnings
    summary["notes"] = [note.to_json() for note in result.notes]
    if reasons:
        summary["columns"] = [
            {"column": header, "field": target, "reason": reason.text}
            for header, target, reason in zip(fmt.headers, mapping.targets, reasons, strict=True)
        ]
    if args.json:
        # Every row the duplicate rule settled: the lead it matched, why, what was done.
        summary["duplicates"] = result.duplicates_json()
        print(json.dumps(summary))
        return 0
    if reasons:
        _print_columns(fmt.headers, mapping.targets, reasons)
    verb = "Would import" if args.dry_run else "Imported"
    print(
        f"{verb} {args.file.name}: {result.created} created, {result.updated} updated, "
        f"{result.skipped} skipped, {result.rejected} rejected"
        + (
            f" (batch {result.batch_id}; undo with 'leaddesk undo-import {result.batch_id}')."
            if result.batch_id is not None
            else "."
        )
    )
    if result.noted:
        print(
            f"  {result.noted} imported with a note: values their field could not read "
            "are kept in the leads' notes.",
            file=sys.stderr,
        )
    if result.possible_duplicates:
        print(
            f"  {result.possible_duplicates} new leads share a phone or a name with another "
            "lead but have their own email: possible duplicates, kept apart.",
            file=sys.stderr,
        )
    for rejected in result.rejected_sample[:5]:
        print(f"  line {rejected.line_number}: {rejected.reason}", file=sys.stderr)
    if result.rejected > 5 and errors_path is None:
        print("  … use --errors OUT.csv for the full list.", file=sys.stderr)
    return 0


def _print_columns(
    headers: tuple[str, ...], targets: tuple[str | None, ...], reasons: tuple[Any, ...]
) -> None:
    """A dry run's mapping, a column a line with why (on stderr, beside the rows' notes)."""
    from leaddesk.core.csv_import.targets import target_label

    for header, target, reason in zip(headers, targets, reasons, strict=True):
        why = f": {reason.text}" if reason.text else ""
        print(f"  {header} → {target_label(target)}{why}", file=sys.stderr)
