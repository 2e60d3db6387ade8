"""Alembic environment, used both at start-up (in code) and by developers.

At start-up LeadDesk passes its own open connection in ``config.attributes``;
a developer generating a revision passes ``-x url=sqlite:///path`` instead.
No logging configuration happens here: the application owns logging.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from leaddesk.storage.schema import metadata

config = context.config


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("pass the database with: alembic -x url=sqlite:///path.db ...")
    with create_engine(url).connect() as new_connection:
        _run(new_connection)
        new_connection.commit()
