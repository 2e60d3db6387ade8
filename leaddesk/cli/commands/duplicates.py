"""``leaddesk duplicates``: the possible duplicates waiting for review, newest first.

Pairs of leads with different emails but the same phone or a close name at the
same company, recorded by an import, the form or ``add``/``edit``. Each is
settled with ``leaddesk merge KEEP OTHER`` or, in the window, *Not a duplicate*.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leaddesk.operations.context import OperationContext


def run(args: argparse.Namespace) -> int:
    from leaddesk.cli.context import open_context
    from leaddesk.storage.duplicates import open_pairs

    ctx = open_context(args)
    with ctx.db.reading() as connection:
        pairs = open_pairs(connection)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "lead": pair.lead_id,
                        "name": pair.lead_name,
                        "possible_duplicate_of": pair.other_id,
                        "other_name": pair.other_name,
                        "reason": pair.reason,
                        "found_at": pair.found_at.isoformat(),
                    }
                    for pair in pairs
                ],
                ensure_ascii=False,
            )
        )
        return 0
    if not pairs:
        print("No possible duplicates to review.")
        return 0
    for pair in pairs:
        print(
            f"{pair.lead_id:>7}  {pair.lead_name} may be {pair.other_name} "
            f"(lead {pair.other_id}): {pair.reason}; "
            f"merge with 'leaddesk merge {pair.other_id} {pair.lead_id}'"
        )
    return 0


def report_marked(ctx: OperationContext, lead_ids: list[int]) -> None:
    """Record the possible duplicates of leads just saved, and say so on stderr."""
    from leaddesk.operations.duplicate_marks import mark_possible_duplicates

    if mark_possible_duplicates(ctx, lead_ids).value:
        print(
            "leaddesk: note: a lead shares a phone or a name with another lead but has its "
            "own email: a possible duplicate, kept apart ('leaddesk duplicates' lists them).",
            file=sys.stderr,
        )
