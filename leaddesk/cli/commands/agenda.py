"""``leaddesk agenda``: overdue, today's and upcoming follow-ups, and leads with no next step."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from leaddesk.cli.context import local_time, open_context, time_zone


def run(args: argparse.Namespace) -> int:
    from leaddesk.storage.agenda_queries import load_agenda

    zone = time_zone(args)
    ctx = open_context(args)
    if args.ics is not None:
        from leaddesk.operations.agenda_export import export_follow_ups_ics

        count = export_follow_ups_ics(ctx, args.ics)
        print(f"Wrote {count} open follow-up{'s' if count != 1 else ''} to {args.ics}.")
        return 0
    with ctx.db.reading() as connection:
        agenda = load_agenda(connection, ctx.clock.now(), zone)
    sections = {
        "overdue": agenda.overdue,
        "today": agenda.today,
        "upcoming": agenda.upcoming,
    }
    if args.json:
        document: dict[str, list[dict[str, Any]]] = {
            name: [
                {
                    "follow_up_id": entry.follow_up_id,
                    "lead_id": entry.lead_id,
                    "name": entry.name,
                    "due": entry.due_at.isoformat(),
                    "note": entry.note,
                }
                for entry in entries
            ]
            for name, entries in sections.items()
        }
        document["no_next_step"] = [
            {
                "follow_up_id": None,
                "lead_id": lead.lead_id,
                "name": lead.name,
                "due": None,
                "note": None,
            }
            for lead in agenda.no_next_step
        ]
        json.dump(document, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    titles = {"overdue": "Overdue", "today": "Today", "upcoming": "Upcoming (7 days)"}
    for name, entries in sections.items():
        print(f"{titles[name]} ({len(entries)})")
        for entry in entries:
            note = f" — {entry.note}" if entry.note else ""
            print(
                f"  #{entry.follow_up_id:<6} {local_time(entry.due_at, zone)}  "
                f"{entry.name} (lead {entry.lead_id}){note}"
            )
    print(f"No next step ({len(agenda.no_next_step)})")
    for lead in agenda.no_next_step:
        print(f"  lead {lead.lead_id:<6} {lead.name}")
    return 0
