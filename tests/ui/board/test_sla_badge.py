"""Speed-to-lead on the card: a countdown, then an overdue badge, per temperature."""

from __future__ import annotations

import datetime as dt

import pytest

from leaddesk.core.agenda import SlaState, sla_status
from leaddesk.core.clock import FixedClock
from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.activities import log_activity
from leaddesk.storage.queries import LeadFilter
from leaddesk.ui.board.card_badges import sla_badge_text
from leaddesk.ui.board.model import AWAITING_CONTACT_ROLE, CardCache, LeadColumnModel
from tests.conftest import TEST_NOW


@pytest.mark.parametrize(
    ("temperature", "age", "badge"),
    [
        ("hot", dt.timedelta(minutes=2), "Reply in 3 min"),
        ("hot", dt.timedelta(minutes=7), "SLA overdue 2 min"),
        ("warm", dt.timedelta(hours=1), "Reply in 23 h"),
        ("warm", dt.timedelta(hours=26), "SLA overdue 2 h"),
        ("cold", dt.timedelta(days=1), "Reply in 2 d"),
        ("cold", dt.timedelta(days=5), "SLA overdue 2 d"),
    ],
)
def test_badge_per_temperature(temperature: str, age: dt.timedelta, badge: str):
    status = sla_status(TEST_NOW - age, temperature, None, TEST_NOW)
    assert sla_badge_text(status) == badge


def test_a_contacted_lead_has_no_badge():
    status = sla_status(TEST_NOW, "hot", TEST_NOW, TEST_NOW + dt.timedelta(hours=1))
    assert status.state is SlaState.CONTACTED
    assert sla_badge_text(status) is None


def _column(db, temperature: str) -> LeadColumnModel:
    model = LeadColumnModel(db, CardCache(db), BoardGrouping.TEMPERATURE, temperature)
    model.reload(LeadFilter())
    return model


def test_only_new_uncontacted_leads_carry_the_deadline(qapp, ctx, make_lead):
    waiting = make_lead("Waiting", "hot")
    called = make_lead("Called", "hot")
    qualified = make_lead("Qualified", "hot", stage="sql")
    ctx.clock.advance(dt.timedelta(minutes=1))
    log_activity(ctx, called, "call")
    model = _column(ctx.db, "hot")
    role = {
        model.index(row).data(): model.index(row).data(AWAITING_CONTACT_ROLE)
        for row in range(model.rowCount())
    }
    assert role == {"Waiting": TEST_NOW, "Called": None, "Qualified": None}
    assert waiting != qualified


def test_the_badge_counts_down_and_goes_with_the_first_contact(qtbot, runner, ctx, make_lead):
    from leaddesk.ui.board.view import BoardWidget

    lead = make_lead("Hot one", "hot")
    board = BoardWidget(runner)
    qtbot.addWidget(board)
    clock: FixedClock = ctx.clock
    clock.advance(dt.timedelta(minutes=3))
    column = board.column_for("hot")
    created = column.model.index(0).data(AWAITING_CONTACT_ROLE)
    minutes = board.delegate.sla_minutes
    assert sla_badge_text(sla_status(created, "hot", None, clock.now(), minutes)) == (
        "Reply in 2 min"
    )
    runner.run(log_activity, lead, "email")
    board.flush()
    assert column.model.index(0).data(AWAITING_CONTACT_ROLE) is None
