"""Files and queries the import wizard tests share."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from leaddesk.storage.schema import leads

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"
HUBSPOT = FIXTURES / "hubspot_contacts.csv"

# Line 2 imports, 3 has no name/email/phone (rejected), 4 an unreadable date (kept in
# the notes), 5 an email kept as typed (a warning), 6 an unreadable amount (notes).
BAD_ROWS = (
    "First Name,Last Name,Email,Phone,Create Date,Deal Value,Company\r\n"
    'Ana,Lima,ana@example.com,+351 21 000 0000,2026-01-05,"1.234,50",Acme\r\n'
    ",,,,2026-01-06,,NoName Inc\r\n"
    "Bob,Stone,bob@example.com,,not a date,,Beta\r\n"
    "Cleo,Park,cleo(at)example,,2026-01-07,,Gamma\r\n"
    "Dan,Fox,dan@example.com,,2026-01-08,12x,Delta\r\n"
)


def lead_count(ctx) -> int:
    with ctx.db.reading() as connection:
        return connection.execute(select(func.count()).select_from(leads)).scalar_one()
