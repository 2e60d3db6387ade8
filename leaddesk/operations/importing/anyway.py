""" "Import these anyway": rows an import skipped as duplicates, created after all.

The new leads join the same import (its batch), so undoing the import removes
them with the rest; the import's counts move from skipped to created.
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import chain
from typing import Any

from sqlalchemy import select, update

from leaddesk.core.csv_import.mapping import ColumnMapping
from leaddesk.core.import_merge import DuplicatePolicy
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.importing.batch_writer import (
    ImportBatchWriter,
    ParsedLine,
    contact_columns,
    status_columns,
)
from leaddesk.operations.importing.result import DuplicateAction, ImportResult
from leaddesk.storage.import_history import changed_since_import
from leaddesk.storage.schema import import_batches


def import_anyway(
    ctx: OperationContext, result: ImportResult, lines: Collection[int]
) -> Outcome[None]:
    """Create the rows of ``result`` on ``lines`` that it skipped, as new leads of its import.

    Rows on other lines, or not skipped, are left alone. ``result`` is updated:
    its counts, and those rows' action ("imported anyway", with their lead).
    """
    if result.batch_id is None:
        raise UserError("A dry run imported nothing; run the import first.")
    wanted = set(lines)
    # The rows listed for review (the result's sample) keep their values for this.
    rows: list[ParsedLine] = [
        (row.line_number, *result.anyway_rows[row.line_number])
        for row in result.duplicates_sample
        if row.action is DuplicateAction.SKIPPED
        and row.line_number in wanted
        and row.line_number in result.anyway_rows
    ]
    if not rows:
        raise UserError("None of the chosen rows was skipped; there is nothing to import.")
    batch_id = result.batch_id
    with ctx.db.transaction() as connection:
        batch = connection.execute(
            select(import_batches).where(import_batches.c.id == batch_id)
        ).one_or_none()
        if batch is None:
            raise UserError(f"There is no import with number {batch_id}.")
        if batch.undone_at is not None:
            raise UserError(f"Import {batch_id} was undone; its rows cannot be added to it.")
        # Asked before the new leads exist: they are changed "after" the import's end.
        changed_since = changed_since_import(connection, batch_id, batch.finished_at)
        mapping = ColumnMapping(tuple(batch.mapping["headers"]), tuple(batch.mapping["targets"]))
        writer = ImportBatchWriter(
            ctx,
            connection,
            batch_id,
            DuplicatePolicy.CREATE,
            len(rows),
            status_columns=status_columns(mapping),
            contact_columns=contact_columns(mapping),
        )
        try:
            writer.process_chunk(rows)
            writer.finish()
        finally:
            writer.close()
            writer.result.close()
        created = list(chain.from_iterable(writer.created_ranges))
        values: dict[str, Any] = {
            "created": import_batches.c.created + len(created),
            "skipped": import_batches.c.skipped - len(created),
        }
        if not changed_since:
            # The import now ends with these leads: undo checks for later changes
            # from here. (If something changed already, undo stays refused.)
            values["finished_at"] = writer.now
        connection.execute(
            update(import_batches).where(import_batches.c.id == batch_id).values(values)
        )
    result.mark_imported_anyway(
        {line: lead_id for (line, _cells, _values), lead_id in zip(rows, created, strict=True)}
    )
    result.countdowns += writer.result.countdowns
    return Outcome(
        Changes(
            created=frozenset(created),
            board=True,
            settings=writer.owners_added > 0,
            description=f"Import {len(created)} skipped rows anyway",
        ),
        None,
    )
