"""File names that are not UTF-8 become text that can be stored and shown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaddesk.core.paths import expanded, readable_name


def test_undecodable_bytes_become_the_replacement_character() -> None:
    assert readable_name(os.fsdecode(b"/tmp/leads-\xff.csv")) == "leads-\ufffd.csv"


def test_a_plain_name_is_unchanged() -> None:
    assert readable_name("/home/anna/Kunden Köln.csv") == "Kunden Köln.csv"


@given(st.binary(min_size=1, max_size=30).filter(lambda raw: b"/" not in raw and b"\0" not in raw))
def test_any_posix_name_can_be_encoded_as_utf8(raw: bytes) -> None:
    readable_name(os.fsdecode(raw)).encode("utf-8")


def test_a_home_that_does_not_exist_is_taken_as_written() -> None:
    # ~0 names the home of a user called "0"; Path.expanduser raises for it.
    assert expanded("~0") == Path("~0")
    assert expanded("~no-such-user-here/leads.csv") == Path("~no-such-user-here/leads.csv")


def test_the_users_own_home_is_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/sam")
    assert expanded("~/leads.csv") == Path("/home/sam/leads.csv")
