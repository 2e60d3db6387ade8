"""CSV import: batches (for undo), the previous values of updated leads, saved
column mappings, and a company key for duplicate detection.

Revision ID: 0002_imports
Revises: 0001_initial
Create Date: 2026-11-23
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_imports"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of leaddesk.core.normalize.company_key at this revision, used only to
# fill the new column for leads that already exist (migrations never import code
# that may change later).
_LEGAL_FORMS = {
    "ab", "ag", "as", "bv", "co", "company", "corp", "corporation", "gmbh", "inc",
    "incorporated", "kg", "kk", "limited", "llc", "llp", "ltd", "nv", "oy", "plc", "pty",
    "sa", "sarl", "sas", "sl", "spa", "sro", "srl",
}  # fmt: skip
_WORD = re.compile(r"[0-9a-z]+")


def _company_key(company: str | None) -> str | None:
    if not company:
        return None
    folded = unicodedata.normalize("NFKD", company.casefold())
    ascii_only = "".join(char for char in folded if char.isascii())
    words = _WORD.findall(ascii_only.replace(".", ""))
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return "".join(words) or None


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("policy", sa.String(16), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("skipped", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("rejected", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("undone_at", sa.DateTime(timezone=True)),
        sa.Column("created_by", sa.String(200)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_table(
        "import_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_changes")),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_import_changes_batch_id_import_batches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["leads.id"],
            name=op.f("fk_import_changes_lead_id_leads"),
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_import_changes_batch", "import_changes", ["batch_id"])
    op.create_table(
        "mapping_presets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("preset", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mapping_presets")),
        sa.UniqueConstraint("name", name=op.f("uq_mapping_presets_name")),
    )
    op.create_index("ix_mapping_presets_signature", "mapping_presets", ["signature"])

    # Plain ADD COLUMN, not batch mode: rebuilding `leads` would drop the search
    # triggers. So the batch ids are indexed integers without a FOREIGN KEY clause;
    # batches are never deleted (an undone batch keeps its row), so none dangles.
    op.add_column("leads", sa.Column("import_batch_id", sa.Integer()))
    op.add_column("leads", sa.Column("company_key", sa.String(300)))
    op.create_index("ix_leads_import_batch_id", "leads", ["import_batch_id"])
    op.create_index("ix_leads_company_key", "leads", ["company_key"])
    op.add_column("stage_history", sa.Column("import_batch_id", sa.Integer()))
    op.create_index("ix_stage_history_import_batch_id", "stage_history", ["import_batch_id"])
    op.add_column("owners", sa.Column("import_batch_id", sa.Integer()))

    connection = op.get_bind()
    leads = sa.table("leads", sa.column("id"), sa.column("company"), sa.column("company_key"))
    rows = connection.execute(sa.select(leads.c.id, leads.c.company)).all()
    keyed = [{"lead_id": row.id, "key": _company_key(row.company)} for row in rows if row.company]
    if keyed:
        connection.execute(
            leads.update()
            .where(leads.c.id == sa.bindparam("lead_id"))
            .values(company_key=sa.bindparam("key")),
            keyed,
        )


def downgrade() -> None:
    op.drop_index("ix_stage_history_import_batch_id", "stage_history")
    op.drop_column("stage_history", "import_batch_id")
    op.drop_column("owners", "import_batch_id")
    op.drop_index("ix_leads_company_key", "leads")
    op.drop_index("ix_leads_import_batch_id", "leads")
    op.drop_column("leads", "company_key")
    op.drop_column("leads", "import_batch_id")
    op.drop_table("mapping_presets")
    op.drop_index("ix_import_changes_batch", "import_changes")
    op.drop_table("import_changes")
    op.drop_table("import_batches")
