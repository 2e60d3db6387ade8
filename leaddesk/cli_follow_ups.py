"""Commands for the next steps: agenda, follow-up, done, snooze and log.

Registered by ``leaddesk.cli.build_parser``; as there, building the parser
imports nothing but argparse, and each command imports what it needs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leaddesk.core.fields import ActivityKind
from leaddesk.errors import UserError

# As leaddesk.core.agenda.Preset and SnoozeOption (a test keeps them in step),
# spelled out so that the help text needs no import.
WHEN_PRESETS = ("1h", "afternoon", "tomorrow", "next-monday", "week")
SNOOZE_OPTIONS = ("15m", "1h", "tomorrow")
DONE_KINDS = ("call", "email", "meeting", "note")

CommandFactory = Callable[[str, Callable[[argparse.Namespace], int], str], Any]


def _add_timezone_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="the time zone for days and local times, such as Europe/Berlin "
        "(default: $TZ or the system's)",
    )


def add_commands(command: CommandFactory) -> None:
    """Add the follow-up commands through cli's ``command(name, handler, help)``."""
    agenda = command(
        "agenda",
        _cmd_agenda,
        "list overdue, today's and upcoming follow-ups and the open leads with no next step",
    )
    agenda_output = agenda.add_mutually_exclusive_group()
    agenda_output.add_argument("--json", action="store_true", help="print JSON")
    agenda_output.add_argument(
        "--ics",
        metavar="FILE",
        type=Path,
        help="write every open follow-up to an iCalendar file for calendar apps",
    )
    _add_timezone_option(agenda)

    follow_up = command("follow-up", _cmd_follow_up, "plan the next step on a lead")
    follow_up.add_argument("lead_id", metavar="LEAD_ID", type=int)
    follow_up.add_argument(
        "when",
        metavar="WHEN",
        help="an ISO date-time (2026-03-30T14:00; local time unless it has a zone), "
        f"a date (9:00 that day), or {', '.join(WHEN_PRESETS)}",
    )
    follow_up.add_argument("note", metavar="NOTE", nargs="?", help="what to do")
    follow_up.add_argument("--json", action="store_true", help="print the new follow-up as JSON")
    _add_timezone_option(follow_up)

    done = command("done", _cmd_done, "mark a follow-up done and log it as an activity")
    done.add_argument("follow_up_id", metavar="FOLLOW_UP_ID", type=int)
    done.add_argument(
        "--kind",
        choices=DONE_KINDS,
        default="call",
        help="how it was done (default: call; note when the lead was not contacted)",
    )
    done.add_argument(
        "--text", metavar="TEXT", help="what happened (default: the follow-up's note)"
    )

    snooze = command("snooze", _cmd_snooze, "put a follow-up off for a while")
    snooze.add_argument("follow_up_id", metavar="FOLLOW_UP_ID", type=int)
    snooze.add_argument("until", metavar="FOR", choices=SNOOZE_OPTIONS, help="15m, 1h or tomorrow")
    _add_timezone_option(snooze)

    log_activity = command("log", _cmd_log, "log an activity on a lead: a contact or a signal")
    log_activity.add_argument("lead_id", metavar="LEAD_ID", type=int)
    log_activity.add_argument(
        "kind",
        metavar="KIND",
        choices=[kind.value for kind in ActivityKind],
        help=", ".join(kind.value for kind in ActivityKind),
    )
    log_activity.add_argument("text", metavar="TEXT", nargs="?", help="what happened")
    log_activity.add_argument("--json", action="store_true", help="print the result as JSON")


def _context(args: argparse.Namespace) -> Any:
    # Opening the database for a command is done in one place, cli.py.
    from leaddesk.cli import _context as open_context

    return open_context(args)


def _zone(args: argparse.Namespace) -> dt.tzinfo:
    from leaddesk.core.agenda import UnknownTimeZoneError, user_zone

    try:
        return user_zone(args.timezone)
    except UnknownTimeZoneError as error:
        raise UserError(str(error)) from None


def _local(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """A due time as the user reads it: 'Tue 17 Nov 2026 09:00 CET'."""
    return moment.astimezone(zone).strftime("%a %d %b %Y %H:%M %Z")


def _cmd_agenda(args: argparse.Namespace) -> int:
    from leaddesk.storage.agenda_queries import load_agenda

    zone = _zone(args)
    ctx = _context(args)
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
                f"  #{entry.follow_up_id:<6} {_local(entry.due_at, zone)}  "
                f"{entry.name} (lead {entry.lead_id}){note}"
            )
    print(f"No next step ({len(agenda.no_next_step)})")
    for lead in agenda.no_next_step:
        print(f"  lead {lead.lead_id:<6} {lead.name}")
    return 0


def _cmd_follow_up(args: argparse.Namespace) -> int:
    from leaddesk.core.agenda import WhenError, parse_when
    from leaddesk.operations.follow_ups import add_follow_up

    zone = _zone(args)
    ctx = _context(args)
    now = ctx.clock.now()
    try:
        due_at = parse_when(args.when, now, zone)
    except WhenError as error:
        raise UserError(str(error)) from None
    follow_up_id, _changes = add_follow_up(ctx, args.lead_id, due_at, args.note)
    if args.json:
        print(
            json.dumps(
                {"follow_up_id": follow_up_id, "lead_id": args.lead_id, "due": due_at.isoformat()}
            )
        )
        return 0
    overdue = " (already overdue)" if due_at < now else ""
    print(
        f"Added follow-up {follow_up_id} to lead {args.lead_id}, "
        f"due {_local(due_at, zone)}{overdue}."
    )
    return 0


def _cmd_done(args: argparse.Namespace) -> int:
    from leaddesk.operations.follow_ups import complete_follow_up

    ctx = _context(args)
    changes = complete_follow_up(ctx, args.follow_up_id, log_text=args.text, kind=args.kind)
    (lead_id,) = changes.updated
    print(
        f"Done: follow-up {args.follow_up_id}, logged as a {args.kind} on lead {lead_id}. "
        f"Plan the next step with 'leaddesk follow-up {lead_id} WHEN'."
    )
    return 0


def _cmd_snooze(args: argparse.Namespace) -> int:
    from leaddesk.core.agenda import SnoozeOption, snooze_until
    from leaddesk.operations.follow_ups import snooze_follow_up

    zone = _zone(args)
    ctx = _context(args)
    until = snooze_until(SnoozeOption(args.until), ctx.clock.now(), zone)
    snooze_follow_up(ctx, args.follow_up_id, until)
    print(f"Snoozed follow-up {args.follow_up_id} until {_local(until, zone)}.")
    return 0


def _cmd_log(args: argparse.Namespace) -> int:
    from leaddesk.operations.activities import log_activity
    from leaddesk.storage.queries import lead_row

    ctx = _context(args)
    activity_id, _changes = log_activity(ctx, args.lead_id, args.kind, args.text)
    with ctx.db.reading() as connection:
        lead = lead_row(connection, args.lead_id)
    score = lead.score if lead is not None else None
    if args.json:
        print(json.dumps({"activity_id": activity_id, "lead_id": args.lead_id, "score": score}))
        return 0
    label = ActivityKind(args.kind).label.lower()
    print(f"Logged {label} on lead {args.lead_id} (activity {activity_id}); score {score}.")
    return 0
