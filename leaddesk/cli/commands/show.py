"""``leaddesk show LEAD_ID``: one lead's fields, score and why, follow-ups, recent activities.

``--json`` prints the lead as ``list --json`` does, plus ``follow_ups`` (the open
ones, soonest first) and ``activities`` (the latest, newest first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from leaddesk.cli.context import local_time, open_context, time_zone
from leaddesk.cli.lead_output import lead_records
from leaddesk.core.fields import LEAD_FIELDS, FieldKind, display_name
from leaddesk.errors import UserError

RECENT_ACTIVITIES = 10


def run(args: argparse.Namespace) -> int:
    from leaddesk.storage.agenda_queries import open_follow_ups
    from leaddesk.storage.lead_history import lead_activities

    zone = time_zone(args)
    ctx = open_context(args)
    with ctx.db.reading() as connection:
        records = lead_records(connection, [args.lead_id], ctx.clock.now())
        if not records:
            raise UserError(f"There is no lead with id {args.lead_id}.")
        record = records[0]
        record["follow_ups"] = [
            {"id": entry.follow_up_id, "due_at": entry.due_at.isoformat(), "note": entry.note}
            for entry in open_follow_ups(connection, lead_id=args.lead_id)
        ]
        record["activities"] = [
            {
                "id": entry.id,
                "kind": entry.kind,
                "occurred_at": entry.occurred_at.isoformat(),
                "text": entry.text,
                "created_by": entry.created_by,
            }
            for entry in lead_activities(connection, args.lead_id, limit=RECENT_ACTIVITIES)
        ]
    if args.json:
        print(json.dumps(record, ensure_ascii=False))
        return 0
    print("\n".join(_text(record, zone)))
    return 0


def _text(record: dict[str, Any], zone: dt.tzinfo) -> list[str]:
    name = display_name(record["first_name"], record["last_name"], record["email"])
    company = f" · {record['company']}" if record["company"] else ""
    lines = [
        f"Lead {record['id']}: {name}{company}",
        f"Score {record['score']} (suggests {record['suggested_temperature']})",
    ]
    lines += [f"  {reason['points']:+4d}  {reason['rule']}" for reason in record["score_reasons"]]
    lines.append("")
    width = max(len(field.label) for field in LEAD_FIELDS)
    for field in LEAD_FIELDS:
        value = record[field.name]
        if value is None or value == "":
            continue
        lines.append(f"{field.label:<{width}}  {_shown(field.kind, value)}")
    lines += ["", "Follow-ups:" if record["follow_ups"] else "Follow-ups: none planned"]
    for follow_up in record["follow_ups"]:
        due = local_time(dt.datetime.fromisoformat(follow_up["due_at"]), zone)
        lines.append(f"  {follow_up['id']:>5}  {due}  {follow_up['note'] or ''}".rstrip())
    lines += ["", "Recent activities:" if record["activities"] else "Activities: none yet"]
    for activity in record["activities"]:
        when = local_time(dt.datetime.fromisoformat(activity["occurred_at"]), zone)
        by = f" ({activity['created_by']})" if activity["created_by"] else ""
        text = f"  {activity['text']}" if activity["text"] else ""
        lines.append(f"  {when}  {activity['kind']}{by}{text}")
    return [line.replace("\n", " ") for line in lines]


def _shown(kind: FieldKind, value: Any) -> str:
    if kind is FieldKind.BOOL:
        return "yes" if value else "no"
    if kind is FieldKind.MONEY:
        return f"{value:,.2f}".removesuffix(".00")
    return str(value)
