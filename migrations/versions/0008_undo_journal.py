"""The undo journal: what each command-line change did, so a window can undo it.

Each row is one change made outside the window (``leaddesk move``, ``edit``,
``delete``...): its undo delta (operations/undo_records.py), a description
("Move 3 leads to Warm (command line)"), who made it and when. A window that
notices the change adds it to its Edit → Undo history. The journal is kept
short (see operations/undo_journal.py): old entries are pruned at each write.

Revision ID: 0008_undo_journal
Revises: 0005_table_sort
Create Date: 2026-12-09
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_undo_journal"
down_revision: str | None = "0007_possible_duplicates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "undo_journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(200)),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True)),
        sa.Column("delta", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_undo_journal")),
    )


def downgrade() -> None:
    op.drop_table("undo_journal")
