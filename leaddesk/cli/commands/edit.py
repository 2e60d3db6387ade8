"""``leaddesk edit LEAD_ID --company Acme --job-title CTO ...``: change some fields of a lead.

Only the fields given change (blank text clears one). A new temperature or stage
is gated as on the board (see ``leaddesk.cli.gates``): the edit's other values
may answer it. One operation (``update_lead``), so the lead's version, time,
editor and stage history move as they do from the form.
"""

from __future__ import annotations

import argparse
import json

from leaddesk.cli.context import open_context
from leaddesk.cli.field_options import ValueReader, given_texts
from leaddesk.cli.gates import answer_gate, refusal
from leaddesk.cli.lead_output import lead_records, warn_soft_problems
from leaddesk.core.fields import FIELDS_BY_NAME, Stage, Temperature
from leaddesk.errors import UserError


def run(args: argparse.Namespace) -> int:
    from leaddesk.cli.commands.duplicates import report_marked
    from leaddesk.operations.leads import LeadNotFoundError, update_lead
    from leaddesk.operations.undo_journal import journaled
    from leaddesk.storage.lead_rows import lead_fields
    from leaddesk.storage.queries import lead_row

    texts = given_texts(args)
    if not texts:
        raise UserError("Say what to change, such as --company Acme (see 'leaddesk edit --help').")
    ctx = open_context(args)
    with ctx.db.reading() as connection:
        row = lead_row(connection, args.lead_id)
        if row is None:
            raise LeadNotFoundError(args.lead_id)
        values = ValueReader.load(connection).read_texts(texts)
    stored = lead_fields(row._mapping)
    temperature, stage = values.get("temperature"), values.get("stage")
    moving = (temperature is not None and temperature != stored["temperature"]) or (
        stage is not None and stage != stored["stage"]
    )
    if moving:
        others = {k: v for k, v in values.items() if k not in ("temperature", "stage")}
        merged = {**stored, **others}
        answer = answer_gate(
            merged, {}, temperature=temperature, stage=stage, skip=args.skip_questions
        )
        if answer.missing:
            target = (
                Stage(stage).label if stage is not None else Temperature(str(temperature)).label
            )
            raise UserError(
                refusal(
                    target,
                    {args.lead_id: answer.missing},
                    reason_option="--disqualification-reason",
                )
            )
    warn_soft_problems(values)
    with journaled(ctx, "Edit {leads}", [args.lead_id]):
        outcome = update_lead(ctx, args.lead_id, values)
    report_marked(ctx, [args.lead_id])
    if args.json:
        with ctx.db.reading() as connection:
            (record,) = lead_records(connection, [args.lead_id], ctx.clock.now())
        print(json.dumps(record, ensure_ascii=False))
    elif outcome.changes:
        labels = ", ".join(FIELDS_BY_NAME[name].label.lower() for name in values)
        print(f"Saved lead {args.lead_id}: {labels}.")
    else:
        print(f"Lead {args.lead_id} already had those values; nothing changed.")
    return 0
