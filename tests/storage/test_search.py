"""Search-as-you-type over names, emails, phones, companies and job titles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql

from leaddesk.core.clock import FixedClock
from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import create_lead, delete_leads, update_lead
from leaddesk.storage import queries
from leaddesk.storage.database import Database, Location, open_database
from leaddesk.storage.queries import LeadFilter
from leaddesk.storage.schema import leads
from leaddesk.storage.search import fts_query, search_condition, search_tokens

NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)

PEOPLE: dict[str, dict[str, Any]] = {
    "juergen": {
        "first_name": "Jürgen",
        "last_name": "Schäfer",
        "email": "j.schaefer@baeckerei-schaefer.de",
        "company": "Bäckerei Schäfer GmbH",
        "phone": "+49 30 1234 5678",
        "job_title": "Inhaber",
    },
    "anna": {
        "first_name": "Anna",
        "last_name": "O'Brien",
        "email": "anna.obrien@acme.io",
        "company": "Acme Corp",
        "phone": "(555) 201-0005",
        "job_title": "Head of Sales",
    },
    "annabel": {
        "first_name": "Annabel",
        "last_name": "Lee",
        "email": "annabel@gmail.com",
        "company": "Poe Publishing",
        "job_title": "Student",
    },
    "francois": {
        "first_name": "François",
        "last_name": "Lefèvre",
        "company": "Crème Brûlée SARL",
        "phone": "+33 1 23 45 67 89",
    },
}


@pytest.fixture
def people(ctx: OperationContext) -> dict[str, int]:
    """PEOPLE in this test's own database, free to be changed."""
    return {key: create_lead(ctx, values).value for key, values in PEOPLE.items()}


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, dict[str, int]]]:
    """PEOPLE in one database for the tests that only read (keeps the suite fast)."""
    folder = tmp_path_factory.mktemp("search")
    database = open_database(Location(folder, f"sqlite:///{folder / 'leaddesk.sqlite3'}"))
    ctx = OperationContext(database, FixedClock(NOW), actor="Test User")
    yield database, {key: create_lead(ctx, values).value for key, values in PEOPLE.items()}
    database.close()


def found(ctx: OperationContext | Database, query: str) -> set[int]:
    database = ctx.db if isinstance(ctx, OperationContext) else ctx
    with database.reading() as connection:
        rows = connection.execute(queries.lead_list_query("sqlite", LeadFilter(search=query)))
        return {row.id for row in rows}


def named(people: dict[str, int], *keys: str) -> set[int]:
    return {people[key] for key in keys}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ann", {"anna", "annabel"}),  # prefix of a first name
        ("anna", {"anna", "annabel"}),
        ("annab", {"annabel"}),
        ("ANNA", {"anna", "annabel"}),  # case-insensitive
        ("sch", {"juergen"}),
        ("lee", {"annabel"}),
        ("zzz", set()),
        ("nna", set()),  # words match from their start, not in the middle
    ],
)
def test_prefix_matching(
    shared: tuple[Database, dict[str, int]], query: str, expected: set[str]
) -> None:
    db, people = shared
    assert found(db, query) == named(people, *expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("schafer", {"juergen"}),  # "Schäfer" without the umlaut
        ("Schäfer", {"juergen"}),
        ("jurgen", {"juergen"}),
        ("backerei", {"juergen"}),
        ("francois", {"francois"}),
        ("lefevre", {"francois"}),
        ("creme brulee", {"francois"}),
        ("LEFÈVRE", {"francois"}),
    ],
)
def test_accents_are_ignored(
    shared: tuple[Database, dict[str, int]], query: str, expected: set[str]
) -> None:
    db, people = shared
    assert found(db, query) == named(people, *expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("anna acme", {"anna"}),  # every word must match, in any field
        ("acme anna", {"anna"}),
        ("ann poe", {"annabel"}),
        ("anna bäckerei", set()),
        ("jürgen  schäfer   gmbh", {"juergen"}),
        ("head sales", {"anna"}),
    ],
)
def test_several_words_must_all_match(
    shared: tuple[Database, dict[str, int]], query: str, expected: set[str]
) -> None:
    db, people = shared
    assert found(db, query) == named(people, *expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("anna.obrien@acme.io", {"anna"}),  # a whole email
        ("acme.io", {"anna"}),
        ("gmail", {"annabel"}),
        ("baeckerei-schaefer", {"juergen"}),
        ("o'brien", {"anna"}),
        ("brien", {"anna"}),
        ("poe publishing", {"annabel"}),
        ("201-0005", {"anna"}),  # part of a phone as written
        ("555", {"anna"}),
        ("+49 30", {"juergen"}),
        ("5678", {"juergen"}),
        ("inhaber", {"juergen"}),  # job title
    ],
)
def test_email_company_phone_and_title_parts(
    shared: tuple[Database, dict[str, int]], query: str, expected: set[str]
) -> None:
    db, people = shared
    assert found(db, query) == named(people, *expected)


@pytest.mark.parametrize("query", ["", "   ", "!!!", "@", "+", "-", '"', "*", "()", "' -- ;"])
def test_queries_without_words_filter_nothing(
    shared: tuple[Database, dict[str, int]], query: str
) -> None:
    db, people = shared
    assert found(db, query) == set(people.values())


@pytest.mark.parametrize(
    "query", ['anna"', "anna*", "(anna)", "anna:", "-anna", "^anna", "{anna}", "anna + ("]
)
def test_fts_syntax_in_a_query_is_treated_as_text(
    shared: tuple[Database, dict[str, int]], query: str
) -> None:
    db, people = shared
    # Never an FTS5 syntax error: operators and quotes are not passed through.
    assert found(db, query) == named(people, "anna", "annabel")


def test_fts_operators_are_plain_words(shared: tuple[Database, dict[str, int]]) -> None:
    db, _ = shared
    # As FTS5 syntax "annabel OR acme" would find both; as words it needs "or..." too.
    assert found(db, "annabel OR acme") == set()
    assert found(db, "NEAR anna") == set()


def test_search_tokens_and_fts_query() -> None:
    assert search_tokens("  Jürgen, O'Brien+co ") == ["Jürgen", "O", "Brien", "co"]
    assert search_tokens("?!") == []
    assert fts_query(["anna", 'qu"ote']) == '"anna"* "qu""ote"*'
    assert search_condition("sqlite", "...") is None
    assert search_condition("postgresql", "  ") is None


def test_index_follows_an_edit(ctx: OperationContext, people: dict[str, int]) -> None:
    update_lead(ctx, people["anna"], {"last_name": "Zimmermann", "company": "Globex"})
    assert found(ctx, "brien") == set()
    assert found(ctx, "corp") == set()
    assert found(ctx, "acme") == {people["anna"]}  # still in her email address
    assert found(ctx, "zimmer") == {people["anna"]}
    assert found(ctx, "globex anna") == {people["anna"]}
    # An edit of a field that is not searched leaves the index intact.
    update_lead(ctx, people["anna"], {"notes": "called twice"})
    assert found(ctx, "zimmermann") == {people["anna"]}
    assert found(ctx, "called") == set()


def test_index_follows_a_direct_update_and_a_removed_value(
    ctx: OperationContext, people: dict[str, int]
) -> None:
    with ctx.db.transaction() as session:
        session.execute(update(leads).where(leads.c.id == people["annabel"]).values(email=None))
    assert found(ctx, "gmail") == set()
    assert found(ctx, "annabel") == {people["annabel"]}


def test_index_follows_a_row_deleted_from_the_table(
    ctx: OperationContext, people: dict[str, int]
) -> None:
    with ctx.db.transaction() as session:
        session.execute(delete(leads).where(leads.c.id == people["anna"]))
    assert found(ctx, "anna") == {people["annabel"]}
    assert found(ctx, "acme") == set()
    with ctx.db.reading() as connection:
        # External-content FTS5: checks the index against the leads table.
        connection.exec_driver_sql(
            "INSERT INTO lead_search(lead_search) VALUES ('integrity-check')"
        )
        indexed = connection.exec_driver_sql(
            "SELECT count(*) FROM lead_search WHERE lead_search MATCH 'acme'"
        ).scalar()
    assert indexed == 0


def test_index_integrity_after_many_edits(ctx: OperationContext, people: dict[str, int]) -> None:
    for number in range(5):
        update_lead(ctx, people["francois"], {"company": f"Company {number}"})
    with ctx.db.reading() as connection:
        connection.exec_driver_sql(
            "INSERT INTO lead_search(lead_search) VALUES ('integrity-check')"
        )
    assert found(ctx, "company 4") == {people["francois"]}
    assert found(ctx, "creme") == set()


def test_trashed_leads_are_not_found(ctx: OperationContext, people: dict[str, int]) -> None:
    delete_leads(ctx, [people["anna"]])
    assert found(ctx, "anna") == {people["annabel"]}
    with ctx.db.reading() as connection:
        column = queries.column_ids(
            connection, BoardGrouping.TEMPERATURE, "cold", LeadFilter(search="anna")
        )
    assert column == [people["annabel"]]


def test_search_filters_board_columns_and_their_summaries(
    ctx: OperationContext, people: dict[str, int]
) -> None:
    update_lead(ctx, people["annabel"], {"temperature": "hot", "deal_value": 5000})
    lead_filter = LeadFilter(search="ann")
    with ctx.db.reading() as connection:
        cold = queries.column_ids(connection, BoardGrouping.TEMPERATURE, "cold", lead_filter)
        hot = queries.column_ids(connection, BoardGrouping.TEMPERATURE, "hot", lead_filter)
        summaries = queries.column_summaries(connection, BoardGrouping.TEMPERATURE, lead_filter)
    assert cold == [people["anna"]]
    assert hot == [people["annabel"]]
    assert summaries["cold"] == queries.ColumnSummary(1, 0)
    assert summaries["hot"] == queries.ColumnSummary(1, 5000)
    assert summaries["warm"] == queries.ColumnSummary(0, 0)


# --- the portable fallback for other databases --------------------------------------


def test_the_fallback_condition_compiles_to_ilike_for_postgresql() -> None:
    condition = search_condition("postgresql", "anna acme")
    assert condition is not None
    compiled = condition.compile(dialect=postgresql.dialect())
    sql = str(compiled)
    assert "ILIKE" in sql
    assert "lead_search" not in sql  # no SQLite FTS on a server database
    assert ") AND (" in sql  # both words must match
    for column in ("first_name", "last_name", "email", "phone", "company", "job_title"):
        assert sql.count(f"leads.{column} ILIKE") == 2
    assert set(compiled.params.values()) == {"%anna%", "%acme%"}


def fallback_found(ctx: OperationContext, query: str) -> set[int]:
    """Run the portable condition itself on SQLite (where ILIKE becomes lower() LIKE)."""
    condition = search_condition("postgresql", query)
    with ctx.db.reading() as connection:
        statement = select(leads.c.id).where(leads.c.deleted_at.is_(None))
        if condition is not None:
            statement = statement.where(condition)
        return set(connection.execute(statement).scalars())


def test_the_fallback_matches_words_anywhere_and_needs_all_of_them(
    ctx: OperationContext, people: dict[str, int]
) -> None:
    assert fallback_found(ctx, "anna") == named(people, "anna", "annabel")
    assert fallback_found(ctx, "ACME anna") == {people["anna"]}
    assert fallback_found(ctx, "publishing") == {people["annabel"]}
    assert fallback_found(ctx, "!!!") == set(people.values())


def test_the_fallback_treats_underscore_as_a_letter(ctx: OperationContext) -> None:
    wanted = create_lead(ctx, {"email": "john_doe@acme.io"}).value
    create_lead(ctx, {"email": "johnxdoe@acme.io"})
    assert fallback_found(ctx, "john_doe") == {wanted}
