"""Help → Keyboard shortcuts: read from the window's own actions, grouped by menu."""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from leaddesk.ui.board.keys import BOARD_KEYS
from leaddesk.ui.board.keys import keys_text as board_keys_text
from leaddesk.ui.help.shortcuts_dialog import ShortcutsDialog, collect_shortcuts, plain_text
from leaddesk.ui.main_window import MainWindow


def native(text: str) -> str:
    return QKeySequence(text).toString(QKeySequence.SequenceFormat.NativeText)


def menu_actions(window: MainWindow) -> list[QAction]:
    found: list[QAction] = []
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            found += [a for a in menu.actions() if not a.isSeparator()]
    return found


def test_every_menu_action_with_a_shortcut_is_listed(qtbot, runner) -> None:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    listed = {(s.text, s.keys) for s in dialog.shortcuts}

    with_keys = [a for a in menu_actions(window) if a.shortcuts()]
    assert len(with_keys) >= 15
    for action in with_keys:
        assert any(text == plain_text(action.text()) for text, _keys in listed), action.text()
    # Actions without a shortcut are not listed.
    assert not any(text == "About LeadDesk" for text, _keys in listed)


def test_texts_lose_their_mnemonics_and_keys_are_native(qtbot, runner) -> None:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    by_text = {s.text: s for s in collect_shortcuts(window)}

    assert by_text["New lead…"].keys == native("Ctrl+N")
    assert by_text["New lead…"].group == "File"
    assert by_text["Trash…"].keys == native("Ctrl+Shift+T")
    assert by_text["Trash…"].group == "View"
    assert by_text["Clear search"].keys == native("Esc")
    assert by_text["Keyboard shortcuts"].group == "Help"
    # Two keys for one action are both shown.
    assert by_text["Delete lead…"].keys == ", ".join(
        native(k) for k in (QKeySequence(QKeySequence.StandardKey.Delete).toString(), "Backspace")
    )
    # The agenda's Done lives on its panel, not in a menu.
    assert by_text["Done"].group == "Agenda"
    assert by_text["Done"].keys == native("Ctrl+D")
    assert not any("&" in text for text in by_text)


def test_the_dialog_shows_one_heading_per_menu(qtbot, runner) -> None:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    headings = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert headings[:4] == ["File", "Edit", "View", "Help"]
    file_rows = dialog.tree.topLevelItem(0)
    assert file_rows.child(0).text(0) == "New lead…"
    assert file_rows.child(0).text(1) == native("Ctrl+N")


def test_plain_text_keeps_a_literal_ampersand() -> None:
    assert plain_text("Sales && &Marketing") == "Sales & Marketing"


def rows_under(dialog: ShortcutsDialog, heading: str) -> dict[str, str]:
    for i in range(dialog.tree.topLevelItemCount()):
        item = dialog.tree.topLevelItem(i)
        if item.text(0) == heading:
            return {item.child(j).text(0): item.child(j).text(1) for j in range(item.childCount())}
    return {}


def test_the_board_keys_are_listed_from_the_table_its_key_handling_reads(qtbot, runner) -> None:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    board = rows_under(dialog, "Board")

    assert board["Move cards to the column to the right"] == native("Ctrl+Shift+Right")
    assert board["Move cards to the column to the left"] == native("Ctrl+Shift+Left")
    assert board["Card in the column to the right"] == native("Right")
    assert native("Return") in board["Open the card"]
    # The window's actions that act on the board are listed there too.
    assert board["Delete lead…"].startswith(native("Del"))
    assert board["Clear search"] == native("Esc")
    # Every key the board's own handling acts on is listed.
    for entry in BOARD_KEYS:
        assert board[entry.text] == board_keys_text(entry)


def test_the_board_table_drives_the_columns_keys(qtbot, runner, monkeypatch) -> None:
    """Change a key in the table and the column follows: the list cannot drift from the code."""
    from leaddesk.ui.board import keys

    window = MainWindow(runner)
    qtbot.addWidget(window)
    view = window.board.columns[0].view
    steps: list[int] = []
    view.move_requested.connect(steps.append)
    alt = Qt.KeyboardModifier.AltModifier
    monkeypatch.setitem(
        keys._COMMANDS, QKeyCombination(alt, Qt.Key.Key_PageDown), keys.BoardCommand.MOVE_RIGHT
    )
    qtbot.keyClick(view, Qt.Key.Key_PageDown, alt)
    assert steps == [1]


def test_platform_extra_keys_are_left_out_but_an_action_keeps_its_key(qtbot, runner) -> None:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    # What X11's key bindings give Undo: Ctrl+Z, F14 and the Undo media key.
    window.undo_action.setShortcuts(
        [QKeySequence("Ctrl+Z"), QKeySequence(Qt.Key.Key_F14), QKeySequence(Qt.Key.Key_Undo)]
    )
    only_extra = QAction("Help me", window)
    only_extra.setShortcut(QKeySequence(Qt.Key.Key_Help))
    window.addAction(only_extra)
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)

    assert rows_under(dialog, "Edit")["Undo"] == native("Ctrl+Z")
    assert not any("F14" in s.keys or s.keys.endswith("Undo") for s in dialog.shortcuts)
    # An action whose only key is an extra one still shows it.
    assert rows_under(dialog, "Other")["Help me"] == QKeySequence(Qt.Key.Key_Help).toString(
        QKeySequence.SequenceFormat.NativeText
    )


def test_the_tables_actions_are_filed_under_table(qtbot, runner) -> None:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.views.show_table(True)
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)

    table = rows_under(dialog, "Table")
    assert table["Log activity…"] == native("Ctrl+L")
    assert "Log activity…" not in rows_under(dialog, "Other")
