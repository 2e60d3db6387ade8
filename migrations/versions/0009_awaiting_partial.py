"""The SLA sort's index holds only the leads whose speed-to-lead deadline runs.

``ix_leads_live_awaiting`` (0006) indexed every lead by stage and first
contact, so the lead table's SLA sort could find the new, uncontacted ones. It
did not know ``sla_applies`` (0004): leads imported from another system's
history sorted among the due and showed a deadline in the table, though the
board and the agenda give them none. Now the index is partial on exactly the
leads whose deadline runs (new, not contacted, arrived new), and the sort asks
for the same condition (storage/agenda_queries.py, ``awaiting_condition``).

It is also small: an import of historical leads adds nothing to it, so a
large import keeps it up to date instead of rebuilding it at the end.

Revision ID: 0009_awaiting_partial
Revises: 0008_undo_journal
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_awaiting_partial"
down_revision: str | None = "0008_undo_journal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As the queries write it, term for term: SQLite uses a partial index only for a
# query whose WHERE clause repeats the index's terms (a bound value does not).
# The condition's columns are in the key too: so the planner sees that it
# matches more of the query than ix_leads_stage_board does, and reads the
# deadline's columns from the index alone.
_COLUMNS = ["deleted_at", "stage", "first_contacted_at", "sla_applies", "created_at", "temperature"]
_0006_COLUMNS = ["deleted_at", "stage", "first_contacted_at", "created_at", "temperature"]
_AWAITING = "stage = 'lead' AND first_contacted_at IS NULL AND sla_applies IS {true}"


def upgrade() -> None:
    op.drop_index("ix_leads_live_awaiting", table_name="leads")
    op.create_index(
        "ix_leads_live_awaiting",
        "leads",
        _COLUMNS,
        sqlite_where=sa.text(_AWAITING.format(true="1")),
        postgresql_where=sa.text(_AWAITING.format(true="true")),
    )


def downgrade() -> None:
    op.drop_index("ix_leads_live_awaiting", table_name="leads")
    op.create_index("ix_leads_live_awaiting", "leads", _0006_COLUMNS)
