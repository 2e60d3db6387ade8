"""View → Possible duplicates…: the pairs of leads that may be one person, to review.

Two leads with different emails but the same phone (or a close name at the same
company) are kept apart by the duplicate rule and recorded as a pair
(storage/duplicates.py). This dialog lists the open pairs; *Merge…* opens the
merge dialog (the lead found first is kept, Swap changes that), *Not a
duplicate* closes the pair for good as one step of Edit › Undo, and a
double-click opens the lead. The lead form offers the same two actions on its
"Possible duplicate of …" line (ui/lead_form/duplicate_warning.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QWidget,
)

from leaddesk.operations.changes import Changes
from leaddesk.operations.duplicate_marks import (
    Dismissal,
    dismiss_possible_duplicate,
    redo_dismissal,
    undo_dismissal,
)
from leaddesk.storage.duplicates import PossiblePair, open_pairs
from leaddesk.ui.flat_table import FlatTableModel, lay_out_list_dialog, select_only_row
from leaddesk.ui.runner import OperationRunner

# The dialog lists this many pairs, the newest first (`leaddesk duplicates` lists all).
SHOWN_PAIRS = 2_000


class DismissCommand(QUndoCommand):
    """ "Not a duplicate" as an undo step: undo opens the pair again, redo closes it."""

    def __init__(self, runner: OperationRunner, dismissal: Dismissal, text: str) -> None:
        super().__init__(text)
        self._runner = runner
        self.dismissal = dismissal
        # The operation already ran when the command is pushed; the first redo is it.
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        if self._runner.run(redo_dismissal, self.dismissal) is None:
            self.setObsolete(True)

    def undo(self) -> None:
        if self._runner.run(undo_dismissal, self.dismissal) is None:
            self.setObsolete(True)


def dismiss_pair(
    runner: OperationRunner, lead_id: int, other_id: int, names: str, reason: str = ""
) -> bool:
    """Say two leads are different people, as one undo step; False when refused."""
    outcome = runner.run(dismiss_possible_duplicate, lead_id, other_id, reason)
    if outcome is None:
        return False
    runner.undo_stack.push(DismissCommand(runner, outcome.value, f"Not a duplicate: {names}"))
    return True


def merge_pair(runner: OperationRunner, parent: QWidget | None, pair: PossiblePair) -> bool:
    """The merge dialog for a pair: the lead found first is kept (Swap changes that)."""
    from leaddesk.ui.merge_dialog import offer_merge

    return offer_merge(runner, parent, pair.other_id, pair.lead_id) is not None


class PossibleDuplicatesModel(FlatTableModel[PossiblePair]):
    """Open pairs: the lead, the lead it may duplicate, why, and when it was found."""

    headers = ("Lead", "May be the same as", "Why", "Found")

    def cell(self, record: PossiblePair, column: int, role: int) -> object:
        """The cell's text; the lead's id under UserRole (the first column's lead)."""
        if role == Qt.ItemDataRole.DisplayRole:
            other = record.other_name
            if record.other_company:
                other += f" ({record.other_company})"
            found = record.found_at.astimezone().strftime("%d %b %Y, %H:%M")
            return (record.lead_name, other, record.short_reason, found)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return record.reason
        if role == Qt.ItemDataRole.UserRole:
            return record.other_id if column == 1 else record.lead_id
        return None


class PossibleDuplicatesDialog(QDialog):
    """The open pairs, kept up to date while open; ``open_requested(lead_id)`` on a
    double-click."""

    open_requested = Signal(int)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("possibleDuplicatesDialog")
        self.setWindowTitle("Possible duplicates")
        self._runner = runner
        self.model = PossibleDuplicatesModel(self)
        self.view = QTableView()
        self.view.setObjectName("possibleDuplicatesTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            header.setSectionResizeMode(column, mode)
        self.view.doubleClicked.connect(
            lambda index: self.open_requested.emit(int(index.data(Qt.ItemDataRole.UserRole)))
        )

        self.hint = QLabel(
            "These leads have different emails but share a phone number, or a close name "
            "at the same company. Merge the ones that are one person; say which are not."
        )
        self.hint.setWordWrap(True)
        self.empty = QLabel("No possible duplicates to review.")
        self.empty.setObjectName("possibleDuplicatesEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.merge_button = QPushButton("&Merge…")
        self.merge_button.setObjectName("mergePair")
        self.merge_button.setToolTip("Merge the two leads into one (Ctrl+M)")
        self.merge_button.setShortcut(QKeySequence("Ctrl+M"))
        self.merge_button.clicked.connect(self.merge_selected)
        self.dismiss_button = QPushButton("&Not a duplicate")
        self.dismiss_button.setObjectName("dismissPair")
        self.dismiss_button.setToolTip("They are two people: do not propose them again (Ctrl+D)")
        self.dismiss_button.setShortcut(QKeySequence("Ctrl+D"))
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        lay_out_list_dialog(
            self,
            [self.hint, self.view, self.empty],
            [self.merge_button, self.dismiss_button],
            stretch=[self.view, self.empty],
        )
        self.resize(760, 440)

        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        runner.changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        selected = self.selected_pair()
        with self._runner.ctx.db.reading() as connection:
            pairs = open_pairs(connection, SHOWN_PAIRS)
        self.model.set_records(pairs)
        has_rows = bool(pairs)
        self.view.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        self.hint.setVisible(has_rows)
        if has_rows:
            # The same pair selected again, else the one now in its place (or the first).
            ids = [pair.pair_id for pair in pairs]
            row = ids.index(selected.pair_id) if selected and selected.pair_id in ids else 0
            select_only_row(self.view, min(row, len(pairs) - 1))
            self.view.setFocus()
        self._update_buttons()

    def _on_changed(self, changes: Changes) -> None:
        if changes.leads or changes.board:
            self.reload()

    def _update_buttons(self) -> None:
        selected = self.selected_pair() is not None
        self.merge_button.setEnabled(selected)
        self.dismiss_button.setEnabled(selected)

    def selected_pair(self) -> PossiblePair | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.record_at(rows[0].row()) if rows else None

    def merge_selected(self) -> None:
        pair = self.selected_pair()
        if pair is not None:
            merge_pair(self._runner, self, pair)

    def dismiss_selected(self) -> None:
        pair = self.selected_pair()
        if pair is not None:
            names = f"{pair.lead_name} and {pair.other_name}"
            dismiss_pair(self._runner, pair.lead_id, pair.other_id, names)


def add_duplicates_action(
    parent: QWidget, runner: OperationRunner, menu: QMenu, open_lead: Callable[[int], None]
) -> QAction:
    """View → Possible duplicates… (Ctrl+Shift+D), added to ``menu``."""
    action = QAction("&Possible duplicates…", parent)
    action.setObjectName("possibleDuplicates")
    action.setShortcut(QKeySequence("Ctrl+Shift+D"))
    action.setToolTip("Leads that may be one person: merge them or say they are not")

    def show() -> None:
        dialog = PossibleDuplicatesDialog(runner, parent)
        dialog.open_requested.connect(open_lead)
        dialog.exec()
        dialog.deleteLater()

    action.triggered.connect(show)
    menu.addAction(action)
    return action
