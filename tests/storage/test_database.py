"""Where the database lives, how it is opened, and that what is stored comes back."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from leaddesk.core.clock import FixedClock
from leaddesk.core.fields import LEAD_FIELDS, Consent, Stage, Temperature
from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead, owner_id_for
from leaddesk.storage import queries
from leaddesk.storage.database import (
    DATA_DIR_ENV,
    DATABASE_FILE,
    DATABASE_URL_ENV,
    Database,
    Location,
    create_database_engine,
    open_database,
    resolve_location,
)
from leaddesk.storage.schema import activities, leads, stage_history

# --- where the data lives ------------------------------------------------------------


def expected_url(folder: Path) -> str:
    return f"sqlite:///{(folder / DATABASE_FILE).resolve()}"


def test_data_dir_option_wins_over_the_environment(tmp_path: Path) -> None:
    option, env = tmp_path / "option", tmp_path / "env"
    location = resolve_location(data_dir=option, environ={DATA_DIR_ENV: str(env)})
    assert location == Location(data_dir=option, url=expected_url(option))


def test_data_dir_from_the_environment(tmp_path: Path) -> None:
    location = resolve_location(environ={DATA_DIR_ENV: str(tmp_path)})
    assert location == Location(data_dir=tmp_path, url=expected_url(tmp_path))


def test_database_url_option_wins_over_the_environment(tmp_path: Path) -> None:
    environ = {DATABASE_URL_ENV: "sqlite:///env.db", DATA_DIR_ENV: str(tmp_path)}
    location = resolve_location(database_url="sqlite:///option.db", environ=environ)
    assert location.url == "sqlite:///option.db"
    assert location.data_dir == tmp_path  # backups and logs still go to the data folder


def test_database_url_from_the_environment(tmp_path: Path) -> None:
    environ = {DATABASE_URL_ENV: "postgresql://leaddesk@server/sales"}
    location = resolve_location(data_dir=None, environ=environ)
    assert location.url == "postgresql://leaddesk@server/sales"


def test_data_dir_option_wins_over_a_database_url_in_the_environment(tmp_path: Path) -> None:
    # The command line beats the environment: "--data-dir X" means the database in X.
    location = resolve_location(
        data_dir=tmp_path, environ={DATABASE_URL_ENV: "sqlite:///somewhere/else.db"}
    )
    assert location.url == expected_url(tmp_path)


def test_both_options_win_over_both_variables(tmp_path: Path) -> None:
    environ = {DATA_DIR_ENV: "/env/dir", DATABASE_URL_ENV: "sqlite:///env.db"}
    location = resolve_location(
        data_dir=tmp_path, database_url="sqlite:///option.db", environ=environ
    )
    assert location == Location(data_dir=tmp_path, url="sqlite:///option.db")


def test_data_dir_option_expands_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    location = resolve_location(data_dir="~/leads", environ={})
    assert location.data_dir == tmp_path / "leads"
    assert location.url == expected_url(tmp_path / "leads")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG layout is Linux's")
def test_default_is_the_platform_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    # Empty variables count as unset.
    location = resolve_location(environ={DATA_DIR_ENV: "", DATABASE_URL_ENV: ""})
    assert location.data_dir == tmp_path / "xdg" / "LeadDesk"
    assert location.url == expected_url(tmp_path / "xdg" / "LeadDesk")


def _is_one_sentence(message: str) -> bool:
    return message.endswith(".") and "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize("url", ["not a url", "", "://missing-scheme"])
def test_a_malformed_url_is_one_sentence_user_error(url: str) -> None:
    with pytest.raises(UserError) as caught:
        create_database_engine(url)
    message = str(caught.value)
    assert _is_one_sentence(message)
    assert "sqlite:///" in message  # shows what a URL looks like


def test_an_unknown_database_driver_is_a_user_error_that_hides_the_password() -> None:
    with pytest.raises(UserError) as caught:
        create_database_engine("nosuchdb://sales:s3cret@server/leads")
    message = str(caught.value)
    assert _is_one_sentence(message)
    assert "nosuchdb" in message
    assert "s3cret" not in message


def test_open_database_with_a_bad_url_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        open_database(Location(tmp_path, "this is not a url"))


def test_a_data_folder_that_cannot_be_created_is_a_user_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("I am a file, not a folder")
    with pytest.raises(UserError, match=r"^Cannot create the data folder .*\.$"):
        create_database_engine(f"sqlite:///{blocker / 'sub' / 'leaddesk.sqlite3'}")


def test_opening_creates_the_data_folder(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "nested"
    database = open_database(Location(folder, f"sqlite:///{folder / DATABASE_FILE}"))
    database.close()
    assert (folder / DATABASE_FILE).is_file()


# --- connection settings -------------------------------------------------------------


def test_file_database_uses_wal_and_enforces_foreign_keys(db: Database) -> None:
    with db.reading() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.execute(
            activities.insert().values(
                lead_id=12345,
                kind="call",
                occurred_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            )
        )


def test_in_memory_database_also_enforces_foreign_keys(tmp_path: Path) -> None:
    database = open_database(Location(tmp_path, "sqlite:///:memory:"), migrate=False)
    try:
        with database.reading() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.close()


def test_display_url_is_the_file_path_for_sqlite(db: Database, data_dir: Path) -> None:
    assert db.display_url == str(data_dir / DATABASE_FILE)
    assert db.dialect == "sqlite"


# --- UTC timestamps --------------------------------------------------------------------

INSTANT = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)  # a DST change night in Europe


@pytest.mark.parametrize(
    "zone",
    [
        dt.UTC,
        ZoneInfo("Europe/Berlin"),
        ZoneInfo("America/Los_Angeles"),
        ZoneInfo("Asia/Kolkata"),
        dt.timezone(dt.timedelta(hours=-3, minutes=-30)),
    ],
)
def test_aware_datetimes_come_back_as_the_same_instant_in_utc(
    ctx: OperationContext, zone: dt.tzinfo
) -> None:
    local = INSTANT.astimezone(zone)
    lead_id = create_lead(ctx, {"first_name": "Zoe", "consent_date": local}).value
    with ctx.db.reading() as connection:
        stored = connection.execute(
            select(leads.c.consent_date).where(leads.c.id == lead_id)
        ).scalar_one()
        raw = connection.execute(
            text("SELECT consent_date FROM leads WHERE id = :id"), {"id": lead_id}
        ).scalar_one()
    assert stored == INSTANT
    assert stored.utcoffset() == dt.timedelta(0)
    # Stored as UTC text, so ordering and comparison in SQL are by instant.
    assert raw.startswith("2026-03-29 00:30:00")


def test_naive_datetimes_are_refused_by_storage(db: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"), db.transaction() as session:
        session.execute(
            leads.insert().values(
                first_name="Naive",
                created_at=dt.datetime(2026, 1, 1, 12, 0),
                updated_at=dt.datetime(2026, 1, 1, 12, 0),
            )
        )
    with db.reading() as connection:
        assert connection.execute(select(func.count()).select_from(leads)).scalar() == 0


def test_operation_timestamps_are_the_clocks_time(ctx: OperationContext) -> None:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    lead_id = create_lead(ctx, {"first_name": "Tim"}).value
    with ctx.db.reading() as connection:
        row = queries.lead_row(connection, lead_id)
    assert row.created_at == clock.now()
    assert row.updated_at == clock.now()
    assert row.stage_changed_at == clock.now()
    assert row.created_by == "Test User"


# --- a full lead round trip -------------------------------------------------------------


def every_field_value(owner_id: int) -> dict[str, Any]:
    return {
        "first_name": "Zoë",
        "last_name": "Ó Briain-Schäfer",
        "email": "zoe.obriain@bäckerei-schäfer.de",
        "phone": "+49 (30) 1234-5678 ext. 9",
        "company": "Bäckerei Schäfer & Söhne GmbH",
        "source": "Referral",
        "campaign": "Frühjahr 2026 — Messe",
        "enquiry": "Hallo,\nwir brauchen ein Angebot für 40 Plätze.\n\n— Zoë\n" + "x" * 5000,
        "consent": Consent.GRANTED,
        "consent_date": dt.datetime(2026, 3, 1, 9, 15, 30, tzinfo=ZoneInfo("Europe/Berlin")),
        "consent_source": "Web form ✔",
        "job_title": "Geschäftsführerin",
        "website": "https://www.bäckerei-schäfer.de/über-uns",
        "country": "Deutschland",
        "industry": "Food & beverage",
        "company_size": 42,
        "preferred_channel": "Video call",
        "need": "Line one\r\nLine two\n\tindented line",
        "product_interest": "Team plan",
        "budget_range": "€10k–€20k",
        "current_solution": "Excel 📊",
        "competitors": "HubSpot, Pipedrive",
        "budget_confirmed": True,
        "decision_maker": False,
        "other_deciders": "CFO (Jürgen)",
        "expected_close_date": dt.date(2026, 12, 31),
        "deal_value": 1_234_567_89,  # cents: 1,234,567.89
        "next_step": "Send quote by Friday",
        "won_date": dt.date(2027, 1, 15),
        "won_value": 9_007_199_254_740_993,  # beyond a float's exact integers
        "disqualification_reason": "Other",
        "owner": owner_id,
        "temperature": Temperature.HOT,
        "stage": Stage.OPPORTUNITY,
        "notes": "Notizen: «wichtig»\nZeile 2",
    }


def test_every_lead_field_round_trips(ctx: OperationContext) -> None:
    with ctx.db.transaction() as session:
        owner_id = owner_id_for(session, "Sam Seller", ctx.clock.now())
    values = every_field_value(owner_id)
    assert set(values) == {field.name for field in LEAD_FIELDS}, "a field is not covered"

    lead_id = create_lead(ctx, values).value
    with ctx.db.reading() as connection:
        row = queries.lead_row(connection, lead_id)
    assert row is not None
    stored = row._mapping
    for field in LEAD_FIELDS:
        expected = values[field.name]
        if field.name == "email":
            expected = expected.lower()
        assert stored[field.column_name] == expected, field.name
        if not isinstance(expected, str):  # no 1 for True, no float for cents
            assert type(stored[field.column_name]) is type(expected), field.name
    assert stored["consent_date"].tzinfo is not None
    assert stored["owner"] == "Sam Seller"
    assert stored["deal_value_cents"] == 123456789
    assert isinstance(stored["expected_close_date"], dt.date)
    assert not isinstance(stored["expected_close_date"], dt.datetime)


def test_absent_fields_come_back_as_none_or_their_defaults(ctx: OperationContext) -> None:
    lead_id = create_lead(ctx, {"email": "only@acme.io"}).value
    with ctx.db.reading() as connection:
        row = queries.lead_row(connection, lead_id)._mapping
    defaults = {
        "consent": "unknown",
        "temperature": "cold",
        "stage": "lead",
        "email": "only@acme.io",
    }
    for field in LEAD_FIELDS:
        assert row[field.column_name] == defaults.get(field.name), field.name
    assert row["owner"] is None
    assert row["next_follow_up"] is None


# --- transactions ------------------------------------------------------------------------


class DeliberateError(Exception):
    pass


def _write_then_fail(db: Database) -> None:
    now = dt.datetime(2026, 11, 17, tzinfo=dt.UTC)
    with db.transaction() as session:
        result = session.execute(
            leads.insert().values(first_name="Ghost", created_at=now, updated_at=now)
        )
        lead_id = result.inserted_primary_key[0]
        session.execute(
            stage_history.insert().values(lead_id=lead_id, to_stage="lead", changed_at=now)
        )
        raise DeliberateError


def test_an_error_inside_a_transaction_rolls_everything_back(db: Database) -> None:
    with pytest.raises(DeliberateError):
        _write_then_fail(db)
    with db.reading() as connection:
        assert connection.execute(select(func.count()).select_from(leads)).scalar() == 0
        assert connection.execute(select(func.count()).select_from(stage_history)).scalar() == 0
        # The search index was rolled back with the row.
        assert (
            connection.exec_driver_sql(
                "SELECT count(*) FROM lead_search WHERE lead_search MATCH 'ghost'"
            ).scalar()
            == 0
        )


def test_a_failing_operation_writes_nothing(
    ctx: OperationContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leaddesk.operations import leads as lead_operations

    def broken_rescore(*_args: Any, **_kwargs: Any) -> set[int]:
        raise RuntimeError("scoring failed")

    monkeypatch.setattr(lead_operations, "rescore_leads", broken_rescore)
    with pytest.raises(RuntimeError, match="scoring failed"):
        create_lead(ctx, {"first_name": "Half", "last_name": "Written"})
    with ctx.db.reading() as connection:
        assert queries.count_leads(connection) == 0
        assert connection.execute(select(func.count()).select_from(leads)).scalar() == 0
        assert connection.execute(select(func.count()).select_from(stage_history)).scalar() == 0


def test_committed_work_is_visible_to_a_new_connection(db: Database, data_dir: Path) -> None:
    now = dt.datetime(2026, 11, 17, tzinfo=dt.UTC)
    with db.transaction() as session:
        session.execute(leads.insert().values(first_name="Kept", created_at=now, updated_at=now))
    other = open_database(Location(data_dir, str(db.engine.url)))
    try:
        with other.reading() as connection:
            assert queries.count_leads(connection) == 1
    finally:
        other.close()
