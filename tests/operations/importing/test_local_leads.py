"""Which rows of a chunk share no key with a stored lead or another row (lone_rows)."""

from __future__ import annotations

from leaddesk.core.dedupe import NO_NAME, PersonKeys
from leaddesk.operations.importing.local_leads import lone_rows


def _keys(email: str | None, phone: str | None = None, company: str | None = None) -> PersonKeys:
    return PersonKeys(email, phone, company, NO_NAME)


def test_a_chunk_of_strangers_is_all_new_at_once() -> None:
    chunk = [_keys("a@x.example", "+49301"), _keys("b@x.example", "+49302"), _keys(None)]
    assert lone_rows(chunk, {}, {}, {}, {}) is None


def test_rows_sharing_a_key_with_each_other_or_a_stored_lead_take_the_full_rule() -> None:
    chunk = [
        _keys("a@x.example", "+4930111"),  # shares its phone with the third row
        _keys("b@x.example", company="acme"),  # a stored lead works at acme
        _keys("c@x.example", "+4930111"),
        _keys("d@x.example"),  # claimed by a stored lead earlier in the import
        _keys("e@x.example"),  # stored already
        _keys("f@x.example", "+4930999"),  # nobody else's
        _keys(None, None, None),  # no key at all
    ]
    stored_emails = {"e@x.example": 3}
    claimed = {"d@x.example": 4}
    lone = lone_rows(chunk, stored_emails, claimed, {}, {"acme": []})
    assert lone == [False, False, False, False, False, True, True]


def test_the_same_email_twice_in_a_chunk_is_never_lone() -> None:
    assert lone_rows([_keys("a@x.example"), _keys("a@x.example")], {}, {}, {}, {}) == [
        False,
        False,
    ]
