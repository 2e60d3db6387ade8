"""Speed-to-lead only for leads that arrive new: leads.sla_applies.

An import marks the history it brings in (a lead created long before, or
already worked) so that no first-contact countdown runs for it. Leads imported
before this revision are judged the same way from what is stored: still at the
first stage, never contacted, and created more than their default deadline
before their import started -> no countdown.

Revision ID: 0004_sla_applies
Revises: 0003_merges
Create Date: 2026-12-01
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_sla_applies"
down_revision: str | None = "0003_merges"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of the default deadlines (leaddesk.core.settings) at this revision.
_DEFAULT_MINUTES = {"hot": 5, "warm": 24 * 60, "cold": 72 * 60}


def _utc(value: object) -> dt.datetime | None:
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, dt.datetime)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def upgrade() -> None:
    # Plain ADD COLUMN (see 0002): rebuilding `leads` would drop the search triggers.
    op.add_column(
        "leads", sa.Column("sla_applies", sa.Boolean(), nullable=False, server_default="1")
    )
    connection = op.get_bind()
    leads = sa.table(
        "leads",
        sa.column("id"),
        sa.column("created_at"),
        sa.column("temperature"),
        sa.column("stage"),
        sa.column("first_contacted_at"),
        sa.column("import_batch_id"),
        sa.column("sla_applies"),
    )
    batches = sa.table("import_batches", sa.column("id"), sa.column("started_at"))
    rows = connection.execute(
        sa.select(leads.c.id, leads.c.created_at, leads.c.temperature, batches.c.started_at)
        .select_from(leads.join(batches, batches.c.id == leads.c.import_batch_id))
        .where(leads.c.stage == "lead", leads.c.first_contacted_at.is_(None))
    ).all()
    history = []
    for lead_id, created_at, temperature, started_at in rows:
        created, started = _utc(created_at), _utc(started_at)
        minutes = _DEFAULT_MINUTES.get(temperature, _DEFAULT_MINUTES["cold"])
        if created and started and created + dt.timedelta(minutes=minutes) <= started:
            history.append({"lead_id": lead_id})
    if history:
        connection.execute(
            leads.update().where(leads.c.id == sa.bindparam("lead_id")).values(sla_applies=False),
            history,
        )


def downgrade() -> None:
    op.drop_column("leads", "sla_applies")
