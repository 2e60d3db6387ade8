"""Creating, editing, moving and deleting leads, as the board and the CLI do it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from leaddesk.core.clock import FixedClock
from leaddesk.core.fields import BoardGrouping
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import (
    LeadNotFoundError,
    StaleLeadError,
    create_lead,
    delete_leads,
    move_leads,
    owner_id_for,
    restore_leads,
    update_lead,
)
from leaddesk.storage import queries
from leaddesk.storage.queries import ColumnSummary, LeadFilter
from leaddesk.storage.schema import leads, stage_history

TEMPERATURE = BoardGrouping.TEMPERATURE
STAGE = BoardGrouping.STAGE
LATER = dt.timedelta(hours=3)


def add(ctx: OperationContext, name: str, **values: Any) -> int:
    return create_lead(ctx, {"first_name": name, **values}).value


def column(
    ctx: OperationContext,
    value: str,
    grouping: BoardGrouping = TEMPERATURE,
    lead_filter: LeadFilter = LeadFilter(),  # noqa: B008 - frozen
) -> list[int]:
    with ctx.db.reading() as connection:
        return queries.column_ids(connection, grouping, value, lead_filter)


def stored(ctx: OperationContext, lead_id: int) -> dict[str, Any]:
    """The raw row, trashed or not."""
    with ctx.db.reading() as connection:
        row = connection.execute(select(leads).where(leads.c.id == lead_id)).one()
    return dict(row._mapping)


def history(ctx: OperationContext, lead_id: int) -> list[tuple[Any, ...]]:
    with ctx.db.reading() as connection:
        rows = connection.execute(
            select(
                stage_history.c.from_stage,
                stage_history.c.to_stage,
                stage_history.c.changed_at,
                stage_history.c.changed_by,
            )
            .where(stage_history.c.lead_id == lead_id)
            .order_by(stage_history.c.id)
        )
        return [tuple(row) for row in rows]


def count(ctx: OperationContext, table: Any) -> int:
    with ctx.db.reading() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def advance(ctx: OperationContext, delta: dt.timedelta = LATER) -> dt.datetime:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.advance(delta)
    return ctx.clock.now()


# --- create ------------------------------------------------------------------------------


def test_a_new_lead_goes_to_the_top_of_its_column(ctx: OperationContext) -> None:
    first = add(ctx, "First")
    second = add(ctx, "Second")
    hot = add(ctx, "Hot", temperature="hot")
    third = add(ctx, "Third")
    assert column(ctx, "cold") == [third, second, first]
    assert column(ctx, "hot") == [hot]
    assert column(ctx, "warm") == []


def test_create_returns_what_changed_and_stamps_the_row(ctx: OperationContext) -> None:
    outcome = create_lead(ctx, {"first_name": "Anna"})
    lead_id, changes = outcome.value, outcome.changes
    assert changes.created == {lead_id}
    assert changes.board
    assert not changes.updated
    assert not changes.deleted
    row = stored(ctx, lead_id)
    now = ctx.clock.now()
    assert (row["created_at"], row["updated_at"], row["stage_changed_at"]) == (now, now, now)
    assert (row["created_by"], row["updated_by"]) == ("Test User", "Test User")
    assert row["version"] == 1
    assert row["deleted_at"] is None
    assert (row["temperature"], row["stage"], row["consent"]) == ("cold", "lead", "unknown")


def test_create_records_the_first_stage(ctx: OperationContext) -> None:
    plain = add(ctx, "Plain")
    qualified = add(ctx, "Qualified", stage="SQL")
    now = ctx.clock.now()
    assert history(ctx, plain) == [(None, "lead", now, "Test User")]
    assert history(ctx, qualified) == [(None, "sql", now, "Test User")]


def test_create_computes_the_score(ctx: OperationContext) -> None:
    # CEO +20, 50 people +10, Germany +5, business email +5 (DOMAIN.md).
    lead_id = add(
        ctx, "Clara", job_title="CEO", company_size=50, country="Germany", email="clara@acme.io"
    )
    assert stored(ctx, lead_id)["score"] == 40
    # Free mail -5 and a student title -15 cannot go below zero.
    student = add(ctx, "Sam", job_title="Student", email="sam@gmail.com")
    assert stored(ctx, student)["score"] == 0


def test_create_stores_normalised_email_and_phone(ctx: OperationContext) -> None:
    lead_id = add(ctx, "Anna", email="  Anna.Smith@Example.COM ", phone=" +44 20 7946 0004 ")
    row = stored(ctx, lead_id)
    assert row["email"] == "anna.smith@example.com"
    assert row["email_normalized"] == "anna.smith@example.com"
    assert row["phone"] == "+44 20 7946 0004"  # as typed, trimmed
    assert row["phone_normalized"] == "+442079460004"
    national = add(ctx, "Bob", phone="(555) 201-0005")
    assert stored(ctx, national)["phone_normalized"] == "5552010005"


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"company": "Acme", "job_title": "CEO"},
        {"first_name": "   ", "email": "", "phone": None, "company": "Acme"},
    ],
)
def test_create_refuses_a_lead_nobody_could_identify_and_writes_nothing(
    ctx: OperationContext, values: dict[str, Any]
) -> None:
    with pytest.raises(UserError, match="at least a name, an email address or a phone number"):
        create_lead(ctx, values)
    assert count(ctx, leads) == 0
    assert count(ctx, stage_history) == 0


def test_create_refuses_bad_values_naming_the_field(ctx: OperationContext) -> None:
    with pytest.raises(UserError, match="Temperature must be one of cold, warm, hot"):
        create_lead(ctx, {"first_name": "Anna", "temperature": "boiling"})
    with pytest.raises(UserError, match="Company size"):
        create_lead(ctx, {"first_name": "Anna", "company_size": "fifty"})
    assert count(ctx, leads) == 0


def test_owner_names_are_matched_ignoring_case_and_spacing(ctx: OperationContext) -> None:
    with ctx.db.transaction() as session:
        first = owner_id_for(session, "Sam Seller", ctx.clock.now())
        again = owner_id_for(session, "  sam   SELLER ", ctx.clock.now())
        other = owner_id_for(session, "Olga Owner", ctx.clock.now())
    assert first == again != other
    with ctx.db.reading() as connection:
        assert queries.owner_names(connection) == [(other, "Olga Owner"), (first, "Sam Seller")]


# --- update ------------------------------------------------------------------------------


def test_update_changes_only_the_given_fields(ctx: OperationContext) -> None:
    lead_id = add(ctx, "Anna", last_name="Smith", company="Acme", email="anna@acme.io")
    before = stored(ctx, lead_id)
    later = advance(ctx)
    changes = update_lead(ctx, lead_id, {"first_name": "Anna", "company": " Globex "}).changes
    after = stored(ctx, lead_id)

    assert changes.updated == {lead_id}
    assert not changes.board  # the card stays where it is
    assert after["company"] == "Globex"
    assert after["version"] == before["version"] + 1
    assert after["updated_at"] == later
    assert after["created_at"] == before["created_at"]
    # company_key is derived from company and follows it.
    untouched = set(before) - {"company", "company_key", "version", "updated_at", "updated_by"}
    assert {key: after[key] for key in untouched} == {key: before[key] for key in untouched}


def test_an_update_that_changes_nothing_writes_nothing(ctx: OperationContext) -> None:
    lead_id = add(ctx, "Anna", email="anna@acme.io", temperature="warm")
    before = stored(ctx, lead_id)
    advance(ctx)
    changes = update_lead(
        ctx, lead_id, {"first_name": " Anna ", "email": "ANNA@acme.io", "temperature": "WARM"}
    ).changes
    assert not changes
    assert stored(ctx, lead_id) == before


def test_update_records_the_actor(ctx: OperationContext) -> None:
    lead_id = add(ctx, "Anna")
    colleague = dataclasses.replace(ctx, actor="Olga Owner")
    update_lead(colleague, lead_id, {"company": "Acme"})
    row = stored(ctx, lead_id)
    assert (row["created_by"], row["updated_by"]) == ("Test User", "Olga Owner")


def test_a_stage_change_is_recorded_with_time_and_actor(ctx: OperationContext) -> None:
    lead_id = add(ctx, "Anna")
    created = ctx.clock.now()
    later = advance(ctx)
    changes = update_lead(ctx, lead_id, {"stage": "MQL"}).changes
    even_later = advance(ctx, dt.timedelta(days=2))
    update_lead(dataclasses.replace(ctx, actor="Olga"), lead_id, {"stage": "sql"})

    assert changes.board  # the card may change column when grouped by stage
    assert history(ctx, lead_id) == [
        (None, "lead", created, "Test User"),
        ("lead", "mql", later, "Test User"),
        ("mql", "sql", even_later, "Olga"),
    ]
    row = stored(ctx, lead_id)
    assert row["stage"] == "sql"
    assert row["stage_changed_at"] == even_later


def test_other_edits_do_not_add_stage_history(ctx: OperationContext) -> None:
    lead_id = add(ctx, "Anna", stage="mql")
    advance(ctx)
    update_lead(ctx, lead_id, {"company": "Acme", "stage": "mql"})
    assert [entry[:2] for entry in history(ctx, lead_id)] == [(None, "mql")]
    assert stored(ctx, lead_id)["stage_changed_at"] != ctx.clock.now()


def test_a_temperature_change_moves_the_card(ctx: OperationContext) -> None:
    lead_id = add(ctx, "Anna")
    changes = update_lead(ctx, lead_id, {"temperature": "hot"}).changes
    assert changes.board
    assert column(ctx, "hot") == [lead_id]
    assert column(ctx, "cold") == []


def test_a_stale_version_is_refused_and_nothing_is_written(ctx: OperationContext) -> None:
    lead_id = add(ctx, "Anna")
    update_lead(ctx, lead_id, {"company": "Acme"}, expected_version=1)  # version 1 -> 2
    before = stored(ctx, lead_id)
    with pytest.raises(StaleLeadError, match="changed elsewhere"):
        update_lead(ctx, lead_id, {"company": "Globex"}, expected_version=1)
    assert stored(ctx, lead_id) == before
    assert isinstance(StaleLeadError("x"), UserError)  # shown to the user, not a crash
    update_lead(ctx, lead_id, {"company": "Globex"}, expected_version=2)
    assert stored(ctx, lead_id)["company"] == "Globex"


def test_updating_a_missing_or_trashed_lead_is_refused(ctx: OperationContext) -> None:
    with pytest.raises(LeadNotFoundError, match=r"^There is no lead with id 999\.$"):
        update_lead(ctx, 999, {"company": "Acme"})
    lead_id = add(ctx, "Anna")
    delete_leads(ctx, [lead_id])
    with pytest.raises(LeadNotFoundError):
        update_lead(ctx, lead_id, {"company": "Acme"})
    assert stored(ctx, lead_id)["company"] is None


def test_clearing_the_last_way_to_identify_a_lead_is_refused(ctx: OperationContext) -> None:
    only_email = create_lead(ctx, {"email": "anna@acme.io"}).value
    with pytest.raises(UserError, match="at least a name"):
        update_lead(ctx, only_email, {"email": "  "})
    assert stored(ctx, only_email)["email"] == "anna@acme.io"
    # With a name left, the email may go.
    update_lead(ctx, only_email, {"first_name": "Anna"})
    update_lead(ctx, only_email, {"email": ""})
    row = stored(ctx, only_email)
    assert (row["email"], row["email_normalized"]) == (None, None)


def test_update_refuses_bad_values(ctx: OperationContext) -> None:
    lead_id = add(ctx, "Anna")
    with pytest.raises(UserError, match="Stage must be one of"):
        update_lead(ctx, lead_id, {"stage": "won"})
    with pytest.raises(UserError, match="'shoe_size' is not a lead field"):
        update_lead(ctx, lead_id, {"shoe_size": 42})
    assert stored(ctx, lead_id)["version"] == 1


def test_update_recomputes_the_score(ctx: OperationContext) -> None:
    lead_id = add(ctx, "Anna", email="anna@acme.io")
    assert stored(ctx, lead_id)["score"] == 5  # business email
    update_lead(ctx, lead_id, {"job_title": "Head of Sales", "company_size": 200})
    assert stored(ctx, lead_id)["score"] == 35
    update_lead(ctx, lead_id, {"email": "anna@gmail.com", "consent": "denied"})
    assert stored(ctx, lead_id)["score"] == 15  # 20 + 10 - 5 - 10


def test_update_normalises_a_new_email_and_phone(ctx: OperationContext) -> None:
    lead_id = add(ctx, "Anna", email="old@acme.io", phone="111 222")
    update_lead(ctx, lead_id, {"email": "New@Acme.IO", "phone": "00 49 30 1234"})
    row = stored(ctx, lead_id)
    assert (row["email"], row["email_normalized"]) == ("new@acme.io", "new@acme.io")
    assert row["phone_normalized"] == "+49301234"


# --- move ----------------------------------------------------------------------------------


@pytest.fixture
def board(ctx: OperationContext) -> dict[str, int]:
    """cold: c, b, a (top to bottom); hot: h2, h1; warm: empty."""
    ids = {name: add(ctx, name) for name in ("a", "b", "c")}
    ids.update({name: add(ctx, name, temperature="hot") for name in ("h1", "h2")})
    assert column(ctx, "cold") == [ids["c"], ids["b"], ids["a"]]
    assert column(ctx, "hot") == [ids["h2"], ids["h1"]]
    return ids


def test_move_to_another_column_between_two_cards(
    ctx: OperationContext, board: dict[str, int]
) -> None:
    later = advance(ctx)
    changes = move_leads(
        ctx, [board["a"]], TEMPERATURE, "hot", above_id=board["h2"], below_id=board["h1"]
    ).changes
    assert column(ctx, "hot") == [board["h2"], board["a"], board["h1"]]
    assert column(ctx, "cold") == [board["c"], board["b"]]
    assert changes.updated == {board["a"]}
    assert changes.board
    row = stored(ctx, board["a"])
    assert (row["temperature"], row["version"], row["updated_at"]) == ("hot", 2, later)


def test_move_within_a_column(ctx: OperationContext, board: dict[str, int]) -> None:
    move_leads(ctx, [board["c"]], TEMPERATURE, "cold", above_id=board["b"], below_id=board["a"])
    assert column(ctx, "cold") == [board["b"], board["c"], board["a"]]
    move_leads(ctx, [board["a"]], TEMPERATURE, "cold", above_id=board["b"], below_id=board["c"])
    assert column(ctx, "cold") == [board["b"], board["a"], board["c"]]


def test_drop_at_the_top_and_at_the_bottom(ctx: OperationContext, board: dict[str, int]) -> None:
    move_leads(ctx, [board["a"]], TEMPERATURE, "cold", above_id=None, below_id=board["c"])
    assert column(ctx, "cold") == [board["a"], board["c"], board["b"]]
    move_leads(ctx, [board["a"]], TEMPERATURE, "cold", above_id=board["b"], below_id=None)
    assert column(ctx, "cold") == [board["c"], board["b"], board["a"]]
    move_leads(ctx, [board["c"]], TEMPERATURE, "hot", above_id=board["h1"], below_id=None)
    assert column(ctx, "hot") == [board["h2"], board["h1"], board["c"]]
    move_leads(ctx, [board["b"]], TEMPERATURE, "hot", above_id=None, below_id=board["h2"])
    assert column(ctx, "hot") == [board["b"], board["h2"], board["h1"], board["c"]]


def test_drop_into_an_empty_column(ctx: OperationContext, board: dict[str, int]) -> None:
    move_leads(ctx, [board["b"]], TEMPERATURE, "warm")
    assert column(ctx, "warm") == [board["b"]]
    assert column(ctx, "cold") == [board["c"], board["a"]]


@pytest.mark.parametrize("order", [("a", "c"), ("c", "a")])
def test_moving_several_cards_keeps_their_order(
    ctx: OperationContext, board: dict[str, int], order: tuple[str, str]
) -> None:
    moving = [board[name] for name in order]
    changes = move_leads(
        ctx, moving, TEMPERATURE, "hot", above_id=board["h2"], below_id=board["h1"]
    ).changes
    assert column(ctx, "hot") == [board["h2"], *moving, board["h1"]]
    assert column(ctx, "cold") == [board["b"]]
    assert changes.updated == set(moving)


def test_moving_several_cards_to_the_top_and_bottom(
    ctx: OperationContext, board: dict[str, int]
) -> None:
    move_leads(ctx, [board["a"], board["b"]], TEMPERATURE, "hot", below_id=board["h2"])
    assert column(ctx, "hot") == [board["a"], board["b"], board["h2"], board["h1"]]
    move_leads(ctx, [board["h2"], board["a"]], TEMPERATURE, "hot", above_id=board["h1"])
    assert column(ctx, "hot") == [board["b"], board["h1"], board["h2"], board["a"]]


def test_a_card_listed_twice_moves_once(ctx: OperationContext, board: dict[str, int]) -> None:
    changes = move_leads(
        ctx, [board["a"], board["a"]], TEMPERATURE, "hot", above_id=board["h2"]
    ).changes
    assert column(ctx, "hot") == [board["h2"], board["a"], board["h1"]]
    assert changes.updated == {board["a"]}


def test_repeated_drops_between_the_same_neighbours_keep_a_correct_order(
    ctx: OperationContext, board: dict[str, int]
) -> None:
    # Each drop lands right below "c": halving the same gap 60 times exhausts
    # a float's precision, so the column must be renumbered along the way.
    dropped: list[int] = []
    below = board["b"]
    for number in range(60):
        new = add(ctx, f"n{number}", temperature="warm")
        move_leads(ctx, [new], TEMPERATURE, "cold", above_id=board["c"], below_id=below)
        dropped.append(new)
        below = new
    expected = [board["c"], *reversed(dropped), board["b"], board["a"]]
    assert column(ctx, "cold") == expected
    with ctx.db.reading() as connection:
        ranks = [
            connection.execute(select(leads.c.board_rank).where(leads.c.id == lead_id)).scalar()
            for lead_id in expected
        ]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == len(ranks)  # no ties left to the id tie-breaker
    # Other columns were not disturbed.
    assert column(ctx, "hot") == [board["h2"], board["h1"]]


def test_repeated_drops_of_one_card_back_and_forth(
    ctx: OperationContext, board: dict[str, int]
) -> None:
    # Drag "a" up between c and b, then b down below a, again and again.
    for _ in range(30):
        move_leads(ctx, [board["a"]], TEMPERATURE, "cold", above_id=board["c"], below_id=board["b"])
        move_leads(ctx, [board["b"]], TEMPERATURE, "cold", above_id=board["c"], below_id=board["a"])
    assert column(ctx, "cold") == [board["c"], board["b"], board["a"]]


def test_moving_between_stage_columns_records_stage_history(
    ctx: OperationContext, board: dict[str, int]
) -> None:
    later = advance(ctx)
    move_leads(ctx, [board["a"], board["b"]], STAGE, "sql")
    assert column(ctx, "sql", STAGE) == [board["a"], board["b"]]
    for name in ("a", "b"):
        assert history(ctx, board[name])[-1] == ("lead", "sql", later, "Test User")
        row = stored(ctx, board[name])
        assert (row["stage"], row["stage_changed_at"], row["temperature"]) == ("sql", later, "cold")
    # Reordering inside the same stage is not a stage change.
    move_leads(ctx, [board["b"]], STAGE, "sql", below_id=board["a"])
    assert column(ctx, "sql", STAGE) == [board["b"], board["a"]]
    assert len(history(ctx, board["b"])) == 2


def test_moving_to_a_column_that_does_not_exist_is_refused(
    ctx: OperationContext, board: dict[str, int]
) -> None:
    with pytest.raises(UserError, match=r"^'boiling' is not a temperature\.$"):
        move_leads(ctx, [board["a"]], TEMPERATURE, "boiling")
    with pytest.raises(UserError, match=r"^'hot' is not a stage\.$"):
        move_leads(ctx, [board["a"]], STAGE, "hot")
    assert stored(ctx, board["a"])["version"] == 1


def test_moving_a_missing_or_trashed_lead_moves_nothing(
    ctx: OperationContext, board: dict[str, int]
) -> None:
    with pytest.raises(LeadNotFoundError, match="999"):
        move_leads(ctx, [board["a"], 999], TEMPERATURE, "hot")
    delete_leads(ctx, [board["b"]])
    with pytest.raises(LeadNotFoundError):
        move_leads(ctx, [board["a"], board["b"]], TEMPERATURE, "hot")
    assert column(ctx, "hot") == [board["h2"], board["h1"]]
    assert column(ctx, "cold") == [board["c"], board["a"]]


def test_a_card_cannot_be_dropped_next_to_itself(
    ctx: OperationContext, board: dict[str, int]
) -> None:
    with pytest.raises(ValueError, match="next to itself"):
        move_leads(ctx, [board["a"]], TEMPERATURE, "cold", above_id=board["a"])


def test_moving_no_cards_changes_nothing(ctx: OperationContext, board: dict[str, int]) -> None:
    assert not move_leads(ctx, [], TEMPERATURE, "hot").changes
    assert column(ctx, "hot") == [board["h2"], board["h1"]]


# --- delete and restore ------------------------------------------------------------------


def test_trashed_leads_leave_the_board_but_keep_their_row(
    ctx: OperationContext, board: dict[str, int]
) -> None:
    update_lead(ctx, board["b"], {"deal_value": 250_00})
    update_lead(ctx, board["c"], {"deal_value": 100_00})
    later = advance(ctx)
    changes = delete_leads(ctx, [board["b"], board["h1"]]).changes

    assert changes.deleted == {board["b"], board["h1"]}
    assert changes.board
    assert column(ctx, "cold") == [board["c"], board["a"]]
    assert column(ctx, "hot") == [board["h2"]]
    with ctx.db.reading() as connection:
        summaries = queries.column_summaries(connection, TEMPERATURE, LeadFilter())
        assert queries.count_leads(connection) == 3
        assert queries.lead_row(connection, board["b"]) is None
    assert summaries["cold"] == ColumnSummary(2, 100_00)
    assert summaries["hot"] == ColumnSummary(1, 0)
    row = stored(ctx, board["b"])  # still there, in the trash
    assert row["deleted_at"] == later
    assert row["first_name"] == "b"
    assert count(ctx, leads) == 5


def test_restore_brings_leads_back_where_they_were(
    ctx: OperationContext, board: dict[str, int]
) -> None:
    delete_leads(ctx, [board["b"]])
    changes = restore_leads(ctx, [board["b"]]).changes
    assert changes.created == {board["b"]}
    assert changes.board
    assert column(ctx, "cold") == [board["c"], board["b"], board["a"]]
    assert stored(ctx, board["b"])["deleted_at"] is None
    update_lead(ctx, board["b"], {"company": "Back again"})  # editable again


def test_deleting_a_missing_or_already_trashed_lead_deletes_nothing(
    ctx: OperationContext, board: dict[str, int]
) -> None:
    with pytest.raises(LeadNotFoundError, match="999"):
        delete_leads(ctx, [board["a"], 999])
    assert stored(ctx, board["a"])["deleted_at"] is None
    delete_leads(ctx, [board["b"]])
    with pytest.raises(LeadNotFoundError):
        delete_leads(ctx, [board["b"], board["c"]])
    assert column(ctx, "cold") == [board["c"], board["a"]]


# --- Changes ---------------------------------------------------------------------------------


def test_empty_changes_are_false_and_anything_else_true() -> None:
    assert not Changes()
    assert Changes(created=frozenset({1}))
    assert Changes(deleted=frozenset({1}))
    assert Changes(board=True)
    assert Changes(settings=True)
    assert not Changes(description="Nothing really")


def test_changes_merge() -> None:
    first = Changes(
        created=frozenset({1}), updated=frozenset({2, 3}), board=True, description="Import"
    )
    second = Changes(updated=frozenset({4}), deleted=frozenset({3}), description="Delete")
    merged = first | second
    assert merged.created == {1}
    assert merged.updated == {2, 4}  # 3 was deleted: nothing left to refresh
    assert merged.deleted == {3}
    assert merged.board
    assert not merged.settings
    assert merged.description == "Import"
    assert merged.leads == {1, 2, 3, 4}
    assert (Changes() | Changes(settings=True)).settings
    assert (Changes() | second).description == "Delete"
    assert Changes() | Changes() == Changes()


def test_changes_of_a_sequence_of_operations(ctx: OperationContext) -> None:
    outcome = create_lead(ctx, {"first_name": "Anna"})
    lead_id, created = outcome.value, outcome.changes
    edited = update_lead(ctx, lead_id, {"company": "Acme"}).changes
    deleted = delete_leads(ctx, [lead_id]).changes
    merged = created | edited | deleted
    assert merged.created == {lead_id}
    assert merged.updated == frozenset()
    assert merged.deleted == {lead_id}
    assert merged.board


# --- column summaries --------------------------------------------------------------------


def test_column_summaries_count_leads_and_total_deal_values(ctx: OperationContext) -> None:
    add(ctx, "A", deal_value=1_000_50)
    add(ctx, "B", deal_value=2_500_00)
    add(ctx, "C")  # no deal value: counted, adds nothing
    add(ctx, "D", temperature="hot", deal_value=99)
    add(ctx, "E", temperature="hot", stage="customer", deal_value=-50)
    with ctx.db.reading() as connection:
        by_temperature = queries.column_summaries(connection, TEMPERATURE, LeadFilter())
        by_stage = queries.column_summaries(connection, STAGE, LeadFilter())
        hot_only = queries.column_summaries(connection, STAGE, LeadFilter(temperature="hot"))
    assert by_temperature == {
        "cold": ColumnSummary(3, 3_500_50),
        "warm": ColumnSummary(0, 0),
        "hot": ColumnSummary(2, 49),
    }
    assert set(by_stage) == {"lead", "mql", "sql", "opportunity", "customer", "disqualified"}
    assert by_stage["lead"] == ColumnSummary(4, 3_500_50 + 99)
    assert by_stage["customer"] == ColumnSummary(1, -50)
    assert by_stage["mql"] == ColumnSummary(0, 0)
    assert hot_only["lead"] == ColumnSummary(1, 99)
    assert hot_only["customer"] == ColumnSummary(1, -50)


def test_column_summaries_follow_the_owner_filter(ctx: OperationContext) -> None:
    with ctx.db.transaction() as session:
        sam = owner_id_for(session, "Sam", ctx.clock.now())
    add(ctx, "Mine", owner=sam, deal_value=700)
    add(ctx, "Unowned", deal_value=300)
    with ctx.db.reading() as connection:
        summaries = queries.column_summaries(connection, TEMPERATURE, LeadFilter(owner_id=sam))
        cold = queries.column_ids(connection, TEMPERATURE, "cold", LeadFilter(owner_id=sam))
    assert summaries["cold"] == ColumnSummary(1, 700)
    assert len(cold) == 1
