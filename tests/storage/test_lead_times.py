"""The stored last activity and next open follow-up always equal their source.

``leads.last_activity_at`` must be ``max(activities.occurred_at)`` and
``leads.next_follow_up_at`` the earliest open follow-up's ``due_at`` after any
sequence of the operations that add, move, complete or remove them, each
followed or not by its undo (and redo), as the window records them. A
hypothesis state machine runs such sequences; the migration's backfill is
checked on rows written under the previous revision.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
from alembic import command
from alembic.config import Config
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import text

from leaddesk.core.clock import FixedClock
from leaddesk.core.fields import ActivityKind
from leaddesk.errors import UserError
from leaddesk.operations.activities import log_activity
from leaddesk.operations.bulk import add_follow_ups, log_activities
from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.follow_ups import add_follow_up, complete_follow_up, snooze_follow_up
from leaddesk.operations.leads import create_lead, delete_leads, restore_leads
from leaddesk.operations.merge import merge_leads, undo_merge
from leaddesk.operations.trash import delete_forever
from leaddesk.operations.undo_support import (
    UndoDelta,
    apply_undo_delta,
    diff_snapshots,
    read_snapshot,
)
from leaddesk.storage.database import Database, Location, create_database_engine, open_database
from leaddesk.storage.migrate import migrations_path

NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)

# Leads whose stored times differ from what their activities and follow-ups say.
WRONG_TIMES = """
SELECT id FROM leads WHERE
  last_activity_at IS NOT (SELECT max(occurred_at) FROM activities WHERE lead_id = leads.id)
  OR next_follow_up_at IS NOT
     (SELECT min(due_at) FROM follow_ups WHERE lead_id = leads.id AND done_at IS NULL)
"""


def wrong_times(db: Database) -> list[int]:
    with db.reading() as connection:
        return list(connection.execute(text(WRONG_TIMES)).scalars())


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty database file, copied for each example (migrating is slow)."""
    folder = tmp_path_factory.mktemp("lead_times")
    db = open_database(Location(folder, f"sqlite:///{folder / 'template.sqlite3'}"))
    db.close()
    return folder / "template.sqlite3"


class LeadTimesMachine(RuleBasedStateMachine):
    """Random operations, undos and redos; the stored times checked after each."""

    template: Path
    folder: Path

    def __init__(self) -> None:
        super().__init__()
        self.examples = getattr(LeadTimesMachine, "examples", 0) + 1
        LeadTimesMachine.examples = self.examples
        folder = self.folder / f"example-{self.examples}"
        folder.mkdir()
        shutil.copy(self.template, folder / "leaddesk.sqlite3")
        self.db = open_database(Location(folder, f"sqlite:///{folder / 'leaddesk.sqlite3'}"))
        self.clock = FixedClock(NOW)
        self.ctx = OperationContext(db=self.db, clock=self.clock, actor="Test User")
        self.done: list[UndoDelta] = []
        self.undone: list[UndoDelta] = []
        self.merges: list[int] = []

    def teardown(self) -> None:
        self.db.close()

    # -- what is there -------------------------------------------------------

    def _ids(self, sql: str) -> list[int]:
        with self.db.reading() as connection:
            return list(connection.execute(text(sql)).scalars())

    def live(self) -> list[int]:
        return self._ids("SELECT id FROM leads WHERE deleted_at IS NULL ORDER BY id")

    def trashed(self) -> list[int]:
        return self._ids("SELECT id FROM leads WHERE deleted_at IS NOT NULL ORDER BY id")

    def open_follow_ups(self) -> list[int]:
        return self._ids(
            "SELECT f.id FROM follow_ups f JOIN leads l ON l.id = f.lead_id "
            "WHERE f.done_at IS NULL AND l.deleted_at IS NULL ORDER BY f.id"
        )

    def recorded(self, lead_ids: list[int], operation: Any, *args: Any) -> None:
        """Run ``operation`` as the window does: one undo step over ``lead_ids``."""
        before = read_snapshot(self.db, lead_ids)
        try:
            outcome = operation(self.ctx, *args)
        except UserError:
            return
        created = list(outcome.changes.created) if outcome is not None else []
        delta = diff_snapshots(before, read_snapshot(self.db, [*lead_ids, *created]), "step")
        if delta:
            self.done.append(delta)
            self.undone.clear()

    # -- rules ---------------------------------------------------------------

    @initialize(count=st.integers(1, 4))
    def some_leads(self, count: int) -> None:
        add_demo_leads(self.ctx, count, seed=count)

    @rule(count=st.integers(1, 3))
    def demo(self, count: int) -> None:
        self.recorded([], add_demo_leads, count, count)

    @rule(first=st.sampled_from(["Ana", None]))
    def create(self, first: str | None) -> None:
        self.recorded([], create_lead, {"first_name": first, "email": "x@example.com"})

    @precondition(lambda self: self.live())
    @rule(pick=st.integers(0, 99), minutes_ago=st.integers(0, 60 * 24 * 400))
    def log_one(self, pick: int, minutes_ago: int) -> None:
        lead_id = self.live()[pick % len(self.live())]
        when = self.clock.now() - dt.timedelta(minutes=minutes_ago)
        self.recorded([lead_id], log_activity, lead_id, ActivityKind.CALL, "call", when)

    @precondition(lambda self: self.live())
    @rule(picks=st.lists(st.integers(0, 99), min_size=1, max_size=4))
    def log_many(self, picks: list[int]) -> None:
        live = self.live()
        ids = [live[pick % len(live)] for pick in picks]
        self.recorded(ids, log_activities, ids, ActivityKind.EMAIL, "sent")

    @precondition(lambda self: self.live())
    @rule(pick=st.integers(0, 99), hours=st.integers(-48, 24 * 30))
    def plan_one(self, pick: int, hours: int) -> None:
        lead_id = self.live()[pick % len(self.live())]
        due = self.clock.now() + dt.timedelta(hours=hours)
        self.recorded([lead_id], add_follow_up, lead_id, due, "call back")

    @precondition(lambda self: self.live())
    @rule(picks=st.lists(st.integers(0, 99), min_size=1, max_size=4), hours=st.integers(1, 99))
    def plan_many(self, picks: list[int], hours: int) -> None:
        live = self.live()
        ids = [live[pick % len(live)] for pick in picks]
        self.recorded(ids, add_follow_ups, ids, self.clock.now() + dt.timedelta(hours=hours))

    def _follow_up_lead(self, follow_up_id: int) -> list[int]:
        return self._ids(f"SELECT lead_id FROM follow_ups WHERE id = {int(follow_up_id)}")

    @precondition(lambda self: self.open_follow_ups())
    @rule(pick=st.integers(0, 99))
    def complete(self, pick: int) -> None:
        follow_up_id = self.open_follow_ups()[pick % len(self.open_follow_ups())]
        self.recorded(self._follow_up_lead(follow_up_id), complete_follow_up, follow_up_id)

    @precondition(lambda self: self.open_follow_ups())
    @rule(pick=st.integers(0, 99), hours=st.integers(1, 24 * 60))
    def snooze(self, pick: int, hours: int) -> None:
        follow_up_id = self.open_follow_ups()[pick % len(self.open_follow_ups())]
        until = self.clock.now() + dt.timedelta(hours=hours)
        self.recorded(self._follow_up_lead(follow_up_id), snooze_follow_up, follow_up_id, until)

    @precondition(lambda self: self.live())
    @rule(pick=st.integers(0, 99))
    def delete(self, pick: int) -> None:
        lead_id = self.live()[pick % len(self.live())]
        self.recorded([lead_id], delete_leads, [lead_id])

    @precondition(lambda self: self.trashed())
    @rule(pick=st.integers(0, 99), forever=st.booleans())
    def restore_or_purge(self, pick: int, forever: bool) -> None:
        lead_id = self.trashed()[pick % len(self.trashed())]
        if forever:
            delete_forever(self.ctx, [lead_id])
            self.done.clear()  # the window's history cannot bring a purged lead back
            self.undone.clear()
        else:
            self.recorded([lead_id], restore_leads, [lead_id])

    @precondition(lambda self: len(self.live()) >= 2)
    @rule(keep=st.integers(0, 99), other=st.integers(0, 99))
    def merge(self, keep: int, other: int) -> None:
        live = self.live()
        keep_id, other_id = live[keep % len(live)], live[other % len(live)]
        if keep_id != other_id:
            self.merges.append(merge_leads(self.ctx, keep_id, other_id).value)

    @precondition(lambda self: self.merges)
    @rule()
    def unmerge(self) -> None:
        # Refused (a lead changed since) writes nothing: the invariant still holds.
        with contextlib.suppress(UserError):
            undo_merge(self.ctx, self.merges.pop())

    @precondition(lambda self: self.done)
    @rule()
    def undo(self) -> None:
        delta = self.done.pop()
        try:
            apply_undo_delta(self.ctx, delta, undo=True)
        except UserError:
            return
        self.undone.append(delta)

    @precondition(lambda self: self.undone)
    @rule()
    def redo(self) -> None:
        delta = self.undone.pop()
        try:
            apply_undo_delta(self.ctx, delta, undo=False)
        except UserError:
            return
        self.done.append(delta)

    @rule(hours=st.integers(1, 48))
    def time_passes(self, hours: int) -> None:
        self.clock.advance(dt.timedelta(hours=hours))

    @invariant()
    def stored_times_equal_their_source(self) -> None:
        assert wrong_times(self.db) == []


def test_stored_times_follow_every_operation_and_its_undo(template: Path, tmp_path: Path) -> None:
    LeadTimesMachine.template = template
    LeadTimesMachine.folder = tmp_path
    run_state_machine_as_test(
        LeadTimesMachine,
        settings=settings(
            # No shrinking: each example is a database file, and shrinking a
            # failure would take minutes; the failing steps are printed as found.
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            max_examples=30,
            stateful_step_count=25,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_the_invariant_query_notices_a_stale_value(ctx: OperationContext) -> None:
    lead_id = create_lead(ctx, {"first_name": "Ana"}).value
    log_activity(ctx, lead_id, ActivityKind.CALL, "call")
    with ctx.db.transaction() as connection:
        connection.execute(text("UPDATE leads SET last_activity_at = NULL"))
    assert wrong_times(ctx.db) == [lead_id]


def test_the_migration_fills_both_times_from_what_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = create_database_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005_table_sort")
        connection.execute(
            text(
                "INSERT INTO leads (id, first_name, created_at, updated_at) VALUES "
                "(1, 'Ana', '2026-01-01 00:00:00', '2026-01-01 00:00:00'), "
                "(2, 'Ben', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO activities (lead_id, kind, occurred_at, created_at) VALUES "
                "(1, 'call', '2026-02-01 09:00:00', '2026-02-01 09:00:00'), "
                "(1, 'note', '2026-03-01 09:00:00', '2026-03-01 09:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO follow_ups (lead_id, due_at, done_at, created_at) VALUES "
                "(1, '2026-04-01 09:00:00', '2026-03-02 09:00:00', '2026-03-01 09:00:00'), "
                "(1, '2026-05-01 09:00:00', NULL, '2026-03-01 09:00:00'), "
                "(1, '2026-06-01 09:00:00', NULL, '2026-03-01 09:00:00')"
            )
        )
        command.upgrade(config, "head")
        rows = connection.execute(
            text("SELECT id, last_activity_at, next_follow_up_at FROM leads ORDER BY id")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [
        (1, "2026-03-01 09:00:00", "2026-05-01 09:00:00"),
        (2, None, None),
    ]
