"""Help → Keyboard shortcuts: every shortcut of the window, read from its actions.

Built from the QActions themselves each time it opens, so a shortcut added or
changed anywhere shows here without a list to keep in step: grouped by the
menu that holds the action, then the actions that live on a panel (the
agenda's Done, ...) under that panel's title.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Shortcut:
    group: str
    text: str
    keys: str


def plain_text(text: str) -> str:
    """A menu text as read: '&New lead…' -> 'New lead…' ('&&' stays one '&')."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def keys_text(action: QAction) -> str:
    """The action's shortcuts in the platform's own spelling ('Ctrl+N', '⌘N'), comma-separated."""
    return ", ".join(
        key.toString(QKeySequence.SequenceFormat.NativeText)
        for key in action.shortcuts()
        if not key.isEmpty()
    )


def _menu_actions(menu: QMenu) -> Iterable[QAction]:
    for action in menu.actions():
        if (sub := action.menu()) is not None and isinstance(sub, QMenu):
            yield from _menu_actions(sub)
        elif not action.isSeparator():
            yield action


def _panel_title(action: QAction) -> str:
    """The dock an action belongs to ('Agenda'), else 'Other'."""
    parent = action.parent()
    while parent is not None:
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
