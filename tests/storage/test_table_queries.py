"""The lead table's SQL sorts give the order a Python sort of the same rows gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from leaddesk.core.fields import Stage, Temperature
from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.leads import delete_leads
from leaddesk.storage.queries import LeadFilter
from leaddesk.storage.table_queries import SortKey, TableRow, ordered_ids, table_rows

TEMPERATURES = [t.value for t in Temperature]
STAGES = [s.value for s in Stage]


def _lower(text: str | None) -> str | None:
    # SQLite's lower() folds ASCII letters only.
    return (
        None
        if text is None
        else text.translate(
            str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
        )
    )


def sort_value(row: TableRow, key: SortKey) -> Any:
    """What the table sorts by, as a tuple: blanks are None (sorted last either way)."""
    match key:
        case SortKey.NAME:
            if row.first_name is None:
                return None
            return (_lower(row.first_name), _lower(row.last_name) or "")
        case SortKey.COMPANY:
            return _lower(row.company)
        case SortKey.SOURCE:
            return _lower(row.source)
        case SortKey.SCORE:
            return row.score
        case SortKey.TEMPERATURE:
            return TEMPERATURES.index(row.temperature)
        case SortKey.STAGE:
            return STAGES.index(row.stage)
        case SortKey.OWNER:
            return _lower(row.owner)
        case SortKey.NEXT_FOLLOW_UP:
            return row.next_follow_up
        case SortKey.LAST_ACTIVITY:
            return row.last_activity
        case SortKey.SLA_DUE:
            return row.sla_due()
        case SortKey.CREATED:
            return row.created_at
    raise AssertionError(key)


def python_order(rows: dict[int, TableRow], key: SortKey, descending: bool) -> list[Any]:
    values = [sort_value(row, key) for row in rows.values()]
    present = sorted((v for v in values if v is not None), reverse=descending)
    return present + [None] * (len(values) - len(present))


NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def ten_thousand(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """10,000 demo leads (a few in the trash), made once for the module."""
    from leaddesk.core.clock import FixedClock
    from leaddesk.storage.database import Location, open_database

    data_dir = tmp_path_factory.mktemp("table")
    db = open_database(Location(data_dir=data_dir, url=f"sqlite:///{data_dir / 'l.sqlite3'}"))
    ctx = OperationContext(db=db, clock=FixedClock(NOW), actor="Test User")
    add_demo_leads(ctx, 10_000, seed=12)
    delete_leads(ctx, range(1, 10_001, 97))
    yield ctx
    db.close()


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("key", list(SortKey))
def test_every_sort_matches_a_python_sort_of_the_same_rows(
    ten_thousand: OperationContext, key: SortKey, descending: bool
) -> None:
    with ten_thousand.db.reading() as connection:
        ids = ordered_ids(connection, key, descending)
        rows = table_rows(connection, ids)
    assert len(ids) == len(set(ids)) == 10_000 - len(range(1, 10_001, 97))
    assert set(ids) == set(rows)
    assert [sort_value(rows[i], key) for i in ids] == python_order(rows, key, descending)


@pytest.mark.parametrize("key", [SortKey.COMPANY, SortKey.NEXT_FOLLOW_UP, SortKey.OWNER])
def test_the_search_and_my_leads_filter_the_sorted_ids(
    ten_thousand: OperationContext, key: SortKey
) -> None:
    with ten_thousand.db.reading() as connection:
        every = ordered_ids(connection, key)
        rows = table_rows(connection, every)
        owner_id = connection.exec_driver_sql("SELECT min(id) FROM owners").scalar()
        owner = connection.exec_driver_sql(
            "SELECT name FROM owners WHERE id = ?", (owner_id,)
        ).scalar()
        mine = ordered_ids(connection, key, lead_filter=LeadFilter(owner_id=owner_id))
        company = next(row.company for row in rows.values() if row.company)
        found = ordered_ids(connection, key, lead_filter=LeadFilter(search=company))
    assert mine == [i for i in every if rows[i].owner == owner]
    assert 0 < len(found) < len(every)
    assert found == [i for i in every if i in set(found)]
    assert all(
        company.lower()
        in " ".join(
            filter(None, (rows[i].company, rows[i].first_name, rows[i].last_name, rows[i].email))
        ).lower()
        for i in found
    )


def _sort_statements(ctx: OperationContext, key: SortKey, descending: bool) -> list[Any]:
    """The SELECTs ``ordered_ids`` runs for one sort, with their parameters."""
    from sqlalchemy import event

    seen: list[Any] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    with ctx.db.reading() as connection:
        event.listen(connection.engine, "before_cursor_execute", keep)
        try:
            ordered_ids(connection, key, descending)
        finally:
            event.remove(connection.engine, "before_cursor_execute", keep)
    return seen


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("key", list(SortKey))
def test_every_sort_reads_an_index_in_order_without_a_sort_step(
    ten_thousand: OperationContext, key: SortKey, descending: bool
) -> None:
    """Each ORDER BY matches an index exactly (expressions, direction, id last).

    The exceptions sort a handful of rows: the team's names, and the SLA's new
    uncontacted leads by a deadline that depends on the settings.
    """
    statements = _sort_statements(ten_thousand, key, descending)
    assert statements
    with ten_thousand.db.reading() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        for statement, parameters in statements:
            plan = " | ".join(
                row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            )
            if "FROM owners" in statement or "julianday" in statement:
                continue
            assert "TEMP B-TREE" not in plan, (statement, plan)
            assert "SCAN leads" not in plan, (statement, plan)


@pytest.mark.parametrize("descending", [False, True])
def test_leads_without_a_first_name_follow_by_last_name_or_email(
    ctx: OperationContext, descending: bool
) -> None:
    from leaddesk.operations.leads import create_leads

    ids = create_leads(
        ctx,
        [
            {"first_name": "bo", "last_name": "Zed"},
            {"last_name": "Cole"},
            {"email": "anna@example.com"},
            {"first_name": "Al"},
            {"last_name": "berg", "email": "zz@example.com"},
        ],
    ).value
    bo, cole, anna, al, berg = ids
    with ctx.db.reading() as connection:
        found = ordered_ids(connection, SortKey.NAME, descending)
    named = [bo, al] if descending else [al, bo]
    unnamed = [cole, berg, anna] if descending else [anna, berg, cole]
    assert found == named + unnamed


def test_leads_from_history_show_no_deadline_and_sort_after_the_due(
    ctx: OperationContext,
) -> None:
    """Historical leads (no countdown) neither show a deadline nor sort among the due.

    The file's "Old Hot" and "Old Cold" are new, uncontacted leads created in
    May: before, the table showed them months overdue and put them first.
    """
    from leaddesk.operations.importing import import_csv
    from tests.operations.importing.import_helpers import FIXTURES

    import_csv(ctx, FIXTURES / "duplicates" / "historical_leads.csv")
    with ctx.db.reading() as connection:
        rows = table_rows(connection, range(1, 100))
        names = {f"{row.first_name} {row.last_name}": lead_id for lead_id, row in rows.items()}
        ascending = ordered_ids(connection, SortKey.SLA_DUE)
        descending = ordered_ids(connection, SortKey.SLA_DUE, descending=True)

    due = {name for name, lead_id in names.items() if rows[lead_id].sla_due() is not None}
    assert due == {"Fresh Enquiry"}
    assert ascending[0] == names["Fresh Enquiry"]
    assert descending[0] == names["Fresh Enquiry"]
    assert sorted(ascending) == sorted(names.values())


def test_the_sla_sort_reads_the_due_leads_from_their_own_index(
    ten_thousand: OperationContext,
) -> None:
    statements = _sort_statements(ten_thousand, SortKey.SLA_DUE, False)
    (statement, parameters) = next(s for s in statements if "julianday" in s[0])
    with ten_thousand.db.reading() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        plan = " | ".join(
            row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        )
        (index_sql,) = raw.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'ix_leads_live_awaiting'"
        ).fetchone()
    assert "ix_leads_live_awaiting" in plan, plan
    # Partial: only the leads whose deadline runs are in it.
    assert "WHERE stage = 'lead' AND first_contacted_at IS NULL AND sla_applies IS 1" in index_sql
