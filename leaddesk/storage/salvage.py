"""Reading what can still be read from a damaged database, a range of lead ids at a time.

A damaged page makes every query that touches it fail ("database disk image
is malformed"), so a whole-table read saves nothing. Leads are read by id
range instead; a range that fails is halved until the single ids that cannot
be read are known, and those alone are skipped. Values come back as the
driver gives them (no SQLAlchemy type processing, which could choke on a
damaged value where the raw text still reads).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from leaddesk.core.fields import LEAD_FIELDS, FieldKind

# Ids per query while the reading goes well.
SALVAGE_CHUNK = 256
# How far past the last id found a read looks when the highest id cannot be read.
PROBE_PAST_END = 100_000


@dataclass
class SalvageReport:
    """How a salvage went: leads read, and the ids (or ranges) that could not be read."""

    read: int = 0
    unreadable_ids: int = 0
    owners_readable: bool = True
    problems: list[str] = field(default_factory=list)


def _owner_names(connection: Connection, report: SalvageReport) -> dict[int, str]:
    try:
        rows = connection.exec_driver_sql("SELECT id, name FROM owners").fetchall()
    except DBAPIError as error:
        report.owners_readable = False
        report.problems.append(f"team members: {error.orig}")
        return {}
    return {int(owner_id): str(name) for owner_id, name in rows}


def highest_lead_id(connection: Connection, report: SalvageReport) -> int:
    """The highest lead id, or a generous guess when the table's last page is damaged."""
    for sql in ("SELECT max(id) FROM leads", "SELECT max(lead_id) FROM activities"):
        try:
            value = connection.exec_driver_sql(sql).scalar()
        except DBAPIError as error:
            report.problems.append(f"{sql}: {error.orig}")
            continue
        if value is not None:
            return int(value) + (0 if "leads" in sql else PROBE_PAST_END)
    return PROBE_PAST_END


def _statement() -> str:
    columns = ", ".join(f'"{lead_field.column_name}"' for lead_field in LEAD_FIELDS)
    return (
        f"SELECT id, {columns} FROM leads "
        "WHERE id BETWEEN ? AND ? AND deleted_at IS NULL ORDER BY id"
    )


def _ranges_read(
    connection: Connection, low: int, high: int, report: SalvageReport
) -> Iterator[tuple[Any, ...]]:
    """The rows of ids ``low..high``, halving a range that fails down to single ids."""
    statement = _statement()
    pending = [(low, high)]
    while pending:
        start, end = pending.pop()
        try:
            rows = connection.exec_driver_sql(statement, (start, end)).fetchall()
        except DBAPIError:
            if start == end:
                report.unreadable_ids += 1
                continue
            middle = (start + end) // 2
            # Upper half first on the stack, so ids come out in order.
            pending.extend([(middle + 1, end), (start, middle)])
            continue
        yield from (tuple(row) for row in rows)


def readable_leads(connection: Connection, report: SalvageReport) -> Iterator[dict[str, Any]]:
    """Every lead outside the trash that can be read, as field name -> value as stored.

    The owner is the team member's name (or their id, when the team cannot be read).
    """
    owners = _owner_names(connection, report)
    top = highest_lead_id(connection, report)
    for low in range(1, top + 1, SALVAGE_CHUNK):
        for row in _ranges_read(connection, low, min(top, low + SALVAGE_CHUNK - 1), report):
            values = dict(zip((f.name for f in LEAD_FIELDS), row[1:], strict=True))
            for lead_field in LEAD_FIELDS:
                if lead_field.kind is FieldKind.OWNER and values[lead_field.name] is not None:
                    owner_id = values[lead_field.name]
                    values[lead_field.name] = owners.get(owner_id, owner_id)
            report.read += 1
            yield values
