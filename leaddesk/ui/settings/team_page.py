"""Settings → Team: who can own leads, and which of them is you."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leaddesk.operations.owners import TeamMember, my_owner_id, save_team, team
from leaddesk.ui.flat_table import select_only_row
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.settings.working_copy import (
    Index,
    WorkingCopyTableModel,
    bold_font,
    dimmed_text,
)

NAME, STATUS, YOU = range(3)
HEADERS = ("Name", "Status", "")


class TeamModel(WorkingCopyTableModel):
    """A working copy of the team; names are edited in place."""

    HEADERS = HEADERS

    def __init__(
        self, members: list[TeamMember], me: int | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._members = list(members)
        self._me = me

    def row_total(self) -> int:
        """One row per team member."""
        return len(self._members)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not self.has_row(index):
            return None
        member = self._members[index.row()]
        column = index.column()
        is_me = index.row() == self._me
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == NAME:
                return member.name
            if column == STATUS and role == Qt.ItemDataRole.DisplayRole:
                return "Active" if member.active else "Inactive (left the team)"
            if column == YOU and role == Qt.ItemDataRole.DisplayRole:
                return "You · default owner" if is_me else ""
        elif role == Qt.ItemDataRole.FontRole and is_me:
            return bold_font()
        elif role == Qt.ItemDataRole.ForegroundRole and not member.active:
            return dimmed_text()
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == NAME:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or index.column() != NAME
            or role != Qt.ItemDataRole.EditRole
            or not isinstance(value, str)
            or not value.strip()
        ):
            return False
        member = self._members[index.row()]
        self._replace(index.row(), TeamMember(member.id, " ".join(value.split()), member.active))
        return True

    # -- the working copy ------------------------------------------------------

    def members(self) -> list[TeamMember]:
        return list(self._members)

    def member(self, row: int) -> TeamMember:
        return self._members[row]

    @property
    def me(self) -> int | None:
        return self._me

    def _replace(self, row: int, member: TeamMember) -> None:
        self._members[row] = member
        self.row_changed(row)

    def add(self, name: str) -> int:
        row = len(self._members)
        self.beginInsertRows(QModelIndex(), row, row)
        self._members.append(TeamMember(None, " ".join(name.split())))
        self.endInsertRows()
        return row

    def set_active(self, row: int, active: bool) -> None:
        member = self._members[row]
        self._replace(row, TeamMember(member.id, member.name, active))

    def saved_as(self, ids: list[int]) -> None:
        """The members were saved under these ids (new ones had none)."""
        self._members = [
            TeamMember(member_id, m.name, m.active)
            for member_id, m in zip(ids, self._members, strict=True)
        ]

    def set_me(self, row: int) -> None:
        previous, self._me = self._me, row
        if previous is not None:
            self.row_changed(previous)
        self.set_active(row, True)


class TeamSettingsPage(QWidget):
    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamSettings")
        self._runner = runner
        with runner.ctx.db.reading() as connection:
            members = team(connection)
            me_id = my_owner_id(connection)
        me = next((row for row, m in enumerate(members) if m.id == me_id), None)
        self._saved = (members, me)
        self.model = TeamModel(members, me, self)

        intro = QLabel(
            "Everyone who can own leads. Someone who left is deactivated, not deleted: "
            "their leads keep them as owner until you reassign them. The team member "
            "marked as you owns the leads you add and is what “My leads” shows."
        )
        intro.setWordWrap(True)
        self.table = QTableView()
        self.table.setObjectName("team")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(STATUS, 200)
        self.table.setColumnWidth(YOU, 180)

        self.add_button = QPushButton("&Add…")
        self.add_button.setObjectName("addMember")
        self.add_button.clicked.connect(self.add_member)
        self.rename_button = QPushButton("&Rename")
        self.rename_button.setObjectName("renameMember")
        self.rename_button.clicked.connect(self.rename_member)
        self.active_button = QPushButton("&Deactivate")
        self.active_button.setObjectName("toggleMember")
        self.active_button.clicked.connect(self.toggle_active)
        self.me_button = QPushButton("This is &me")
        self.me_button.setObjectName("markMe")
        self.me_button.clicked.connect(self.mark_me)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.active_button, self.me_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row, 1)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.dataChanged.connect(lambda *_args: self._update_buttons())
        self._update_buttons()

    def current_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _update_buttons(self, *_args: QItemSelection) -> None:
        row = self.current_row()
        for button in (self.rename_button, self.active_button, self.me_button):
            button.setEnabled(row is not None)
        if row is None:
            return
        member = self.model.member(row)
        self.active_button.setText("Re&activate" if not member.active else "&Deactivate")
        self.active_button.setEnabled(not (member.active and row == self.model.me))
        self.me_button.setEnabled(row != self.model.me)

    def ask_name(self) -> str | None:
        """The name typed in a small dialog (replaceable in tests)."""
        name, ok = QInputDialog.getText(self, "Add team member", "Name:")
        return name if ok else None

    def add_member(self) -> None:
        name = self.ask_name()
        if name and name.strip():
            select_only_row(self.table, self.model.add(name))

    def rename_member(self) -> None:
        row = self.current_row()
        if row is not None:
            self.table.edit(self.model.index(row, NAME))

    def toggle_active(self) -> None:
        row = self.current_row()
        if row is not None:
            self.model.set_active(row, not self.model.member(row).active)

    def mark_me(self) -> None:
        row = self.current_row()
        if row is not None:
            self.model.set_me(row)

    def has_changes(self) -> bool:
        return (self.model.members(), self.model.me) != self._saved

    def save(self) -> bool:
        if not self.has_changes():
            return True
        me = self.model.me if self.model.me != self._saved[1] else None
        result = self._runner.run(save_team, self.model.members(), me)
        if result is None:
            return False
        self.model.saved_as(result.value)
        self._saved = (self.model.members(), self.model.me)
        return True
