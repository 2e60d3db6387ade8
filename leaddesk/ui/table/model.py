"""The lead table's model: the ordered ids of the current sort and filter, rows on demand.

Like a board column (ui/board/model.py) the model holds only lead ids; the
sorting is done in SQL (storage/table_queries.py) and a row's data is read a page
at a time for the rows on screen into a bounded cache, so 100,000 leads cost a
list of integers plus what is visible.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from leaddesk.core.agenda import DEFAULT_SLA_MINUTES
from leaddesk.core.fields import Stage, Temperature, display_name
from leaddesk.storage.database import Database
from leaddesk.storage.queries import LeadFilter
from leaddesk.storage.table_queries import SortKey, TableRow, ordered_ids, table_rows

LEAD_ID_ROLE = Qt.ItemDataRole.UserRole + 2
# The value a column sorts by (None when blank), for tests and for code.
SORT_VALUE_ROLE = Qt.ItemDataRole.UserRole + 3

ModelIndex = QModelIndex | QPersistentModelIndex


def _moment(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True, slots=True)
class TableColumn:
    key: SortKey
    title: str
    # The sortable value of a row (what the column shows, before formatting).
    value: Callable[[TableRow, Mapping[Temperature, int]], Any]
    text: Callable[[Any], str] = lambda value: "" if value is None else str(value)
    align_right: bool = False
    # The order of the first click on its header: highest score, newest date on top.
    first_order: Qt.SortOrder = Qt.SortOrder.AscendingOrder


DESCENDING = Qt.SortOrder.DescendingOrder


def _choice_label(kind: type[Temperature] | type[Stage]) -> Callable[[Any], str]:
    def label(value: Any) -> str:
        try:
            return kind(value).label
        except ValueError:
            return str(value or "")

    return label


COLUMNS: tuple[TableColumn, ...] = (
    TableColumn(
        SortKey.NAME, "Name", lambda row, _m: display_name(row.first_name, row.last_name, row.email)
    ),
    TableColumn(SortKey.COMPANY, "Company", lambda row, _m: row.company),
    TableColumn(
        SortKey.SCORE, "Score", lambda row, _m: row.score, align_right=True, first_order=DESCENDING
    ),
    TableColumn(
        SortKey.TEMPERATURE,
        "Temperature",
        lambda row, _m: row.temperature,
        _choice_label(Temperature),
    ),
    TableColumn(SortKey.STAGE, "Stage", lambda row, _m: row.stage, _choice_label(Stage)),
    TableColumn(SortKey.OWNER, "Owner", lambda row, _m: row.owner),
    TableColumn(
        SortKey.NEXT_FOLLOW_UP, "Next follow-up", lambda row, _m: row.next_follow_up, _moment
    ),
    TableColumn(SortKey.SLA_DUE, "SLA due", lambda row, minutes: row.sla_due(minutes), _moment),
    TableColumn(SortKey.SOURCE, "Source", lambda row, _m: row.source),
    TableColumn(
        SortKey.CREATED, "Created", lambda row, _m: row.created_at, _moment, first_order=DESCENDING
    ),
    TableColumn(
        SortKey.LAST_ACTIVITY,
        "Last activity",
        lambda row, _m: row.last_activity,
        _moment,
        first_order=DESCENDING,
    ),
)


class RowCache:
    """Table rows by lead id, read a page at a time, bounded in size."""

    PAGE = 100

    def __init__(self, db: Database, capacity: int = 5000) -> None:
        self._db = db
        self._capacity = capacity
        self._rows: OrderedDict[int, TableRow] = OrderedDict()

    def get(self, lead_id: int, neighbours: Iterable[int]) -> TableRow | None:
        row = self._rows.get(lead_id)
        if row is not None:
            self._rows.move_to_end(lead_id)
            return row
        wanted = [i for i in neighbours if i not in self._rows]
        if lead_id not in wanted:
            wanted.append(lead_id)
        with self._db.reading() as connection:
            self._rows.update(table_rows(connection, wanted))
        while len(self._rows) > self._capacity:
            self._rows.popitem(last=False)
        return self._rows.get(lead_id)

    def forget(self, lead_ids: Iterable[int]) -> None:
        for lead_id in lead_ids:
            self._rows.pop(lead_id, None)

    def clear(self) -> None:
        self._rows.clear()


class LeadTableModel(QAbstractTableModel):
    """One row per lead matching the filter, in the order of the current sort."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db
        self._cache = RowCache(db)
        self._filter = LeadFilter()
        self._ids: list[int] = []
        self._rows_of: dict[int, int] | None = None
        self.sort_key = SortKey.SCORE
        self.descending = True
        self.sla_minutes: Mapping[Temperature, int] = DEFAULT_SLA_MINUTES

    # -- loading ---------------------------------------------------------

    @property
    def lead_filter(self) -> LeadFilter:
        return self._filter

    def set_filter(self, lead_filter: LeadFilter) -> None:
        self._filter = lead_filter
        self.reload()

    def reload(self, forget: Iterable[int] = ()) -> None:
        """Re-read the ordered ids (after a change, a new filter or sort)."""
        self._cache.forget(forget)
        with self._db.reading() as connection:
            ids = ordered_ids(
                connection, self.sort_key, self.descending, self._filter, self.sla_minutes
            )
        if ids == self._ids:
            return
        self.beginResetModel()
        self._ids = ids
        self._rows_of = None
        self.endResetModel()

    def refresh_rows(self, lead_ids: Iterable[int]) -> None:
        """Repaint the rows of leads whose data changed but not their place."""
        changed = list(lead_ids)
        self._cache.forget(changed)
        last = self.columnCount() - 1
        for lead_id in changed:
            if (row := self.row_of(lead_id)) is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    @property
    def lead_ids(self) -> list[int]:
        return list(self._ids)

    def lead_id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, lead_id: int) -> int | None:
        if self._rows_of is None:
            self._rows_of = {lead_id: row for row, lead_id in enumerate(self._ids)}
        return self._rows_of.get(lead_id)

    # -- QAbstractTableModel ---------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """One row per lead; a table has no children."""
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """The columns of COLUMNS, whether shown or hidden by the view."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles, and the order a first click sorts in; rows have no header."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            # QHeaderView asks this when a column not yet sorted is clicked.
            return COLUMNS[section].first_order
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text, its sort value, or the row's lead id."""
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if not 0 <= index.column() < len(COLUMNS):
            return None
        row = index.row()
        lead_id = self._ids[row]
        if role == LEAD_ID_ROLE:
            return lead_id
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.align_right else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, SORT_VALUE_ROLE):
            return None
        table_row = self._cache.get(lead_id, self._ids[max(0, row - 10) : row + RowCache.PAGE])
        if table_row is None:
            return None
        value = column.value(table_row, self.sla_minutes)
        if role == SORT_VALUE_ROLE:
            return value
        return column.text(value)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Rows are selected, not edited in place (the lead opens in its form)."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by the column's key; the view keeps the selection by lead id."""
        if not 0 <= column < len(COLUMNS):
            return
        self.sort_key = COLUMNS[column].key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        with self._db.reading() as connection:
            ids = ordered_ids(
                connection, self.sort_key, self.descending, self._filter, self.sla_minutes
            )
        # Same rows, new order: persistent indexes follow their lead.
        old = {lead_id: row for row, lead_id in enumerate(self._ids)}
        new_rows = {lead_id: row for row, lead_id in enumerate(ids)}
        if set(old) == set(new_rows):
            persistent = self.persistentIndexList()
            moved = [
                self.index(new_rows[self._ids[index.row()]], index.column()) for index in persistent
            ]
            self._ids = ids
            self._rows_of = new_rows
            self.changePersistentIndexList(persistent, moved)
            self.layoutChanged.emit()
            return
        self.layoutChanged.emit()
        self.beginResetModel()
        self._ids = ids
        self._rows_of = None
        self.endResetModel()
