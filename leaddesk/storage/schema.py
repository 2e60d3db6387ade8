"""The database schema as SQLAlchemy Core tables.

This describes the tables for queries and for Alembic's autogenerate; the tables
themselves are created only by the migrations in ``migrations/``. Keep the two in
step: ``tests/storage/test_migrations.py`` compares them.

Core rather than ORM classes on purpose: every read and write here is a
set-based statement, and importing ``sqlalchemy.orm`` alone costs a noticeable
share of start-up that the command line and the first paint of the board should
not pay.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from leaddesk.storage.types import UTCDateTime

# Named constraints let Alembic's batch mode on SQLite drop and alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _text(name: str, length: int | None = None) -> Column[str]:
    return Column(name, String(length) if length else Text)


# A team member who can own leads and follow-ups.
owners = Table(
    "owners",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("email", String(320)),
    Column("active", Boolean, nullable=False, default=True, server_default="1"),
    Column("created_at", UTCDateTime, nullable=False),
    # Set when an import added this team member (undoing the import removes them).
    Column("import_batch_id", Integer),
)

leads = Table(
    "leads",
    metadata,
    Column("id", Integer, primary_key=True),
    # Bumped on every change: optimistic concurrency once several people share
    # one PostgreSQL database.
    Column("version", Integer, nullable=False, default=1, server_default="1"),
    # capture
    _text("first_name", 200),
    _text("last_name", 200),
    _text("email", 320),
    _text("phone", 64),
    _text("company", 300),
    _text("source", 100),
    _text("campaign", 200),
    _text("enquiry"),
    Column("consent", String(16), nullable=False, default="unknown", server_default="unknown"),
    Column("consent_date", UTCDateTime),
    _text("consent_source", 200),
    # cold
    _text("job_title", 200),
    _text("website", 500),
    _text("country", 100),
    _text("industry", 100),
    Column("company_size", Integer),
    _text("preferred_channel", 50),
    # warm
    _text("need"),
    _text("product_interest", 300),
    _text("budget_range", 100),
    _text("current_solution", 300),
    _text("competitors", 300),
    # hot (BANT)
    Column("budget_confirmed", Boolean),
    Column("decision_maker", Boolean),
    _text("other_deciders", 300),
    Column("expected_close_date", Date),
    # Money as integer minor units (cents): exact, and portable across databases.
    Column("deal_value_cents", BigInteger),
    _text("next_step", 500),
    # closed
    Column("won_date", Date),
    Column("won_value_cents", BigInteger),
    _text("disqualification_reason", 100),
    _text("notes"),
    # pipeline state
    Column("owner_id", ForeignKey("owners.id", ondelete="SET NULL")),
    Column("temperature", String(8), nullable=False, default="cold", server_default="cold"),
    Column("stage", String(16), nullable=False, default="lead", server_default="lead"),
    # Order on the board: fractional so a drop between two cards writes one row.
    Column("board_rank", Float, nullable=False, default=0.0, server_default="0"),
    Column("score", Integer, nullable=False, default=0, server_default="0"),
    # normal forms for duplicate detection
    _text("email_normalized", 320),
    _text("phone_normalized", 64),
    # speed-to-lead and reporting
    Column("first_contacted_at", UTCDateTime),
    Column("stage_changed_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    _text("created_by", 200),
    _text("updated_by", 200),
    # Deleted leads go to the trash first; nothing is lost by one keystroke.
    Column("deleted_at", UTCDateTime),
    # The import that created this lead. An indexed integer without a FOREIGN KEY
    # clause: SQLite can only add such a column without rebuilding the table.
    Column("import_batch_id", Integer),
    # leaddesk.core.normalize.company_key: blocks duplicate candidates by company.
    _text("company_key", 300),
    # Whether the speed-to-lead countdown runs for this lead until its first
    # contact: true for a lead that arrived new (typed in, a fresh enquiry), false
    # for history brought in by an import (leaddesk.core.agenda.countdown_applies).
    Column("sla_applies", Boolean, nullable=False, default=True, server_default="1"),
    # Derived, stored for the lead table's sorts: max(activities.occurred_at) and the
    # earliest open follow-up's due_at, kept by every operation that changes them
    # (storage/lead_times.py) and checked equal to their source by the tests.
    Column("last_activity_at", UTCDateTime),
    Column("next_follow_up_at", UTCDateTime),
    Index("ix_leads_board", "deleted_at", "temperature", "board_rank"),
    Index("ix_leads_stage_board", "deleted_at", "stage", "board_rank"),
    Index("ix_leads_email_normalized", "email_normalized"),
    Index("ix_leads_phone_normalized", "phone_normalized"),
    Index("ix_leads_owner_id", "owner_id"),
    Index("ix_leads_score", "score"),
    Index("ix_leads_import_batch_id", "import_batch_id"),
    Index("ix_leads_company_key", "company_key"),
    # The lead table's sorts (storage/table_queries.py): live leads in index order.
    Index("ix_leads_live_score", "deleted_at", "score"),
    Index("ix_leads_live_created", "deleted_at", "created_at"),
    Index("ix_leads_live_owner", "deleted_at", "owner_id"),
    # Every live id, in id order, from the smallest index (the SLA sort's rest).
    Index("ix_leads_live", "deleted_at"),
    Index("ix_leads_live_last_activity", "deleted_at", "last_activity_at"),
    Index("ix_leads_live_next_follow_up", "deleted_at", "next_follow_up_at"),
    # The SLA sort's leads whose deadline runs, with what the deadline needs.
    # Partial on agenda_queries.awaiting_condition in the database (0009): its
    # WHERE is not declared here, as a postgresql_where would import SQLAlchemy's
    # PostgreSQL dialect at every start (and autogenerate does not compare it).
    Index(
        "ix_leads_live_awaiting",
        "deleted_at",
        "stage",
        "first_contacted_at",
        "sla_applies",
        "created_at",
        "temperature",
    ),
)
# The case-insensitive text sorts use expression indexes on lower(company),
# lower(source) and lower(first_name), lower(last_name) (ix_leads_live_company,
# _source, _name), and the leads without a first name by last name or email
# (ix_leads_live_unnamed, 0006). They exist only in the migrations: SQLAlchemy
# cannot reflect an expression index on SQLite, so declaring them here would make the schema check
# see a difference that is not there.

# Something that happened: a call, an email, a meeting, a note or a signal.
activities = Table(
    "activities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("lead_id", ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    _text("text"),
    Column("created_at", UTCDateTime, nullable=False),
    _text("created_by", 200),
    Index("ix_activities_lead_time", "lead_id", "occurred_at"),
    # The lead table's "last activity" sort: newest first, lead ids from the index alone.
    Index("ix_activities_time_lead", "occurred_at", "lead_id"),
)

# Something that must happen: a due time, a note, an owner.
follow_ups = Table(
    "follow_ups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("lead_id", ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    _text("note"),
    Column("owner_id", ForeignKey("owners.id", ondelete="SET NULL")),
    Column("done_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    _text("created_by", 200),
    Index("ix_follow_ups_lead_open", "lead_id", "done_at", "due_at"),
    Index("ix_follow_ups_open_due", "done_at", "due_at"),
    # The lead table's "next follow-up" sort: open ones by due time, lead ids included.
    Index("ix_follow_ups_open_due_lead", "done_at", "due_at", "lead_id"),
)

# Every lifecycle stage change with its time: velocity and funnel reports.
stage_history = Table(
    "stage_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("lead_id", ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
    Column("from_stage", String(16)),
    Column("to_stage", String(16), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    _text("changed_by", 200),
    Column("import_batch_id", Integer),
    Index("ix_stage_history_lead_time", "lead_id", "changed_at"),
    Index("ix_stage_history_import_batch_id", "import_batch_id"),
)

# One editable scoring rule; see leaddesk.core.scoring for what kinds mean.
score_rules = Table(
    "score_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("label", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("parameters", JSON, nullable=False, default=dict),
    Column("points", Integer, nullable=False),
    Column("enabled", Boolean, nullable=False, default=True, server_default="1"),
    Column("position", Integer, nullable=False, default=0, server_default="0"),
)

# A key/value setting stored as JSON; only values that differ from the default.
settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", JSON, nullable=True),
)

# One CSV import: what it did, with what mapping, and whether it was undone.
import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file_name", String(500), nullable=False),
    Column("policy", String(16), nullable=False),
    Column("mapping", JSON, nullable=False),
    Column("created", Integer, nullable=False, default=0, server_default="0"),
    Column("updated", Integer, nullable=False, default=0, server_default="0"),
    Column("skipped", Integer, nullable=False, default=0, server_default="0"),
    Column("rejected", Integer, nullable=False, default=0, server_default="0"),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("undone_at", UTCDateTime),
    _text("created_by", 200),
)

# The values an import replaced on an existing lead, to put back on undo.
import_changes = Table(
    "import_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False),
    Column("lead_id", ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
    Column("previous", JSON, nullable=False),
    Index("ix_import_changes_batch", "batch_id"),
)

# A named column mapping, offered again for files with the same headers.
mapping_presets = Table(
    "mapping_presets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("signature", String(64), nullable=False),
    Column("preset", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_mapping_presets_signature", "signature"),
)

# One merge of two leads: the rows it changed before and after (an undo delta, see
# operations/undo_records.py), so `leaddesk undo-merge ID` can put both leads back.
# Plain integers for the leads, not foreign keys: the record is history and must
# not make a table that holds lead_id look like one of a lead's own tables.
merges = Table(
    "merges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("keep_id", Integer, nullable=False),
    Column("other_id", Integer, nullable=False),
    Column("merged_at", UTCDateTime, nullable=False),
    _text("merged_by", 200),
    Column("undone_at", UTCDateTime),
    Column("delta", JSON, nullable=False),
)

# The undo journal: one change made outside the window (the command line), with its
# undo delta, so a window that notices it can offer it in Edit → Undo. Kept short:
# operations/undo_journal.py prunes it at each write.
undo_journal = Table(
    "undo_journal",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("recorded_at", UTCDateTime, nullable=False),
    _text("recorded_by", 200),
    Column("source", String(40), nullable=False),
    Column("description", Text, nullable=False),
    Column("undone_at", UTCDateTime),
    Column("delta", JSON, nullable=False),
)

# Two leads that may be one person (different emails, but the same phone or a close
# name at the same company): recorded by an import, the form or the command line,
# reviewed by the user (storage/duplicates.py, operations/duplicate_marks.py). Open
# while dismissed_at is NULL and neither lead is in the trash. Neither column is
# called lead_id on purpose: the pair belongs to two leads, not to one, so it is not
# one of a lead's own tables that a merge moves and undo snapshots
# (operations/undo_support.CHILD_TABLES).
possible_duplicates = Table(
    "possible_duplicates",
    metadata,
    Column("id", Integer, primary_key=True),
    # The lead that was found to resemble another (the newer one, as a rule)...
    Column("duplicate_lead_id", ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
    # ... and the lead it resembles.
    Column("existing_lead_id", ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
    # leaddesk.core.dedupe.MatchReason's words: "same phone, different email", ...
    Column("reason", String(100), nullable=False),
    Column("found_at", UTCDateTime, nullable=False),
    # "Not a duplicate": the pair stays, so it is never proposed again.
    Column("dismissed_at", UTCDateTime),
    _text("dismissed_by", 200),
    UniqueConstraint("duplicate_lead_id", "existing_lead_id"),
    Index("ix_possible_duplicates_existing_lead_id", "existing_lead_id"),
)
