"""Real input through the X server, as a user's mouse and keyboard make it."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget


def xdotool(*args: object) -> None:
    subprocess.run(["xdotool", *map(str, args)], check=True, timeout=10)


def click(widget: QWidget, at: QPoint, button: int = 1) -> None:
    """Move the pointer onto ``at`` in ``widget`` and press and release ``button``."""
    where = widget.mapToGlobal(at)
    xdotool("mousemove", "--sync", where.x(), where.y(), "click", button)


def keys(*names: str) -> None:
    """Keys to the focused window: 'Right', 'ctrl+shift+Right', 'ctrl+2'."""
    xdotool("key", "--delay", 30, *names)
