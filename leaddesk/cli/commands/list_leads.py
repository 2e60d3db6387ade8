"""``leaddesk list``: the leads, as text lines or as a JSON array."""

from __future__ import annotations

import argparse
import json
import sys

from leaddesk.cli.context import open_context


def run(args: argparse.Namespace) -> int:
    from leaddesk.storage.queries import LeadFilter, lead_list_query
    from leaddesk.storage.records import lead_record

    ctx = open_context(args)
    lead_filter = LeadFilter(search=args.search, temperature=args.temperature, stage=args.stage)
    with ctx.db.reading() as connection:
        rows = connection.execute(lead_list_query(ctx.db.dialect, lead_filter))
        records = [lead_record(row) for row in rows]
        if args.json:
            from leaddesk.operations.lead_listing import add_list_extras

            add_list_extras(connection, records, ctx.clock.now())
    if args.json:
        # One lead per line, each by the C encoder: indent= would make json use its
        # pure-Python encoder, several times slower on 100,000 leads.
        sys.stdout.write("[\n")
        sys.stdout.write(",\n".join(json.dumps(record, ensure_ascii=False) for record in records))
        sys.stdout.write("\n]\n")
        return 0
    for record in records:
        name = " ".join(filter(None, (record["first_name"], record["last_name"])))
        print(
            f"{record['id']:>6}  {record['temperature']:<4}  {record['stage']:<12}  "
            f"{record['score']:>3}  {name or record['email'] or ''}"
            f"{'  · ' + record['company'] if record['company'] else ''}"
        )
    print(f"{len(records)} lead{'s' if len(records) != 1 else ''}", file=sys.stderr)
    return 0
