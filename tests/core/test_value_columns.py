"""value_columns: a chunk's values read back column by column, as each row holds them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from leaddesk.core.value_columns import value_columns

NAMES = ["email", "phone", "company", "stage"]


def test_rows_lacking_a_field_read_as_none_in_that_column() -> None:
    rows = [
        {"email": "ann@example.com", "company": "Acme"},
        {"email": "bo@example.com"},
        {"company": "Initech", "phone": "+4930123"},
    ]
    assert value_columns(rows, ["email", "company", "phone"]) == {
        "email": ("ann@example.com", "bo@example.com", None),
        "company": ("Acme", None, "Initech"),
        "phone": (None, None, "+4930123"),
    }


def test_a_single_name_and_an_empty_chunk() -> None:
    assert value_columns([{"email": "a@b.c"}, {"email": "d@e.f"}], ["email"]) == {
        "email": ("a@b.c", "d@e.f")
    }
    assert value_columns([], ["email"]) == {"email": ()}


@given(
    st.lists(
        st.dictionaries(st.sampled_from(NAMES), st.none() | st.text(max_size=3), max_size=4),
        max_size=20,
    ),
    st.lists(st.sampled_from(NAMES), unique=True),
)
def test_each_column_holds_what_each_row_says(
    rows: list[dict[str, str | None]], names: list[str]
) -> None:
    columns = value_columns(rows, names)
    assert list(columns) == names
    for name in names:
        assert columns[name] == tuple(row.get(name) for row in rows)
