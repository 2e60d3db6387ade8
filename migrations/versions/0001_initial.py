"""Initial schema: leads, owners, activities, follow-ups, stage history, score rules,
settings, and the SQLite full-text search index.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of the default score rules at this revision. Migrations must not
# import application code that may change later; a test checks that a new
# database's rules equal leaddesk.core.scoring.DEFAULT_RULES.
_DECISION_MAKER_WORDS = [
    "owner", "founder", "co-founder", "ceo", "cto", "cfo", "coo", "chief", "president",
    "director", "vp", "vice president", "head of", "manager", "partner", "geschäftsführer",
    "inhaber", "leiter", "directeur", "gérant",
]  # fmt: skip
_STUDENT_WORDS = ["student", "intern", "trainee", "job seeker", "looking for work", "unemployed"]
_TARGET_COUNTRIES = [
    "United States", "US", "USA", "Canada", "CA", "United Kingdom", "UK", "GB", "Ireland",
    "IE", "Germany", "DE", "Deutschland", "Austria", "AT", "Switzerland", "CH", "France", "FR",
    "Netherlands", "NL", "Belgium", "BE", "Spain", "ES", "Italy", "IT", "Sweden", "SE",
    "Norway", "NO", "Denmark", "DK", "Finland", "FI",
]  # fmt: skip
_DEFAULT_RULES = [
    ("decision_maker_title", "Job title looks like a decision maker", "job_title_matches", 20,
     {"words": _DECISION_MAKER_WORDS}),
    ("target_company_size", "Company size in the target range", "company_size_between", 10,
     {"min": 10, "max": 1000}),
    ("target_country", "Country in the target list", "country_in", 5,
     {"countries": _TARGET_COUNTRIES}),
    ("business_email", "Business email domain", "business_email", 5, {}),
    ("requested_demo", "Requested a demo, quote or pricing", "activity_count", 25,
     {"kinds": ["demo_request", "quote_request"], "min_count": 1}),
    ("visited_pricing", "Visited the pricing page", "activity_count", 10,
     {"kinds": ["pricing_visit"], "min_count": 1}),
    ("downloaded_case_study", "Downloaded a case study", "activity_count", 15,
     {"kinds": ["case_study_download"], "min_count": 1}),
    ("attended_webinar", "Attended a webinar", "activity_count", 10,
     {"kinds": ["webinar"], "min_count": 1}),
    ("replied", "Replied to an email", "activity_count", 10,
     {"kinds": ["email_replied"], "min_count": 1}),
    ("opened_emails", "Opened 3 or more emails", "activity_count", 5,
     {"kinds": ["email_opened"], "min_count": 3}),
    ("free_mail", "Free-mail domain", "free_mail", -5, {}),
    ("invalid_email", "Invalid email address", "invalid_email", -20, {}),
    ("student_title", "Student or job-seeker title", "job_title_matches", -15,
     {"words": _STUDENT_WORDS}),
    ("no_consent", "Unsubscribed or no consent", "consent_denied", -10, {}),
    ("inactive", "No activity for 30 days", "inactive_days", -10, {"days": 30}),
]  # fmt: skip

_SEARCHED_COLUMNS = ("first_name", "last_name", "email", "phone", "company", "job_title")


def _timestamp(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "owners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="1"),
        _timestamp("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owners")),
        sa.UniqueConstraint("name", name=op.f("uq_owners_name")),
    )
    op.create_table(
        "leads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("first_name", sa.String(200)),
        sa.Column("last_name", sa.String(200)),
        sa.Column("email", sa.String(320)),
        sa.Column("phone", sa.String(64)),
        sa.Column("company", sa.String(300)),
        sa.Column("source", sa.String(100)),
        sa.Column("campaign", sa.String(200)),
        sa.Column("enquiry", sa.Text()),
        sa.Column("consent", sa.String(16), nullable=False, server_default="unknown"),
        _timestamp("consent_date"),
        sa.Column("consent_source", sa.String(200)),
        sa.Column("job_title", sa.String(200)),
        sa.Column("website", sa.String(500)),
        sa.Column("country", sa.String(100)),
        sa.Column("industry", sa.String(100)),
        sa.Column("company_size", sa.Integer()),
        sa.Column("preferred_channel", sa.String(50)),
        sa.Column("need", sa.Text()),
        sa.Column("product_interest", sa.String(300)),
        sa.Column("budget_range", sa.String(100)),
        sa.Column("current_solution", sa.String(300)),
        sa.Column("competitors", sa.String(300)),
        sa.Column("budget_confirmed", sa.Boolean()),
        sa.Column("decision_maker", sa.Boolean()),
        sa.Column("other_deciders", sa.String(300)),
        sa.Column("expected_close_date", sa.Date()),
        sa.Column("deal_value_cents", sa.BigInteger()),
        sa.Column("next_step", sa.String(500)),
        sa.Column("won_date", sa.Date()),
        sa.Column("won_value_cents", sa.BigInteger()),
        sa.Column("disqualification_reason", sa.String(100)),
        sa.Column("notes", sa.Text()),
        sa.Column("owner_id", sa.Integer()),
        sa.Column("temperature", sa.String(8), nullable=False, server_default="cold"),
        sa.Column("stage", sa.String(16), nullable=False, server_default="lead"),
        sa.Column("board_rank", sa.Float(), nullable=False, server_default="0"),
        sa.Column("score", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("email_normalized", sa.String(320)),
        sa.Column("phone_normalized", sa.String(64)),
        _timestamp("first_contacted_at"),
        _timestamp("stage_changed_at"),
        _timestamp("created_at", nullable=False),
        _timestamp("updated_at", nullable=False),
        sa.Column("created_by", sa.String(200)),
        sa.Column("updated_by", sa.String(200)),
        _timestamp("deleted_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owners.id"], name=op.f("fk_leads_owner_id_owners"), ondelete="SET NULL"
        ),
    )
    op.create_index("ix_leads_board", "leads", ["deleted_at", "temperature", "board_rank"])
    op.create_index("ix_leads_stage_board", "leads", ["deleted_at", "stage", "board_rank"])
    op.create_index("ix_leads_email_normalized", "leads", ["email_normalized"])
    op.create_index("ix_leads_phone_normalized", "leads", ["phone_normalized"])
    op.create_index("ix_leads_owner_id", "leads", ["owner_id"])
    op.create_index("ix_leads_score", "leads", ["score"])

    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        _timestamp("occurred_at", nullable=False),
        sa.Column("text", sa.Text()),
        _timestamp("created_at", nullable=False),
        sa.Column("created_by", sa.String(200)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_activities_lead_id_leads"), ondelete="CASCADE"
        ),
    )
    op.create_index("ix_activities_lead_time", "activities", ["lead_id", "occurred_at"])

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        _timestamp("due_at", nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("owner_id", sa.Integer()),
        _timestamp("done_at"),
        _timestamp("created_at", nullable=False),
        sa.Column("created_by", sa.String(200)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_follow_ups_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
            name=op.f("fk_follow_ups_owner_id_owners"),
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_follow_ups_lead_open", "follow_ups", ["lead_id", "done_at", "due_at"])
    op.create_index("ix_follow_ups_open_due", "follow_ups", ["done_at", "due_at"])

    op.create_table(
        "stage_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("from_stage", sa.String(16)),
        sa.Column("to_stage", sa.String(16), nullable=False),
        _timestamp("changed_at", nullable=False),
        sa.Column("changed_by", sa.String(200)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_history")),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["leads.id"],
            name=op.f("fk_stage_history_lead_id_leads"),
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_stage_history_lead_time", "stage_history", ["lead_id", "changed_at"])

    score_rules = op.create_table(
        "score_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default="1"),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_rules")),
        sa.UniqueConstraint("key", name=op.f("uq_score_rules_key")),
    )
    op.bulk_insert(
        score_rules,
        [
            {
                "key": key,
                "label": label,
                "kind": kind,
                "points": points,
                "parameters": parameters,
                "enabled": True,
                "position": position,
            }
            for position, (key, label, kind, points, parameters) in enumerate(_DEFAULT_RULES)
        ],
    )

    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.JSON()),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )

    if op.get_bind().dialect.name == "sqlite":
        _create_sqlite_search_index()


def _create_sqlite_search_index() -> None:
    # An external-content FTS5 table: the text lives once, in leads; triggers
    # keep the index in step with every insert, edit and delete.
    columns = ", ".join(_SEARCHED_COLUMNS)
    new_values = ", ".join(f"new.{column}" for column in _SEARCHED_COLUMNS)
    old_values = ", ".join(f"old.{column}" for column in _SEARCHED_COLUMNS)
    op.execute(
        f"CREATE VIRTUAL TABLE lead_search USING fts5({columns}, content='leads', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN "
        f"INSERT INTO lead_search(rowid, {columns}) VALUES (new.id, {new_values}); END"
    )
    op.execute(
        "CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN "
        f"INSERT INTO lead_search(lead_search, rowid, {columns}) "
        f"VALUES ('delete', old.id, {old_values}); END"
    )
    op.execute(
        f"CREATE TRIGGER leads_search_update AFTER UPDATE OF {columns} ON leads BEGIN "
        f"INSERT INTO lead_search(lead_search, rowid, {columns}) "
        f"VALUES ('delete', old.id, {old_values}); "
        f"INSERT INTO lead_search(rowid, {columns}) VALUES (new.id, {new_values}); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS lead_search")
    for table in (
        "settings",
        "score_rules",
        "stage_history",
        "follow_ups",
        "activities",
        "leads",
        "owners",
    ):
        op.drop_table(table)
