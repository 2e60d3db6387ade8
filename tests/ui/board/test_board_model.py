"""The column model: Qt's model contract, lazy card data, MIME round trip."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QModelIndex, Qt

from leaddesk.core.fields import BoardGrouping, initials
from leaddesk.operations.demo import add_demo_leads
from leaddesk.operations.follow_ups import add_follow_up, complete_follow_up
from leaddesk.storage.queries import LeadFilter
from leaddesk.ui.board.model import (
    CARD_ROLE,
    LEAD_ID_ROLE,
    LEAD_IDS_MIME_TYPE,
    CardCache,
    LeadColumnModel,
)
from tests.conftest import TEST_NOW


def _column(ctx, value: str = "cold", cache: CardCache | None = None, moves=None):
    model = LeadColumnModel(
        ctx.db,
        cache or CardCache(ctx.db),
        BoardGrouping.TEMPERATURE,
        value,
        on_move=(lambda *args: moves.append(args)) if moves is not None else None,
    )
    model.reload()
    return model


def test_column_model_passes_qt_model_checks(qtmodeltester, ctx):
    add_demo_leads(ctx, 40, seed=3)
    for value in ("cold", "warm", "hot"):
        qtmodeltester.check(_column(ctx, value), force_py=True)


def test_empty_column_passes_qt_model_checks(qtmodeltester, ctx):
    qtmodeltester.check(_column(ctx, "hot"), force_py=True)


def test_column_lists_only_its_temperature_newest_on_top(ctx, make_lead):
    first = make_lead("Ada", "warm")
    make_lead("Bo", "cold")
    second = make_lead("Cy", "warm")
    model = _column(ctx, "warm")
    assert model.lead_ids == [second, first]
    assert model.index(0).data(Qt.ItemDataRole.DisplayRole) == "Cy"
    assert model.index(0).data(LEAD_ID_ROLE) == second


def test_holds_all_says_whether_a_move_stays_within_the_column(ctx, make_lead):
    ada, bo, cy = make_lead("Ada", "warm"), make_lead("Bo", "warm"), make_lead("Cy", "cold")
    model = _column(ctx, "warm")
    assert model.holds_all([ada])
    assert model.holds_all([ada, bo])
    assert not model.holds_all([cy])
    assert not model.holds_all([ada, cy])


def test_card_data_is_fetched_lazily_a_page_at_a_time(ctx):
    add_demo_leads(ctx, 300, seed=5)
    queries: list[int] = []
    cache = CardCache(ctx.db)
    original = cache.get

    def counting_get(lead_id, neighbours):
        if lead_id not in cache._cards:
            queries.append(lead_id)
        return original(lead_id, neighbours)

    cache.get = counting_get  # type: ignore[method-assign]
    model = _column(ctx, "cold", cache)
    assert model.rowCount() > CardCache.PAGE
    # Loading the column reads no card data at all.
    assert queries == []
    for row in range(20):
        assert model.index(row).data(CARD_ROLE) is not None
    # Twenty visible rows came from a single page read.
    assert len(queries) == 1


def test_card_shows_owner_and_next_follow_up(ctx, make_lead):
    ada = make_lead("Ada", owner="Sam Seller")
    bo = make_lead("Bo", owner="Cher")
    cy = make_lead("Cy")
    soon, overdue = TEST_NOW + dt.timedelta(hours=2), TEST_NOW - dt.timedelta(hours=1)
    done = add_follow_up(ctx, ada, TEST_NOW - dt.timedelta(days=1)).value
    complete_follow_up(ctx, done)
    add_follow_up(ctx, ada, TEST_NOW + dt.timedelta(days=3))
    add_follow_up(ctx, ada, soon)
    add_follow_up(ctx, bo, overdue)
    model = _column(ctx, "cold")
    cards = [model.index(row).data(CARD_ROLE) for row in range(model.rowCount())]
    shown = {card.id: (card.owner, card.next_follow_up) for card in cards}
    # The next follow-up is the earliest open one, overdue or not; a done one is past.
    assert shown == {ada: ("Sam Seller", soon), bo: ("Cher", overdue), cy: (None, None)}
    assert [initials(shown[lead][0]) for lead in (ada, bo)] == ["SS", "CH"]


def test_search_filter_narrows_the_column(ctx, make_lead):
    make_lead("Jürgen", last_name="Schäfer")
    make_lead("Maria", last_name="Gomez")
    model = _column(ctx, "cold")
    model.reload(LeadFilter(search="schaf"))
    assert model.rowCount() == 1
    assert model.index(0).data(Qt.ItemDataRole.DisplayRole) == "Jürgen Schäfer"


def test_mime_data_carries_ids_in_board_order_and_drop_asks_for_a_move(ctx, make_lead):
    bottom = make_lead("Bottom")
    middle = make_lead("Middle")
    top = make_lead("Top")
    moves: list[tuple] = []
    source = _column(ctx, "cold")
    mime = source.mimeData([source.index(2), source.index(0)])
    assert json.loads(bytes(mime.data(LEAD_IDS_MIME_TYPE).data())) == [top, bottom]

    target = _column(ctx, "hot", moves=moves)
    assert target.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert not target.canDropMimeData(mime, Qt.DropAction.CopyAction, 0, 0, QModelIndex())
    # The model never removes rows itself: it asks for the move and reloads later.
    assert not target.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    assert moves == [([top, bottom], "hot", None, None)]

    moves.clear()
    same = _column(ctx, "cold", moves=moves)
    # Dropping the top card between Middle and Bottom: neighbours skip the moved card.
    same.dropMimeData(
        source.mimeData([same.index(0)]), Qt.DropAction.MoveAction, 2, 0, QModelIndex()
    )
    assert moves == [([top], "cold", middle, bottom)]


def test_foreign_mime_data_is_refused(ctx, make_lead):
    from PySide6.QtCore import QMimeData

    make_lead("Someone")
    mime = QMimeData()
    mime.setText("1")
    model = _column(ctx, "cold", moves=[])
    assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert not model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
