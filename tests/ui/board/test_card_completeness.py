"""The card's completeness indicator follows the lead's profile."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from leaddesk.core.fields import BoardGrouping
from leaddesk.operations.leads import update_lead
from leaddesk.ui.board.model import COMPLETENESS_ROLE, CardCache, LeadColumnModel


def _column(ctx, cache: CardCache, value: str = "cold") -> LeadColumnModel:
    model = LeadColumnModel(ctx.db, cache, BoardGrouping.TEMPERATURE, value)
    model.reload()
    return model


def test_completeness_counts_the_key_fields_of_the_tiers_reached(qtmodeltester, ctx, make_lead):
    lead = make_lead("Ada", "cold", email="ada@example.com")
    cache = CardCache(ctx.db)
    model = _column(ctx, cache)
    qtmodeltester.check(model, force_py=True)
    index = model.index(0)
    # first name and email of 13 capture + cold key fields
    assert index.data(COMPLETENESS_ROLE) == pytest.approx(2 / 13, abs=1e-3)
    assert "Profile 15% complete" in index.data(Qt.ItemDataRole.ToolTipRole)

    update_lead(ctx, lead, {"job_title": "CTO", "company": "Acme", "last_name": "Lovelace"})
    cache.forget([lead])
    assert model.index(0).data(COMPLETENESS_ROLE) == pytest.approx(5 / 13, abs=1e-3)


def test_a_warmer_lead_is_measured_against_more_tiers(ctx, make_lead):
    make_lead("Ada", "warm", email="ada@example.com")
    model = _column(ctx, CardCache(ctx.db), "warm")
    assert model.index(0).data(COMPLETENESS_ROLE) == pytest.approx(2 / 18, abs=1e-3)
