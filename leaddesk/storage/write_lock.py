"""How a transaction says it will write, for the engine's ``begin`` hook (storage/database.py).

A connection carrying this execution option starts its transaction with
``BEGIN IMMEDIATE`` on SQLite: it takes the write lock at once, waiting up to
the busy timeout for another writer, instead of failing half-way. Its own
module so that the migration runner can ask for it without importing the
module that imports the runner.
"""

from __future__ import annotations

WRITE_OPTION = "leaddesk_write"
