"""The main window as the user has it: shown, exposed and active (shortcuts reach it)."""

from __future__ import annotations

from leaddesk.ui.main_window import MainWindow


def active_main_window(qtbot, runner) -> MainWindow:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    # Shortcuts only reach the active window.
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    return window
