"""The board's column models: lists of lead ids, card data fetched on demand.

A column holds only the ids of its leads, in board order. Card data is read
from the database for the rows actually painted, a page at a time, into a
cache shared by all columns -- so a column of 100,000 leads costs one list of
integers plus what is on screen.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from leaddesk.core.fields import BoardGrouping, display_name
from leaddesk.storage.agenda_queries import awaiting_first_contact
from leaddesk.storage.database import Database
from leaddesk.storage.duplicates import pair_partners
from leaddesk.storage.profiles import card_completeness
from leaddesk.storage.queries import Card, LeadFilter, cards, column_ids

LEAD_IDS_MIME_TYPE = "application/x-leaddesk-lead-ids"
CARD_ROLE = Qt.ItemDataRole.UserRole + 1
LEAD_ID_ROLE = Qt.ItemDataRole.UserRole + 2
# When a new, not yet contacted lead was created (its speed-to-lead clock); else None.
AWAITING_CONTACT_ROLE = Qt.ItemDataRole.UserRole + 10
# Completeness of the tiers the lead has reached, 0.0-1.0 (core.profiling).
COMPLETENESS_ROLE = Qt.ItemDataRole.UserRole + 11
# True when the lead is in an open possible-duplicate pair (storage/duplicates.py).
POSSIBLE_DUPLICATE_ROLE = Qt.ItemDataRole.UserRole + 12

ModelIndex = QModelIndex | QPersistentModelIndex


class CardCache:
    """Card data by lead id, read a page at a time, bounded in size."""

    PAGE = 64

    def __init__(self, db: Database, capacity: int = 4000) -> None:
        self._db = db
        self._capacity = capacity
        self._cards: OrderedDict[int, Card] = OrderedDict()
        self._awaiting: dict[int, dt.datetime] = {}
        self._completeness: dict[int, float] = {}
        # Cached lead -> {the other lead of a possible-duplicate pair: pair open}.
        self._partners: dict[int, dict[int, bool]] = {}

    def get(self, lead_id: int, neighbours: Sequence[int]) -> Card | None:
        card = self._cards.get(lead_id)
        if card is None:
            wanted = [i for i in neighbours if i not in self._cards]
            if lead_id not in wanted:
                wanted.append(lead_id)
            with self._db.reading() as connection:
                fetched = cards(connection, wanted)
                awaiting = awaiting_first_contact(connection, list(fetched))
                self._completeness.update(card_completeness(connection, list(fetched)))
                partners = pair_partners(connection, list(fetched))
            self._cards.update(fetched)
            for fetched_id in fetched:
                self._partners.pop(fetched_id, None)
            self._partners.update(partners)
            for fetched_id in fetched:
                self._awaiting.pop(fetched_id, None)
            self._awaiting.update(awaiting)
            while len(self._cards) > self._capacity:
                evicted, _card = self._cards.popitem(last=False)
                self._awaiting.pop(evicted, None)
                self._completeness.pop(evicted, None)
                self._partners.pop(evicted, None)
            card = self._cards.get(lead_id)
        else:
            self._cards.move_to_end(lead_id)
        return card

    def awaiting_contact_since(self, lead_id: int) -> dt.datetime | None:
        """When a cached new lead without a first contact was created (else None)."""
        return self._awaiting.get(lead_id)

    def completeness_of(self, lead_id: int) -> float | None:
        return self._completeness.get(lead_id)

    def possible_duplicate(self, lead_id: int) -> bool:
        """Whether a cached lead is in an open possible-duplicate pair."""
        return any(self._partners.get(lead_id, {}).values())

    def forget(self, lead_ids: Iterable[int]) -> set[int]:
        """Drop these leads' cards, and those of the leads paired with them as possible
        duplicates (a merge, delete or restore of one opens or closes the pair of the
        other); returns the ids of the latter, whose cards must be painted again."""
        gone = set(lead_ids)
        partners = {
            lead_id
            for lead_id, others in self._partners.items()
            if lead_id not in gone and not gone.isdisjoint(others)
        }
        for lead_id in gone | partners:
            self._cards.pop(lead_id, None)
            self._awaiting.pop(lead_id, None)
            self._completeness.pop(lead_id, None)
            self._partners.pop(lead_id, None)
        return partners

    def clear(self) -> None:
        self._cards.clear()
        self._awaiting.clear()
        self._completeness.clear()
        self._partners.clear()


# (lead ids, target column value, id of the card above the drop, id of the card below)
MoveRequest = Callable[[list[int], str, int | None, int | None], Any]


class LeadColumnModel(QAbstractListModel):
    """One board column: the leads whose temperature (or stage) is ``value``."""

    def __init__(
        self,
        db: Database,
        cache: CardCache,
        grouping: BoardGrouping,
        value: str,
        on_move: MoveRequest | None = None,
    ) -> None:
        super().__init__()
        self._db = db
        self._cache = cache
        self.grouping = grouping
        self.value = value
        self._on_move = on_move
        self._filter = LeadFilter()
        self._ids: list[int] = []

    # -- loading ---------------------------------------------------------

    def reload(self, lead_filter: LeadFilter | None = None) -> None:
        """Re-read this column's ids (after a change or a new filter)."""
        if lead_filter is not None:
            self._filter = lead_filter
        with self._db.reading() as connection:
            ids = column_ids(connection, self.grouping, self.value, self._filter)
        self.show_ids(ids)

    def show_ids(self, ids: list[int]) -> bool:
        """Show these ids, read elsewhere (the board's refresh reads every column at
        once, off the UI thread); False when the column already shows them."""
        if ids == self._ids:
            return False
        self.beginResetModel()
        self._ids = ids
        self.endResetModel()
        return True

    def refresh_cards(self, lead_ids: Iterable[int]) -> None:
        """Repaint the rows of leads whose data changed but not their place."""
        rows = {lead_id: row for row, lead_id in enumerate(self._ids)}
        for lead_id in lead_ids:
            if (row := rows.get(lead_id)) is not None:
                index = self.index(row)
                self.dataChanged.emit(index, index)

    @property
    def lead_ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, lead_id: int) -> int | None:
        try:
            return self._ids.index(lead_id)
        except ValueError:
            return None

    def rows_of(self, lead_ids: Iterable[int]) -> list[int]:
        """The rows of those of ``lead_ids`` this column holds, in row order.

        One pass over the column, not a search per id: a thousand moved cards
        are found in a 20,000-card column at once.
        """
        wanted = set(lead_ids)
        return [row for row, lead_id in enumerate(self._ids) if lead_id in wanted]

    def holds_all(self, lead_ids: Iterable[int]) -> bool:
        """Whether every one of ``lead_ids`` is in this column (one pass, any count)."""
        wanted = set(lead_ids)
        if len(wanted) <= 1:
            # One card: a scan that stops where it is found beats building a set.
            return all(self.row_of(lead_id) is not None for lead_id in wanted)
        return wanted.issubset(self._ids)

    # -- QAbstractListModel ----------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Rows are leads; a list model has no children."""
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Card data for painting, the name as display text, the id for code."""
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row = index.row()
        lead_id = self._ids[row]
        if role == LEAD_ID_ROLE:
            return lead_id
        if role not in (
            CARD_ROLE,
            AWAITING_CONTACT_ROLE,
            COMPLETENESS_ROLE,
            POSSIBLE_DUPLICATE_ROLE,
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        neighbours = self._ids[max(0, row - 8) : row + CardCache.PAGE]
        card = self._cache.get(lead_id, neighbours)
        if card is None:
            return None
        if role == CARD_ROLE:
            return card
        if role == AWAITING_CONTACT_ROLE:
            return self._cache.awaiting_contact_since(lead_id)
        if role == COMPLETENESS_ROLE:
            return self._cache.completeness_of(lead_id)
        if role == POSSIBLE_DUPLICATE_ROLE:
            return self._cache.possible_duplicate(lead_id)
        name = display_name(card.first_name, card.last_name, card.email)
        duplicate = self._cache.possible_duplicate(lead_id)
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [name, card.job_title, card.company, card.email, f"Score {card.score}"]
            if (complete := self._cache.completeness_of(lead_id)) is not None:
                parts.append(f"Profile {round(complete * 100)}% complete")
            if duplicate:
                parts.append("Possible duplicate: open the lead to merge or dismiss")
            return "\n".join(part for part in parts if part)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            mark = ", possible duplicate" if duplicate else ""
            return f"{name}, {card.company or 'no company'}, score {card.score}{mark}"
        return name

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Cards can be selected and dragged; the column itself accepts drops."""
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    def supportedDropActions(self) -> Qt.DropAction:
        """Dropping moves a lead; there is no copying a lead by dragging."""
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        """Lead ids travel as a JSON list in LeadDesk's own MIME type."""
        return [LEAD_IDS_MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The dragged leads' ids, in board order."""
        rows = sorted({index.row() for index in indexes if index.isValid()})
        ids = [self._ids[row] for row in rows]
        mime = QMimeData()
        mime.setData(LEAD_IDS_MIME_TYPE, QByteArray(json.dumps(ids).encode()))
        mime.setText("\n".join(str(lead_id) for lead_id in ids))
        return mime

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: ModelIndex,
    ) -> bool:
        """Only LeadDesk lead ids can be dropped on a column."""
        return data.hasFormat(LEAD_IDS_MIME_TYPE) and action == Qt.DropAction.MoveAction

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: ModelIndex,
    ) -> bool:
        """Ask for the move; the column refreshes when the change is announced."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            moving = [int(i) for i in json.loads(bytes(data.data(LEAD_IDS_MIME_TYPE).data()))]
        except (ValueError, TypeError):
            return False
        if not moving or self._on_move is None:
            return False
        if parent.isValid():  # dropped onto a card: place it before that card
            row = parent.row()
        if row < 0 or row > len(self._ids):
            row = len(self._ids)
        moving_set = set(moving)
        above = next((i for i in reversed(self._ids[:row]) if i not in moving_set), None)
        below = next((i for i in self._ids[row:] if i not in moving_set), None)
        self._on_move(moving, self.value, above, below)
        # False: the source must not remove rows itself; it reloads from the change.
        return False
