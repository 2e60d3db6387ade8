"""Buttons that open a menu at once (InstantPopup) with their arrow clear of the text."""

from __future__ import annotations

from PySide6.QtWidgets import QStyle, QToolButton


def room_for_menu_arrow(button: QToolButton) -> None:
    """Widen ``button`` so its menu arrow sits beside the text, not over its last letters.

    The style draws an InstantPopup button's arrow in its corner without widening
    it ("Snooze" read "Snooz⌄"); call this once the text and the menu are set.
    """
    arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
    button.setMinimumWidth(button.sizeHint().width() + 2 * arrow)
