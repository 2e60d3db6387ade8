"""``leaddesk add``: add a lead from options, or leads from JSON (``--json -`` reads stdin).

Prints the new id (one per line), or with ``--json`` the lead as ``list --json``
prints it (an array when the input was an array). Every lead is added in one
transaction: one that cannot be stored adds none.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from leaddesk.cli.context import open_context
from leaddesk.cli.field_options import ValueReader, given_texts
from leaddesk.cli.lead_output import lead_records, warn_soft_problems
from leaddesk.errors import UserError

# More leads than this belong in a CSV import (one transaction, duplicates, undo).
MAX_JSON_LEADS = 10_000


def run(args: argparse.Namespace) -> int:
    from leaddesk.cli.commands.duplicates import report_marked
    from leaddesk.operations.leads import create_leads
    from leaddesk.operations.undo_journal import journaled

    texts = given_texts(args)
    source: str | None = args.json if isinstance(args.json, str) else None
    if source is not None and texts:
        raise UserError("Give the lead's fields as options or as JSON, not both.")
    if source is None and not texts:
        raise UserError("Give the lead's fields, such as --first-name Ada --email ada@example.com.")
    payload = _read_json(source) if source is not None else None
    ctx = open_context(args)
    with ctx.db.reading() as connection:
        reader = ValueReader.load(connection)
    if payload is None:
        leads_values = [reader.read_texts(texts)]
    else:
        items = payload if isinstance(payload, list) else [payload]
        leads_values = [
            _from_json(reader, item, index, len(items)) for index, item in enumerate(items, 1)
        ]
    for position, values in enumerate(leads_values, start=1):
        warn_soft_problems(values, f"lead {position}: " if len(leads_values) > 1 else "")
    with journaled(ctx, "Add {leads}", []) as scope:
        ids = create_leads(ctx, leads_values).value
        scope.add_created(ids)
    report_marked(ctx, ids)
    if args.json is False:
        print("\n".join(str(lead_id) for lead_id in ids))
        return 0
    with ctx.db.reading() as connection:
        records = lead_records(connection, ids, ctx.clock.now())
    print(json.dumps(records if isinstance(payload, list) else records[0], ensure_ascii=False))
    return 0


def _read_json(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(
            f"Cannot read {source}: {getattr(error, 'strerror', None) or error}."
        ) from None
    where = "standard input" if source == "-" else source
    try:
        payload = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        detail = getattr(error, "msg", "too deeply nested")
        raise UserError(f"{where} is not JSON ({detail}).") from None
    if isinstance(payload, list):
        if not payload:
            raise UserError(f"{where} holds an empty list: there is no lead to add.")
        if len(payload) > MAX_JSON_LEADS:
            raise UserError(
                f"{where} holds {len(payload):,} leads; import more than "
                f"{MAX_JSON_LEADS:,} from a CSV file with 'leaddesk import'."
            )
        return payload
    if isinstance(payload, dict):
        return payload
    raise UserError(f"{where} must hold a lead object or a list of them.")


def _from_json(reader: ValueReader, item: Any, position: int, count: int) -> dict[str, Any]:
    label = f"Lead {position}: " if count > 1 else ""
    if not isinstance(item, dict):
        raise UserError(
            f'{label or "The input "}must be a lead object, such as {{"first_name": "Ada"}}.'
        )
    return reader.read_json(item, label=label)
