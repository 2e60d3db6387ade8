"""A lead's last activity and next open follow-up, stored on the lead and indexed.

The lead table sorts by both. Computed at sort time they meant reading every
activity (or open follow-up) in time order and keeping each lead's first
appearance in Python: at 100,000 leads and 350,000 activities that was several
times the table's sort budget. Stored on the lead, each sort is one scan of a
``(deleted_at, column)`` index like the other columns'. The operations that
add, move or remove activities and follow-ups keep them current
(``leaddesk.storage.lead_times``); here they are filled from what is stored,
one ``UPDATE … SELECT max`` (``min``) each.

Also the indexes the sorts' remaining temporary sorts asked for: leads without a
first name sorted by last name or email (a partial index, as such leads are
usually few but may be many after an import of bare addresses), the new,
uncontacted leads whose speed-to-lead deadline the SLA sort orders (covering,
so the deadline is computed from the index alone), and the live leads alone
(``deleted_at``), the smallest index to read every live id from, in id order.

Revision ID: 0006_last_activity
Revises: 0005_table_sort
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_last_activity"
down_revision: str | None = "0005_table_sort"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNNAMED_KEY = "coalesce(lower(last_name), lower(email), '')"


def upgrade() -> None:
    # Plain ADD COLUMN (see 0002): rebuilding `leads` would drop the search triggers.
    op.add_column("leads", sa.Column("last_activity_at", sa.DateTime(timezone=True)))
    op.add_column("leads", sa.Column("next_follow_up_at", sa.DateTime(timezone=True)))
    op.execute(
        "UPDATE leads SET"
        " last_activity_at = (SELECT max(occurred_at) FROM activities"
        " WHERE activities.lead_id = leads.id),"
        " next_follow_up_at = (SELECT min(due_at) FROM follow_ups"
        " WHERE follow_ups.lead_id = leads.id AND follow_ups.done_at IS NULL)"
    )
    op.create_index("ix_leads_live_last_activity", "leads", ["deleted_at", "last_activity_at"])
    op.create_index("ix_leads_live_next_follow_up", "leads", ["deleted_at", "next_follow_up_at"])
    op.create_index("ix_leads_live", "leads", ["deleted_at"])
    op.create_index(
        "ix_leads_live_awaiting",
        "leads",
        ["deleted_at", "stage", "first_contacted_at", "created_at", "temperature"],
    )
    op.create_index(
        "ix_leads_live_unnamed",
        "leads",
        ["deleted_at", sa.text(_UNNAMED_KEY)],
        sqlite_where=sa.text("first_name IS NULL"),
        postgresql_where=sa.text("first_name IS NULL"),
    )


def downgrade() -> None:
    for name in (
        "ix_leads_live_unnamed",
        "ix_leads_live_awaiting",
        "ix_leads_live",
        "ix_leads_live_next_follow_up",
        "ix_leads_live_last_activity",
    ):
        op.drop_index(name, table_name="leads")
    op.drop_column("leads", "next_follow_up_at")
    op.drop_column("leads", "last_activity_at")
