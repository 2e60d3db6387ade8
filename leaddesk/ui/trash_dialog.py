"""View → Trash: the deleted leads, to restore or to delete for good.

A lead deleted from the board keeps its history in the trash; *Restore* puts it
back (one undo step), *Delete forever* removes it with its activities,
follow-ups and stage history after a question that says it cannot be undone.
Leads older than the ``trash_days`` setting are purged when the window starts
(``start_trash_purge``, on a worker thread).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    Qt,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from leaddesk.core.fields import display_name
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.leads import restore_leads
from leaddesk.operations.trash import delete_forever, purge_trash
from leaddesk.storage.settings_store import read_settings
from leaddesk.storage.trash import trashed_leads
from leaddesk.ui.background import BackgroundJob
from leaddesk.ui.flat_table import FlatTableModel, lay_out_list_dialog, select_only_row
from leaddesk.ui.runner import OperationRunner

log = logging.getLogger(__name__)

LEAD_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def deleted_text(deleted_at: dt.datetime) -> str:
    """When a lead was deleted, in local time: 'Tue 17 Nov 2026, 11:30'."""
    return deleted_at.astimezone().strftime("%a %d %b %Y, %H:%M")


class TrashModel(FlatTableModel[Any]):
    """The leads in the trash, most recently deleted first: name, company, when, by whom."""

    headers = ("Name", "Company", "Deleted", "Deleted by")

    def lead_id(self, row: int) -> int | None:
        record = self.record_at(row)
        return int(record.id) if record is not None else None

    def cell(self, record: Any, column: int, role: int) -> Any:
        """The cell's text; the lead's email as the tooltip; its id under LEAD_ID_ROLE."""
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                display_name(record.first_name, record.last_name, record.email),
                record.company or "",
                deleted_text(record.deleted_at),
                record.deleted_by or "",
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return record.email or None
        if role == LEAD_ID_ROLE:
            return int(record.id)
        return None


def forever_question(names: Sequence[str]) -> str:
    what = names[0] if len(names) == 1 else f"these {len(names)} leads"
    return (
        f"Delete {what} forever?\n"
        "Their activities, follow-ups and stage history go too. "
        "This cannot be undone."
    )


class TrashDialog(QDialog):
    """The trash, kept up to date while open (a delete elsewhere shows at once)."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trashDialog")
        self.setWindowTitle("Trash")
        self._runner = runner
        # Replaceable so tests answer the question instead of a message box.
        self.confirm_forever = self._ask_forever
        self.model = TrashModel(self)
        self.view = QTableView()
        self.view.setObjectName("trashTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.view.doubleClicked.connect(lambda _index: self.restore_selected())

        self.hint = QLabel()
        self.hint.setObjectName("trashHint")
        self.hint.setWordWrap(True)
        self.empty = QLabel("The trash is empty.")
        self.empty.setObjectName("trashEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.restore_button = QPushButton("&Restore")
        self.restore_button.setObjectName("restoreLeads")
        self.restore_button.setToolTip("Put the selected leads back on the board (Ctrl+R)")
        self.restore_button.setShortcut(QKeySequence("Ctrl+R"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.forever_button = QPushButton("&Delete forever…")
        self.forever_button.setObjectName("deleteForever")
        self.forever_button.setToolTip("Remove the selected leads for good (Delete)")
        self.forever_button.clicked.connect(self.delete_selected_forever)
        forever_key = QAction(self)
        forever_key.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence("Backspace")]
        )
        forever_key.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        forever_key.triggered.connect(self.delete_selected_forever)
        self.view.addAction(forever_key)
        lay_out_list_dialog(
            self,
            [self.hint, self.view, self.empty],
            [self.restore_button, self.forever_button],
            stretch=[self.view, self.empty],
        )
        self.resize(720, 440)

        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        runner.changed.connect(self._on_changed)
        self.reload()
        if self.model.rowCount():
            # Ready for the keyboard: the newest deleted lead selected, the table focused.
            select_only_row(self.view, 0)
            self.view.setFocus()

    def reload(self) -> None:
        # A reload (a change here, in another window or from the command line) keeps
        # the user's selection on the leads still in the trash.
        selected = set(self.selected_lead_ids())
        with self._runner.ctx.db.reading() as connection:
            rows = trashed_leads(connection)
            days = int(read_settings(connection)["trash_days"])
        self.model.set_records(rows)
        self.select_rows(
            [row for row in range(self.model.rowCount()) if self.model.lead_id(row) in selected]
        )
        if days > 0:
            self.hint.setText(
                f"Deleted leads stay here for {days} days with their history, "
                "then are removed for good (Settings → Lists)."
            )
        else:
            self.hint.setText("Deleted leads stay here with their history until you remove them.")
        has_rows = self.model.rowCount() > 0
        self.view.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        self._update_buttons()

    def _on_changed(self, changes: Changes) -> None:
        if changes.leads or changes.board or changes.settings:
            self.reload()

    def _update_buttons(self) -> None:
        selected = bool(self.selected_lead_ids())
        self.restore_button.setEnabled(selected)
        self.forever_button.setEnabled(selected)

    def selected_lead_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [lead_id for row in rows if (lead_id := self.model.lead_id(row)) is not None]

    def select_rows(self, rows: Sequence[int]) -> None:
        """Select these rows (as Ctrl+clicks would)."""
        selection = self.view.selectionModel()
        selection.clearSelection()
        for row in rows:
            selection.select(
                self.model.index(row, 0),
                selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
            )

    def restore_selected(self) -> None:
        ids = self.selected_lead_ids()
        if ids:
            self._runner.run_undoable("Restore {leads}", ids, restore_leads, ids)

    def _names(self, ids: Sequence[int]) -> list[str]:
        wanted = set(ids)
        return [
            str(self.model.index(row, 0).data())
            for row in range(self.model.rowCount())
            if self.model.lead_id(row) in wanted
        ]

    def _ask_forever(self, names: Sequence[str]) -> bool:
        answer = QMessageBox.warning(
            self,
            "Delete forever",
            forever_question(names),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def delete_selected_forever(self) -> None:
        ids = self.selected_lead_ids()
        if ids and self.confirm_forever(self._names(ids)):
            self._runner.run(delete_forever, ids)


class TrashPurge(QObject):
    """The start-up purge, on a worker thread; the views hear what it removed.

    Nothing to purge costs one indexed read, but a month's worth of a big
    import deleted at once is thousands of leads with their history (about a
    quarter of a second for 5,000): not a pause the window should show.
    """

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        ctx = runner.ctx
        self.removed = 0
        self.job = BackgroundJob(
            lambda _progress, _cancelled: purge_trash(ctx),
            what="trash purge",
            # One transaction, rolled back whole when the database is busy: safe to try again.
            retry_busy=True,
            parent=self,
        )
        self.job.succeeded.connect(lambda outcome: self._done(runner, outcome))
        self.job.failed.connect(lambda message: log.warning("trash purge failed: %s", message))
        # Quitting at once must not destroy the thread while it still works.
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.job.wait)

    def start(self) -> None:
        self.job.start()

    def _done(self, runner: OperationRunner, outcome: Outcome[int]) -> None:
        self.removed = outcome.value
        runner.announce(outcome.changes)


def start_trash_purge(runner: OperationRunner, parent: QObject | None = None) -> TrashPurge:
    """At start: remove the leads in the trash for longer than the trash_days setting."""
    purge = TrashPurge(runner, parent)
    purge.start()
    return purge
