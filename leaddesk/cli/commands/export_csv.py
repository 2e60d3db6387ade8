"""``leaddesk export FILE``: export leads to a CSV file that is safe in Excel, or to FILE.xlsx.

The file name decides: FILE.xlsx gets an Excel workbook with typed cells, any
other name a CSV file in the ``--format`` chosen (which a workbook has no use for).
"""

from __future__ import annotations

import argparse

from leaddesk.cli.context import open_context
from leaddesk.cli.gc_pause import paused_gc
from leaddesk.errors import UserError


def run(args: argparse.Namespace) -> int:
    with paused_gc():
        from leaddesk.operations.exporting import (
            ExportFlavour,
            export_leads,
            export_leads_xlsx,
            is_xlsx_path,
        )
        from leaddesk.storage.queries import LeadFilter

        ctx = open_context(args)
    lead_filter = LeadFilter(search=args.search, temperature=args.temperature, stage=args.stage)
    if is_xlsx_path(args.file):
        if args.flavour is not None:
            raise UserError(
                "--format chooses how a CSV file is written; an .xlsx workbook has no such choice."
            )
        count = export_leads_xlsx(ctx, args.file, lead_filter=lead_filter)
    else:
        flavour = ExportFlavour(args.flavour or ExportFlavour.EXCEL_UTF8)
        count = export_leads(ctx, args.file, lead_filter=lead_filter, flavour=flavour)
    print(f"Exported {count} lead{'s' if count != 1 else ''} to {args.file}.")
    return 0
