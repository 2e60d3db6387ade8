"""A duplicate row's first contact, by policy: the earliest known contact is the first."""

from __future__ import annotations

import datetime as dt

import pytest

from leaddesk.core.csv_import.mapping import FIRST_CONTACTED
from leaddesk.core.import_merge import DuplicatePolicy, merged_changes

EARLY = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("policy", [DuplicatePolicy.FILL, DuplicatePolicy.OVERWRITE])
def test_a_lead_never_contacted_takes_the_files_first_contact(policy: DuplicatePolicy) -> None:
    assert merged_changes({FIRST_CONTACTED: None}, {FIRST_CONTACTED: LATE}, policy) == {
        FIRST_CONTACTED: LATE
    }


def test_fill_leaves_a_known_first_contact_alone() -> None:
    existing = {FIRST_CONTACTED: LATE}
    assert merged_changes(existing, {FIRST_CONTACTED: EARLY}, DuplicatePolicy.FILL) == {}


def test_overwrite_moves_the_first_contact_earlier_never_later() -> None:
    policy = DuplicatePolicy.OVERWRITE
    assert merged_changes({FIRST_CONTACTED: LATE}, {FIRST_CONTACTED: EARLY}, policy) == {
        FIRST_CONTACTED: EARLY
    }
    assert merged_changes({FIRST_CONTACTED: EARLY}, {FIRST_CONTACTED: LATE}, policy) == {}


@pytest.mark.parametrize("policy", [DuplicatePolicy.SKIP, DuplicatePolicy.CREATE])
def test_skip_and_create_change_no_lead(policy: DuplicatePolicy) -> None:
    assert merged_changes({FIRST_CONTACTED: None}, {FIRST_CONTACTED: EARLY}, policy) == {}


def test_the_overwrite_policy_says_so() -> None:
    assert "an earlier first contact stays" in DuplicatePolicy.OVERWRITE.explanation
