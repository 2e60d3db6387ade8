"""Speed-to-lead is for leads that arrive new, not for another system's history."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from leaddesk.core.agenda import (
    DEFAULT_SLA_MINUTES,
    countdown_applies,
    countdown_flags,
    status_says_worked,
)
from leaddesk.core.fields import Stage, Temperature

NOW = dt.datetime(2026, 11, 17, 10, 30, tzinfo=dt.UTC)


def test_a_lead_created_200_days_ago_gets_no_countdown():
    assert not countdown_applies(NOW - dt.timedelta(days=200), "cold", "lead", NOW)


def test_a_lead_arriving_within_its_deadline_gets_one():
    assert countdown_applies(NOW - dt.timedelta(minutes=1), "hot", "lead", NOW)
    assert countdown_applies(NOW, "hot", "lead", NOW)
    # The deadline is per temperature: two days old is within a cold lead's 72 hours.
    assert countdown_applies(NOW - dt.timedelta(days=2), "cold", "lead", NOW)
    assert not countdown_applies(NOW - dt.timedelta(days=2), "warm", "lead", NOW)


def test_a_lead_already_worked_gets_none():
    assert not countdown_applies(NOW, "hot", "sql", NOW)
    assert not countdown_applies(NOW, "hot", "lead", NOW, worked=True)


def test_status_words_that_say_the_lead_was_worked():
    assert status_says_worked("Attempted to contact")
    assert status_says_worked("  working -  CONTACTED ")
    assert status_says_worked("In Progress")
    assert not status_says_worked("Open - Not Contacted")
    assert not status_says_worked("New")
    assert not status_says_worked("")


@given(
    leads=st.lists(
        st.tuples(
            st.integers(-10 * 24 * 60, 5),
            st.sampled_from(list(Temperature)),
            st.sampled_from(list(Stage)),
            st.booleans(),
        ),
        max_size=20,
    ),
    hot=st.integers(0, 60),
)
def test_the_batch_rule_is_the_rule(leads, hot):
    minutes = {**DEFAULT_SLA_MINUTES, Temperature.HOT: hot}
    created = [NOW + dt.timedelta(minutes=offset) for offset, *_ in leads]
    flags = countdown_flags(
        created,
        [temperature.value for _, temperature, _, _ in leads],
        [stage.value for _, _, stage, _ in leads],
        [worked for *_, worked in leads],
        NOW,
        minutes,
    )
    assert flags == [
        countdown_applies(moment, temperature, stage, NOW, minutes, worked=worked)
        for moment, (_, temperature, stage, worked) in zip(created, leads, strict=True)
    ]
