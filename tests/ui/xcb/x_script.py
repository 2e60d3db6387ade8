"""A user's steps through modal dialogs and popup menus, played from a timer.

A dialog's ``exec()`` and a popup menu run their own event loop, so a test body
that sends a key cannot look at the dialog until it is closed. A ``Script`` is a
list of steps, each "wait until the user could see this, then press or click
that", played by a timer that keeps firing inside any nested event loop. It also
measures how long the window took to respond to each step: the time from the
previous step's input to this step's condition becoming true.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QPushButton, QWidget

from tests.ui.xcb.x_input import click


@dataclass
class Step:
    what: str
    ready: Callable[[], bool]
    act: Callable[[], None]


class Script:
    """Steps played in order from a timer; ``done`` once the last one acted."""

    def __init__(self, *steps: Step, interval_ms: int = 25) -> None:
        self.steps = list(steps)
        self.position = 0
        self.timings: list[tuple[str, float]] = []
        self._since = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> Script:
        self._since = time.perf_counter()
        self._timer.start()
        return self

    def stop(self) -> None:
        self._timer.stop()

    @property
    def done(self) -> bool:
        return self.position >= len(self.steps)

    @property
    def waiting_for(self) -> str:
        """The step not yet reached, for a timeout's message."""
        return "nothing" if self.done else self.steps[self.position].what

    def _tick(self) -> None:
        if self.done:
            self._timer.stop()
            return
        step = self.steps[self.position]
        if not step.ready():
            return
        self.timings.append((step.what, time.perf_counter() - self._since))
        # One step at a time: the input the step sends is handled once this returns.
        self._timer.stop()
        try:
            step.act()
        finally:
            self.position += 1
            self._since = time.perf_counter()
            if not self.done:
                self._timer.start()


def active_dialog(kind: type[QDialog] = QDialog, title: str = "") -> QDialog | None:
    """The modal dialog in front, when it has the keyboard (the window manager gave it)."""
    dialog = QApplication.activeModalWidget()
    if (
        isinstance(dialog, kind)
        and dialog.windowTitle().startswith(title)
        and dialog.isActiveWindow()
    ):
        return dialog
    return None


def open_menu(text: str = "") -> QMenu | None:
    """The popup menu open now (with an entry ``text``, when given)."""
    menu = QApplication.activePopupWidget()
    if not isinstance(menu, QMenu) or not menu.isVisible():
        return None
    if text and menu_entry(menu, text) is None:
        return None
    return menu


def menu_entry(menu: QMenu, text: str):  # -> QAction | None
    for action in menu.actions():
        if action.text().replace("&", "") == text.replace("&", ""):
            return action
    return None


def click_menu_entry(menu: QMenu, text: str) -> None:
    action = menu_entry(menu, text)
    assert action is not None, f"no {text!r} in the menu"
    click(menu, menu.actionGeometry(action).center())


def button(parent: QWidget, text: str) -> QPushButton | None:
    """The visible, enabled push button labelled ``text`` (mnemonic ampersands ignored)."""
    for candidate in parent.findChildren(QPushButton):
        if (
            candidate.text().replace("&", "") == text
            and candidate.isVisible()
            and candidate.isEnabled()
        ):
            return candidate
    return None


def click_button(parent: QWidget, text: str) -> None:
    found = button(parent, text)
    assert found is not None, f"no {text!r} button"
    click(found, found.rect().center())
