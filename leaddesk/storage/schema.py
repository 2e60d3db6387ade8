"""The database schema as SQLAlchemy 2.0 typed mappings.

This describes the tables for queries and for Alembic's autogenerate; the tables
themselves are created only by the migrations in ``migrations/``. Keep the two in
step: ``tests/storage/test_migrations.py`` compares them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import JSON

from leaddesk.storage.types import UTCDateTime

# Named constraints let Alembic's batch mode on SQLite drop and alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Owner(Base):
    """A team member who can own leads and follow-ups."""

    __tablename__ = "owners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Lead(Base):
    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Bumped on every change: optimistic concurrency once several people share
    # one PostgreSQL database.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    # capture
    first_name: Mapped[str | None] = mapped_column(String(200))
    last_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(64))
    company: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(String(100))
    campaign: Mapped[str | None] = mapped_column(String(200))
    enquiry: Mapped[str | None] = mapped_column(Text)
    consent: Mapped[str] = mapped_column(String(16), default="unknown", server_default="unknown")
    consent_date: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    consent_source: Mapped[str | None] = mapped_column(String(200))
    # cold
    job_title: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(500))
    country: Mapped[str | None] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(String(100))
    company_size: Mapped[int | None] = mapped_column(Integer)
    preferred_channel: Mapped[str | None] = mapped_column(String(50))
    # warm
    need: Mapped[str | None] = mapped_column(Text)
    product_interest: Mapped[str | None] = mapped_column(String(300))
    budget_range: Mapped[str | None] = mapped_column(String(100))
    current_solution: Mapped[str | None] = mapped_column(String(300))
    competitors: Mapped[str | None] = mapped_column(String(300))
    # hot (BANT)
    budget_confirmed: Mapped[bool | None] = mapped_column(Boolean)
    decision_maker: Mapped[bool | None] = mapped_column(Boolean)
    other_deciders: Mapped[str | None] = mapped_column(String(300))
    expected_close_date: Mapped[dt.date | None] = mapped_column(Date)
    # Money as integer minor units (cents): exact, and portable across databases.
    deal_value_cents: Mapped[int | None] = mapped_column(BigInteger)
    next_step: Mapped[str | None] = mapped_column(String(500))
    # closed
    won_date: Mapped[dt.date | None] = mapped_column(Date)
    won_value_cents: Mapped[int | None] = mapped_column(BigInteger)
    disqualification_reason: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)

    # pipeline state
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id", ondelete="SET NULL"))
    temperature: Mapped[str] = mapped_column(String(8), default="cold", server_default="cold")
    stage: Mapped[str] = mapped_column(String(16), default="lead", server_default="lead")
    # Order on the board: fractional so a drop between two cards writes one row.
    # Float spelled out: SQLAlchemy 2.1 maps a bare ``float`` to Double, which the
    # migration (and so every existing database) does not have.
    board_rank: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    score: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # normal forms for duplicate detection
    email_normalized: Mapped[str | None] = mapped_column(String(320))
    phone_normalized: Mapped[str | None] = mapped_column(String(64))

    # speed-to-lead and reporting
    first_contacted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    stage_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(200))
    updated_by: Mapped[str | None] = mapped_column(String(200))
    # Deleted leads go to the trash first; nothing is lost by one keystroke.
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_leads_board", "deleted_at", "temperature", "board_rank"),
        Index("ix_leads_stage_board", "deleted_at", "stage", "board_rank"),
        Index("ix_leads_email_normalized", "email_normalized"),
        Index("ix_leads_phone_normalized", "phone_normalized"),
        Index("ix_leads_owner_id", "owner_id"),
        Index("ix_leads_score", "score"),
    )


class Activity(Base):
    """Something that happened: a call, an email, a meeting, a note or a signal."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (Index("ix_activities_lead_time", "lead_id", "occurred_at"),)


class FollowUp(Base):
    """Something that must happen: a due time, a note, an owner."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id", ondelete="SET NULL"))
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        Index("ix_follow_ups_lead_open", "lead_id", "done_at", "due_at"),
        Index("ix_follow_ups_open_due", "done_at", "due_at"),
    )


class StageChange(Base):
    """Every lifecycle stage change with its time: velocity and funnel reports."""

    __tablename__ = "stage_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    changed_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (Index("ix_stage_history_lead_time", "lead_id", "changed_at"),)


class ScoreRuleRow(Base):
    """One editable scoring rule; see leaddesk.core.scoring for what kinds mean."""

    __tablename__ = "score_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    points: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Setting(Base):
    """A key/value setting stored as JSON (thresholds, SLAs, region, lists)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)


# The tables themselves, for Core statements (bulk work, reads for the board).
leads = cast(Table, Lead.__table__)
owners = cast(Table, Owner.__table__)
activities = cast(Table, Activity.__table__)
follow_ups = cast(Table, FollowUp.__table__)
stage_history = cast(Table, StageChange.__table__)
score_rules = cast(Table, ScoreRuleRow.__table__)
settings = cast(Table, Setting.__table__)
metadata = Base.metadata
