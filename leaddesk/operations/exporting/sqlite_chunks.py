"""The export's reading on SQLite: whole chunks of lines, the next read while this one is written.

Part of the export (leaddesk.operations.exporting). The leads to export are
first numbered in a temporary table (in id order, so any filter or selection
is evaluated once). Then each chunk is one aggregate statement: SQLite builds
its chunk of lines (sqlite_lines) and joins them itself, and hands back
one value instead of a row per lead. While SQLite builds a chunk it releases
Python's interpreter lock, so the next chunk is read on a helper thread while
the export thread writes this one: the two halves of the work overlap.

Only one thread uses the connection at a time: the helper's reads and the
export thread's read_again hold the same lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import Column, Connection, Integer, MetaData, Select, Table, bindparam, func, select
from sqlalchemy import literal as sql_literal

from leaddesk.operations.exporting.sqlite_lines import ROW_MARK, LineChunk
from leaddesk.storage.bulk_write import quick_lock_handover
from leaddesk.storage.schema import leads, owners

# The leads of one export in the order written; a temporary table lives in the
# connection's own temporary schema, which no other connection sees.
_EXPORT_ORDER = Table(
    "leaddesk_export_order",
    MetaData(),
    Column("n", Integer, primary_key=True),
    Column("lead_id", Integer, nullable=False),
    prefixes=["TEMPORARY"],
)


def _number_leads(
    connection: Connection,
    matching_ids: Select[Any],
    lead_ids: Iterable[int] | None,
    id_batch: int,
) -> int:
    """Fill the export's order table; return how many leads it holds."""
    driver = connection.connection.driver_connection
    assert driver is not None
    # Left behind by an earlier export on this pooled connection that was never closed.
    driver.execute(f"DROP TABLE IF EXISTS temp.{_EXPORT_ORDER.name}")
    _EXPORT_ORDER.create(connection)
    if lead_ids is None:
        batches = [matching_ids]
    else:
        ordered = sorted(set(lead_ids))
        batches = [
            matching_ids.where(leads.c.id.in_(ordered[start : start + id_batch]))
            for start in range(0, len(ordered), id_batch)
        ]
    for batch in batches:
        connection.execute(
            _EXPORT_ORDER.insert().from_select(
                ["lead_id"], select(leads.c.id).where(leads.c.id.in_(batch)).order_by(leads.c.id)
            )
        )
    return int(connection.execute(select(func.count()).select_from(_EXPORT_ORDER)).scalar_one())


def _chunk_statement(
    connection: Connection, line: Any
) -> tuple[str, Callable[[int, int], list[Any]]]:
    """The SQL of one chunk's aggregate, and its parameters for leads numbered first..last."""
    numbered = (
        select(leads.c.id.label("lead_id"), line.label("line"))
        .select_from(
            _EXPORT_ORDER.join(leads, leads.c.id == _EXPORT_ORDER.c.lead_id).outerjoin(
                owners, owners.c.id == leads.c.owner_id
            )
        )
        .where(_EXPORT_ORDER.c.n.between(bindparam("chunk_first"), bindparam("chunk_last")))
        .order_by(_EXPORT_ORDER.c.n)
        .subquery()
    )
    aggregate = select(
        func.count(),
        func.group_concat(numbered.c.lead_id),
        func.group_concat(numbered.c.line, sql_literal(ROW_MARK)),
    )
    compiled = aggregate.compile(dialect=connection.dialect)
    names = list(compiled.positiontup or ())
    fixed = dict(compiled.params)

    def parameters(first: int, last: int) -> list[Any]:
        values = {**fixed, "chunk_first": first, "chunk_last": last}
        return [values[name] for name in names]

    return str(compiled), parameters


def read_line_chunks(
    connection: Connection,
    line: Any,
    matching_ids: Select[Any],
    lead_ids: Iterable[int] | None,
    *,
    chunk_rows: int,
    id_batch: int,
    lock: threading.Lock,
) -> tuple[int, Generator[LineChunk, None, None]]:
    """How many leads will be exported, and their lines a LineChunk at a time.

    ``line`` is the marked line of one lead (sqlite_lines); ``lock`` is
    held while the connection is used, and must be held by anyone else using
    it before the chunks are exhausted or closed.
    """
    total = _number_leads(connection, matching_ids, lead_ids, id_batch)
    sql, parameters = _chunk_statement(connection, line)
    driver = connection.connection.driver_connection
    assert driver is not None

    def fetch(first: int) -> LineChunk:
        with lock:
            # Undecoded: the lines go to the file as the UTF-8 SQLite stores.
            previous = driver.text_factory
            driver.text_factory = bytes
            try:
                count, ids, text = driver.execute(
                    sql, parameters(first, first + chunk_rows - 1)
                ).fetchone()
            finally:
                driver.text_factory = previous
        return LineChunk(int(count), ids or b"", text or b"")

    def chunks() -> Generator[LineChunk, None, None]:
        pending: Future[LineChunk] | None = None
        with (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="leaddesk-export") as helper,
            quick_lock_handover(),
        ):
            try:
                starts = iter(range(1, total + 1, chunk_rows))
                first = next(starts, None)
                if first is not None:
                    pending = helper.submit(fetch, first)
                while pending is not None:
                    chunk = pending.result()
                    first = next(starts, None)
                    pending = helper.submit(fetch, first) if first is not None else None
                    yield chunk
            finally:
                # Closed early (a cancel, an error): the read in flight ends first.
                if pending is not None:
                    pending.cancel()
                    helper.shutdown(wait=True)
                with lock:
                    _EXPORT_ORDER.drop(connection)

    return total, chunks()
