"""``leaddesk move LEAD_ID... --temperature T | --stage S``: move leads as a drag on the board does.

Gated as on the board (``leaddesk.cli.gates``): a move to a further tier needs
that tier's missing fields, answered by options for every lead that lacks them,
or the move is refused naming them (``--skip-questions`` moves anyway, as Skip
does); Disqualified needs ``--reason``, Customer asks ``--won-value``. The
leads go to the top of their new column, all in one operation
(``move_leads_filling``).
"""

from __future__ import annotations

import argparse

from leaddesk.cli.context import open_context
from leaddesk.cli.field_options import ValueReader, given_texts
from leaddesk.cli.gates import answer_gate, refusal
from leaddesk.cli.lead_output import warn_soft_problems
from leaddesk.core.fields import BoardGrouping, Stage, Temperature
from leaddesk.errors import UserError


def run(args: argparse.Namespace) -> int:
    from leaddesk.operations.leads import LeadNotFoundError, move_leads_filling
    from leaddesk.operations.undo_journal import journaled
    from leaddesk.storage.lead_rows import lead_fields
    from leaddesk.storage.queries import LeadFilter, lead_list_query
    from leaddesk.storage.schema import leads

    texts = given_texts(args)
    if args.reason is not None:
        texts["disqualification_reason"] = args.reason
    if args.temperature is not None:
        grouping, value, target = (
            BoardGrouping.TEMPERATURE,
            args.temperature,
            Temperature(args.temperature).label,
        )
    else:
        grouping, value, target = BoardGrouping.STAGE, args.stage, Stage(args.stage).label
    ids = list(dict.fromkeys(args.lead_ids))
    ctx = open_context(args)
    with ctx.db.reading() as connection:
        answers = ValueReader.load(connection).read_texts(texts)
        query = lead_list_query(connection.dialect.name, LeadFilter()).where(leads.c.id.in_(ids))
        stored = {row.id: lead_fields(row._mapping) for row in connection.execute(query)}
    for lead_id in ids:
        if lead_id not in stored:
            raise LeadNotFoundError(lead_id)
    fill, missing = {}, {}
    for lead_id in ids:
        answer = answer_gate(
            stored[lead_id], answers, skip=args.skip_questions, **{grouping.value: value}
        )
        fill[lead_id] = answer.fill
        if answer.missing:
            missing[lead_id] = answer.missing
    if missing:
        raise UserError(refusal(target, missing))
    warn_soft_problems(answers)
    with journaled(ctx, f"Move {{leads}} to {target}", ids):
        move_leads_filling(ctx, ids, grouping, value, fill)
    count = f"lead {ids[0]}" if len(ids) == 1 else f"{len(ids)} leads"
    print(f"Moved {count} to {target}.")
    return 0
