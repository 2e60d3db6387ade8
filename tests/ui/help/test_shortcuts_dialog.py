"""Help → Keyboard shortcuts: read from the window's own actions, grouped by menu."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

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
