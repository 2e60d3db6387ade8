"""Real input through the X server, as a user's mouse and keyboard make it."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget


def xdotool(*args: object) -> None:
    subprocess.run(["xdotool", *map(str, args)], check=True, timeout=30)


def _move_to(x: int, y: int) -> list[object]:
    """xdotool words that put the pointer on (x, y) and wait until it is there.

    ``mousemove --sync`` waits for the pointer to move, so it never returns when the
    pointer is on that spot already (a second click on the same header): step
    beside it first."""
    return ["mousemove", x + 1, y, "mousemove", "--sync", x, y]


def click(widget: QWidget, at: QPoint, button: int = 1, holding: str = "") -> None:
    """Move the pointer onto ``at`` in ``widget`` and press and release ``button``,
    with ``holding`` ('shift', 'ctrl') held down for the click."""
    where = widget.mapToGlobal(at)
    down = ["keydown", holding] if holding else []
    up = ["keyup", holding] if holding else []
    xdotool(*down, *_move_to(where.x(), where.y()), "click", button, *up)


def wheel(widget: QWidget, at: QPoint, notches: int) -> None:
    """Turn the mouse wheel over ``at``: positive notches scroll down, negative up."""
    where = widget.mapToGlobal(at)
    button = 5 if notches > 0 else 4
    xdotool(
        *_move_to(where.x(), where.y()), "click", "--repeat", abs(notches), "--delay", 15, button
    )


def keys(*names: str) -> None:
    """Keys to the focused window: 'Right', 'ctrl+shift+Right', 'ctrl+2'."""
    xdotool("key", "--delay", 30, *names)


def type_text(text: str) -> None:
    """Type ``text`` into the focused widget, as a user does."""
    xdotool("type", "--delay", 10, text)
