"""The full-text index of a bulk import, filled a chunk at a time.

Part of the bulk-write helpers (bulk_write): the per-row insert trigger of the
search index is dropped inside the import's own transaction, each chunk of new
leads is indexed by one statement, and the trigger is put back before the
commit, so no other connection sees the index without it.
"""

from __future__ import annotations

from sqlalchemy import Connection

from leaddesk.storage.bulk_write import is_sqlite

SEARCHED_COLUMNS = "first_name, last_name, email, phone, company, job_title"


class BulkSearchIndex:
    """Index an import's new leads a chunk at a time instead of row by row.

    The per-row insert trigger costs far more than one INSERT ... SELECT per
    chunk of new leads (an id range), which also runs off the import's thread
    (bulk_write.StatementsOffThread). The trigger is dropped inside the
    import's own transaction and put back before it commits (see the module
    docstring).
    """

    TRIGGER = "leads_search_insert"

    def __init__(self, trigger_sql: str) -> None:
        self._trigger_sql = trigger_sql
        self._indexed_through = 0  # the highest lead id indexed so far

    @classmethod
    def start(cls, connection: Connection) -> BulkSearchIndex | None:
        if not is_sqlite(connection):
            return None
        trigger_sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (cls.TRIGGER,)
        ).scalar()
        if not trigger_sql:
            return None
        connection.exec_driver_sql(f"DROP TRIGGER {cls.TRIGGER}")
        return cls(trigger_sql)

    def index_range(self, connection: Connection, lead_ids: range) -> None:
        """Index the new leads with these ids, the next range the import created."""
        connection.exec_driver_sql(
            f"INSERT INTO lead_search(rowid, {SEARCHED_COLUMNS}) "
            f"SELECT id, {SEARCHED_COLUMNS} FROM leads WHERE id BETWEEN ? AND ?",
            (lead_ids.start, lead_ids.stop - 1),
        )
        self._indexed_through = max(self._indexed_through, lead_ids.stop - 1)

    def check_indexed(self, lead_ids: list[int]) -> None:
        """Refuse to go on if an update would reach a new lead not indexed yet.

        The update trigger removes a lead's old words from the index, which must
        be there. Each chunk's range is indexed before the next chunk looks up
        the leads it updates, so this never happens; if it did, the import fails
        (and rolls back) instead of damaging the index.
        """
        if any(lead_id > self._indexed_through for lead_id in lead_ids):
            raise RuntimeError("an import updated a new lead before indexing it for search")

    def finish(self, connection: Connection) -> None:
        """Put the trigger back; every new lead was indexed with its range."""
        connection.exec_driver_sql(self._trigger_sql)
