"""The agenda's data: one list model per section, filled from one read of the database.

Each section model holds its rows outright, read up to SECTION_LIMIT rows (the
soonest first; for Overdue the longest overdue); a section's header
shows its true count. So a database of 100,000 leads with tens of thousands of
follow-ups this week costs a few thousand rows, not all of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from leaddesk.core.agenda import Bucket, agenda_window
from leaddesk.storage.agenda_queries import (
    LeadDetails,
    agenda_counts,
    follow_ups_in_range,
    lead_details,
    leads_without_next_step,
)
from leaddesk.storage.database import Database

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
LEAD_ID_ROLE = Qt.ItemDataRole.UserRole + 2
FOLLOW_UP_ID_ROLE = Qt.ItemDataRole.UserRole + 3

ModelIndex = QModelIndex | QPersistentModelIndex

# More rows than a person reads through in one sitting; the headers show true counts.
SECTION_LIMIT = 500


class Section:
    """The agenda's sections, in the order they are shown."""

    OVERDUE = Bucket.OVERDUE.value
    TODAY = Bucket.TODAY.value
    UPCOMING = Bucket.UPCOMING.value
    NO_NEXT_STEP = "no_next_step"

    ALL: ClassVar[tuple[str, ...]] = (OVERDUE, TODAY, UPCOMING, NO_NEXT_STEP)
    TITLES: ClassVar[dict[str, str]] = {
        OVERDUE: "Overdue",
        TODAY: "Today",
        UPCOMING: "Upcoming (7 days)",
        NO_NEXT_STEP: "No next step",
    }
    EMPTY: ClassVar[dict[str, str]] = {
        OVERDUE: "Nothing overdue.",
        TODAY: "Nothing else due today.",
        UPCOMING: "Nothing planned for the next 7 days.",
        NO_NEXT_STEP: "Every open lead has a next step.",
    }


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One row: a follow-up (with its due time), or a lead that has none."""

    lead_id: int
    name: str
    follow_up_id: int | None = None
    due_at: dt.datetime | None = None
    note: str | None = None
    company: str | None = None
    phone: str | None = None
    temperature: str = "cold"
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class AgendaSnapshot:
    """Every section's rows and true counts at one moment."""

    now: dt.datetime
    items: dict[str, tuple[AgendaItem, ...]]
    counts: dict[str, int]
    # When the buckets next change by the clock alone (a due time passes, or midnight).
    next_change: dt.datetime


def load_snapshot(db: Database, now: dt.datetime, zone: dt.tzinfo) -> AgendaSnapshot:
    window = agenda_window(now, zone)
    ranges = {
        Section.OVERDUE: (None, window.now),
        Section.TODAY: (window.now, window.tomorrow_starts),
        Section.UPCOMING: (window.tomorrow_starts, window.upcoming_ends),
    }
    with db.reading() as connection:
        entries = {
            section: follow_ups_in_range(connection, start, end, limit=SECTION_LIMIT)
            for section, (start, end) in ranges.items()
        }
        without = leads_without_next_step(connection, limit=SECTION_LIMIT)
        counts = agenda_counts(connection, window)
        lead_ids = [e.lead_id for rows in entries.values() for e in rows]
        details = lead_details(connection, lead_ids + [lead.lead_id for lead in without])
    items: dict[str, list[AgendaItem]] = {section: [] for section in Section.ALL}
    for section, rows in entries.items():
        items[section] = [
            _item(entry.lead_id, entry.name, details.get(entry.lead_id), entry) for entry in rows
        ]
    for lead in without:
        items[Section.NO_NEXT_STEP].append(
            _item(lead.lead_id, lead.name, details.get(lead.lead_id))
        )
    next_change = window.tomorrow_starts
    today = items[Section.TODAY]
    if today and today[0].due_at is not None:
        next_change = min(next_change, today[0].due_at)
    return AgendaSnapshot(
        now=window.now,
        items={section: tuple(rows) for section, rows in items.items()},
        counts={section: counts.get(section, 0) for section in Section.ALL},
        next_change=next_change,
    )


def _item(
    lead_id: int, name: str, details: LeadDetails | None, entry: Any | None = None
) -> AgendaItem:
    return AgendaItem(
        lead_id=lead_id,
        name=name,
        follow_up_id=entry.follow_up_id if entry is not None else None,
        due_at=entry.due_at if entry is not None else None,
        note=entry.note if entry is not None else None,
        company=details.company if details else None,
        phone=details.phone if details else None,
        temperature=details.temperature if details else "cold",
        owner=details.owner if details else None,
    )


class AgendaSectionModel(QAbstractListModel):
    """One section of the agenda (Overdue, Today, Upcoming or No next step)."""

    def __init__(self, section: str, zone: dt.tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self.section = section
        self.zone = zone
        self._items: tuple[AgendaItem, ...] = ()

    def set_items(self, items: Sequence[AgendaItem]) -> None:
        new = tuple(items)
        if new == self._items:
            return
        self.beginResetModel()
        self._items = new
        self.endResetModel()

    @property
    def items(self) -> tuple[AgendaItem, ...]:
        return self._items

    def row_of(self, *, follow_up_id: int | None = None, lead_id: int | None = None) -> int | None:
        for row, item in enumerate(self._items):
            if follow_up_id is not None and item.follow_up_id == follow_up_id:
                return row
            if follow_up_id is None and lead_id is not None and item.lead_id == lead_id:
                return row
        return None

    # -- QAbstractListModel ----------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """One row per follow-up (or lead); a list has no children."""
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The item for painting, the lead's name as text, ids for code."""
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == ITEM_ROLE:
            return item
        if role == LEAD_ID_ROLE:
            return item.lead_id
        if role == FOLLOW_UP_ID_ROLE:
            return item.follow_up_id
        if role == Qt.ItemDataRole.DisplayRole:
            return item.name
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [item.name, item.company, item.phone, item.note]
            if item.due_at is not None:
                lines.append(f"Due {item.due_at.astimezone(self.zone):%a %d %b %Y %H:%M}")
            return "\n".join(line for line in lines if line)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if item.due_at is None:
                return f"{item.name}, no next step"
            return f"{item.name}, due {item.due_at.astimezone(self.zone):%A %d %B %H:%M}"
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Rows can be selected and activated (to open the lead); nothing is edited here."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
