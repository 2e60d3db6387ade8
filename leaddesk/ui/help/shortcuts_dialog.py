"""Help → Keyboard shortcuts: every shortcut of the window, read from its actions.

Built from the QActions themselves each time it opens, so a shortcut added or
changed anywhere shows here without a list to keep in step: grouped by the
menu that holds the action, then the board's own keys (from the table its
key handling reads, board/keys.py, with the actions added to the board), then
the actions that live on a panel (the agenda's Done, the table's Log
activity…) under that panel's title.

Keys only a platform's extras have (X11 binds Undo to F14 and the Undo media
key) are left out: the list shows what is on the user's keyboard.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from leaddesk.ui.board.keys import BOARD_KEYS
from leaddesk.ui.board.keys import keys_text as board_keys_text
from leaddesk.ui.board.view import BoardWidget
from leaddesk.ui.table.view import LeadTableWidget

# Keys a platform binds besides the usual one that few keyboards have: F13-F35
# and the Sun/X11 function keys (Undo, Copy, Open...).
_EXTRA_KEYS = {getattr(Qt.Key, f"Key_F{n}") for n in range(13, 36)} | {
    Qt.Key.Key_Undo,
    Qt.Key.Key_Redo,
    Qt.Key.Key_Copy,
    Qt.Key.Key_Paste,
    Qt.Key.Key_Cut,
    Qt.Key.Key_Find,
    Qt.Key.Key_Open,
    Qt.Key.Key_Help,
}


@dataclass(frozen=True, slots=True)
class Shortcut:
    group: str
    text: str
    keys: str


def plain_text(text: str) -> str:
    """A menu text as read: '&New lead…' -> 'New lead…' ('&&' stays one '&')."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def is_extra_key(key: QKeySequence) -> bool:
    """A platform's extra binding (F14, the Undo key) rather than one on every keyboard."""
    if key.count() != 1:
        return False
    first = key[0]  # type: ignore[index]  # PySide6's stubs lack QKeySequence.__getitem__
    return bool(first.key() in _EXTRA_KEYS)


def keys_text(action: QAction) -> str:
    """The action's shortcuts in the platform's own spelling ('Ctrl+N', '⌘N'), comma-separated.

    A platform's extra keys are left out, unless they are all the action has.
    """
    keys = [key for key in action.shortcuts() if not key.isEmpty()]
    keys = [key for key in keys if not is_extra_key(key)] or keys
    return ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in keys)


def _menu_actions(menu: QMenu) -> Iterable[QAction]:
    for action in menu.actions():
        if (sub := action.menu()) is not None and isinstance(sub, QMenu):
            yield from _menu_actions(sub)
        elif not action.isSeparator():
            yield action


def _panel_title(action: QAction) -> str:
    """The dock or view an action belongs to ('Agenda', 'Table'), else 'Other'."""
    parent = action.parent()
    while parent is not None:
        if isinstance(parent, LeadTableWidget):
            return "Table"
        if isinstance(parent, QDockWidget):
            # The View menu's name for it: the title may carry counts ("Agenda · 2 today").
            return plain_text(parent.toggleViewAction().text()) or "Other"
        parent = parent.parent()
    return "Other"


def collect_shortcuts(window: QMainWindow) -> list[Shortcut]:
    """Every action with a shortcut: menus first (in menu order), then the panels'."""
    shortcuts: list[Shortcut] = []
    seen: set[QAction] = set()
    for top in window.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        group = plain_text(top.text())
        for action in _menu_actions(menu):
            if action in seen or not (keys := keys_text(action)):
                continue
            seen.add(action)
            shortcuts.append(Shortcut(group, plain_text(action.text()), keys))
    board = window.findChild(BoardWidget)
    if board is not None:
        shortcuts += _board_shortcuts(board)
    others = [
        action
        for action in window.findChildren(QAction)
        if action not in seen and action.text() and keys_text(action)
    ]
    for action in sorted(others, key=lambda a: (_panel_title(a), plain_text(a.text()))):
        shortcuts.append(
            Shortcut(_panel_title(action), plain_text(action.text()), keys_text(action))
        )
    return shortcuts


def _board_shortcuts(board: BoardWidget) -> list[Shortcut]:
    """The board's own keys, then what the window's actions do there (Delete, Escape)."""
    shortcuts = [Shortcut("Board", entry.text, board_keys_text(entry)) for entry in BOARD_KEYS]
    for action in board.actions():
        if action.text() and (keys := keys_text(action)):
            shortcuts.append(Shortcut("Board", plain_text(action.text()), keys))
    return shortcuts


class ShortcutsDialog(QDialog):
    """A two-column list (action, keys) under one heading per menu."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.shortcuts = collect_shortcuts(window)
        self.tree = QTreeWidget()
        self.tree.setObjectName("shortcutsList")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Action", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        groups: dict[str, QTreeWidgetItem] = {}
        for shortcut in self.shortcuts:
            heading = groups.get(shortcut.group)
            if heading is None:
                heading = QTreeWidgetItem(self.tree, [shortcut.group])
                font = heading.font(0)
                font.setBold(True)
                heading.setFont(0, font)
                heading.setFirstColumnSpanned(True)
                groups[shortcut.group] = heading
            QTreeWidgetItem(heading, [shortcut.text, shortcut.keys])
        self.tree.expandAll()
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        # Tall enough for most of the list at once, and within a 1366×768 screen.
        self.resize(460, 600)
