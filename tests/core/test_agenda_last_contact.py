"""A last-contact cell says a lead was already worked only when it holds a date."""

from __future__ import annotations

import pytest

from leaddesk.core.agenda import contact_date_says_worked


@pytest.mark.parametrize(
    "text", ["2026-11-16 15:00", "16.11.2026", "11/16/2026", "Nov 16, 2026", "46342"]
)
def test_a_date_says_the_lead_was_worked(text: str) -> None:
    assert contact_date_says_worked(text)


@pytest.mark.parametrize("text", ["", " ", "never", "n/a", "-", "not yet"])
def test_anything_else_does_not(text: str) -> None:
    assert not contact_date_says_worked(text)
