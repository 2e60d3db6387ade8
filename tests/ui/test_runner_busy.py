"""A user's edit that meets a busy database: one sentence, and the edit stays in the form.

"Busy" is real here: another sqlite3 connection holds the write lock (BEGIN
IMMEDIATE) for longer than the busy timeout, lowered for the test.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from leaddesk.errors import BUSY_MESSAGE
from leaddesk.storage import database as database_module
from leaddesk.storage.schema import leads
from leaddesk.ui.lead_form.form import LeadForm


@contextmanager
def write_lock_held(path: Path, seconds: float) -> Iterator[None]:
    """Another connection holds the write lock for ``seconds`` (then rolls back)."""
    locked = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        time.sleep(seconds)
        other.execute("ROLLBACK")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert locked.wait(5)
    try:
        yield
    finally:
        thread.join()


def test_a_save_while_another_leaddesk_writes_keeps_the_edit_and_says_why(
    qtbot, runner, ctx, make_lead, monkeypatch
):
    lead_id = make_lead("Ada", company="Acme")
    ctx.db.engine.dispose()  # new connections take the shorter timeout
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 150)
    form = LeadForm(runner)
    qtbot.addWidget(form)
    form.load(lead_id)
    form.show()
    form.edits["company"].setText("Nordlicht GmbH")
    assert form.is_dirty()

    with write_lock_held(Path(ctx.db.engine.url.database or ""), 1.0):
        assert form.save() is False

    # The user reads the one sentence, and what they typed is still there to save again.
    assert form.error.isVisible()
    assert form.error.text() == BUSY_MESSAGE
    assert form.is_dirty()
    assert form.edits["company"].text() == "Nordlicht GmbH"
    with ctx.db.reading() as connection:
        stored = connection.execute(select(leads.c.company).where(leads.c.id == lead_id))
        assert stored.scalar() == "Acme"
    assert runner.errors == []  # the form's own line, not a second message box

    # Once the other writer is done, the same save goes through.
    assert form.save() is True
    assert not form.is_dirty()
    with ctx.db.reading() as connection:
        stored = connection.execute(select(leads.c.company).where(leads.c.id == lead_id))
        assert stored.scalar() == "Nordlicht GmbH"
