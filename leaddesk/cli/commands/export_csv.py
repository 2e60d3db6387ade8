"""``leaddesk export FILE``: export leads to a CSV file that is safe in Excel."""

from __future__ import annotations

import argparse

from leaddesk.cli.context import open_context
from leaddesk.cli.gc_pause import paused_gc


def run(args: argparse.Namespace) -> int:
    with paused_gc():
        from leaddesk.operations.exporting import ExportFlavour, export_leads
        from leaddesk.storage.queries import LeadFilter

        ctx = open_context(args)
    lead_filter = LeadFilter(search=args.search, temperature=args.temperature, stage=args.stage)
    count = export_leads(
        ctx, args.file, lead_filter=lead_filter, flavour=ExportFlavour(args.flavour)
    )
    print(f"Exported {count} lead{'s' if count != 1 else ''} to {args.file}.")
    return 0
