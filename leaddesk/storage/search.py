"""Search-as-you-type over names, emails, phones, companies and titles.

The only engine-specific part of reading leads lives here: SQLite answers from
its FTS5 index (created by the first migration); any other database falls back
to portable case-insensitive LIKE matching until it gets an index of its own.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, literal_column, or_, select, table, text

from leaddesk.storage.schema import leads

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SEARCHED = ("first_name", "last_name", "email", "phone", "company", "job_title")
_lead_search = table("lead_search")


def search_tokens(query: str) -> list[str]:
    """Words of the query; punctuation separates words just as in the index."""
    return _TOKEN.findall(query)


def fts_query(tokens: list[str]) -> str:
    """An FTS5 MATCH expression: every word must start some indexed word."""
    return " ".join('"' + token.replace('"', '""') + '"*' for token in tokens)


def search_condition(dialect: str, query: str) -> ColumnElement[bool] | None:
    """A WHERE condition on ``leads`` for ``query``; None when it filters nothing."""
    tokens = search_tokens(query)
    if not tokens:
        return None
    if dialect == "sqlite":
        matching: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(_lead_search)
            .where(text("lead_search MATCH :fts_query").bindparams(fts_query=fts_query(tokens)))
        )
        return leads.c.id.in_(matching)
    # Tokens hold only word characters, and "_" is the one among them that LIKE
    # treats as a wildcard.
    patterns = ["%" + token.replace("_", "\\_") + "%" for token in tokens]
    return and_(
        *(
            or_(*(leads.c[column].ilike(pattern, escape="\\") for column in _SEARCHED))
            for pattern in patterns
        )
    )
