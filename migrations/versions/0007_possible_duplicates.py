"""Possible duplicates: pairs of leads that may be one person, kept for review.

Two leads with different emails but the same phone (or a close name at the same
company) are two people by the duplicate rule (DOMAIN.md), yet worth a look: an
import, the form or the command line records the pair here, the board and the
form mark both leads, and *View → Possible duplicates…* lists the open pairs. A
pair is open while neither lead is in the trash and nobody dismissed it ("Not a
duplicate"); the rows go with either lead when it is deleted for good.

Revision ID: 0007_possible_duplicates
Revises: 0005_table_sort
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_possible_duplicates"
down_revision: str | None = "0006_last_activity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "possible_duplicates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("duplicate_lead_id", sa.Integer(), nullable=False),
        sa.Column("existing_lead_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(100), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True)),
        sa.Column("dismissed_by", sa.String(200)),
        sa.ForeignKeyConstraint(
            ["duplicate_lead_id"],
            ["leads.id"],
            name=op.f("fk_possible_duplicates_duplicate_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["existing_lead_id"],
            ["leads.id"],
            name=op.f("fk_possible_duplicates_existing_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_possible_duplicates")),
        sa.UniqueConstraint(
            "duplicate_lead_id",
            "existing_lead_id",
            name=op.f("uq_possible_duplicates_duplicate_lead_id"),
        ),
    )
    op.create_index(
        "ix_possible_duplicates_existing_lead_id", "possible_duplicates", ["existing_lead_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_possible_duplicates_existing_lead_id", table_name="possible_duplicates")
    op.drop_table("possible_duplicates")
