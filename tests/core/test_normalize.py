"""Normal forms for duplicates: the column versions give what the per-value ones give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from leaddesk.core.normalize import (
    company_key,
    company_keys,
    normalize_email,
    normalize_emails,
    normalize_phone,
    normalize_phones,
)

_EMAILS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            "  ",
            "Anna@Example.COM",
            " <anna@example.com> ",
            "mailto:Anna@example.com",
            "mailto:mailto:a@b.c",
            "anna@müller.de",
            "not an email",
        ]
    ),
    st.text(max_size=20),
)
_PHONES = st.one_of(
    st.none(),
    st.sampled_from(["", "+4930123456", "+49 30 123456", "+1234", "+123", "0049 30 1", "+٣٣١٢٣٤"]),
    st.from_regex(r"\+[0-9]{4,12}", fullmatch=True),
    st.text(max_size=12),
)


def test_emails_are_lower_cased_and_unwrapped() -> None:
    assert normalize_emails(["Anna@Example.COM", " <b@c.de> ", "mailto:X@y.z", "", None]) == [
        "anna@example.com",
        "b@c.de",
        "x@y.z",
        None,
        None,
    ]


@given(st.lists(_EMAILS, max_size=20))
def test_a_column_of_emails_normalises_as_each_email_does(raws: list[str | None]) -> None:
    assert normalize_emails(raws) == [normalize_email(raw) for raw in raws]


@given(st.lists(_PHONES, max_size=20))
def test_a_column_of_phones_normalises_as_each_phone_does(raws: list[str | None]) -> None:
    assert normalize_phones(raws) == [normalize_phone(raw) if raw else None for raw in raws]


@given(
    st.lists(
        st.none()
        | st.lists(
            st.sampled_from([*"aZ9 .,-&\n\x01éßİΣﬁ™ℂ℡", "Inc", "GmbH", "S.L.", "co", "Zinc"])
        ).map("".join)
        | st.text(max_size=12),
        max_size=30,
    )
)
def test_company_keys_of_a_chunk_are_each_spellings_company_key(
    spellings: list[str | None],
) -> None:
    keys = company_keys(spellings)
    assert set(keys) == set(spellings)
    assert all(keys[spelling] == company_key(spelling) for spelling in spellings)


def test_company_keys_drop_only_a_legal_form_that_ends_the_name() -> None:
    keys = company_keys(["Acme, Inc.", "Blue Zinc", "Café Olé S.L.", "Acme™", "Inc", "", None])
    assert keys == {
        "Acme, Inc.": "acme",
        "Blue Zinc": "bluezinc",
        "Café Olé S.L.": "cafeole",
        "Acme™": "acme",  # NFKD makes "TM", which company_key drops
        "Inc": "inc",
        "": None,
        None: None,
    }
