"""What the window says about a search: how many leads match, and when none do.

Escape clears the search (in the search box, or on the board while a search is
active); the status bar counts "12 of 120 leads"; an empty board says "No leads
match 'xyz'" with a *Clear search* link, drawn over the board.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

# The link's target: any text works, the label only reports it.
CLEAR_LINK = "clear-search"


def lead_count_text(shown: int, total: int, *, filtered: bool, selected: int = 0) -> str:
    """'120 leads', or '12 of 120 leads' while a search or filter narrows the board.

    With several rows selected in the table it leads with them: '200 selected ·
    45,000 leads' (one selected row is just where the user is).
    """
    noun = "lead" if total == 1 else "leads"
    counted = f"{shown:,} of {total:,} {noun}" if filtered else f"{total:,} {noun}"
    return f"{selected:,} selected · {counted}" if selected > 1 else counted


class LeadCountLabel(QLabel):
    """The status bar's count: the leads (``show_counts``) and the selection (``show_selected``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts = (0, 0, False)
        self._selected = 0

    def show_counts(self, shown: int, total: int, *, filtered: bool) -> None:
        self._counts = (shown, total, filtered)
        self._show()

    def show_selected(self, selected: int) -> None:
        self._selected = selected
        self._show()

    def _show(self) -> None:
        shown, total, filtered = self._counts
        self.setText(lead_count_text(shown, total, filtered=filtered, selected=self._selected))


def no_match_text(search: str) -> str:
    """The overlay's rich text, the search shown as typed (escaped, and cut if long)."""
    shown = search if len(search) <= 60 else search[:59] + "…"
    return (
        f"<p>No leads match ‘{html.escape(shown)}’.</p>"
        f'<p><a href="{CLEAR_LINK}">Clear search</a></p>'
    )


class EmptySearchOverlay(QFrame):
    """A panel centred over the board while a search finds nothing.

    A child of the board that follows its size (an event filter on it), so it
    sits over the columns without taking part in their layout.
    """

    clear_requested = Signal()

    def __init__(self, board: QWidget) -> None:
        super().__init__(board)
        self.setObjectName("emptySearch")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.label = QLabel()
        self.label.setObjectName("emptySearchText")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.label.setWordWrap(True)
        self.label.linkActivated.connect(lambda _link: self.clear_requested.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.label)
        board.installEventFilter(self)
        self.hide()

    def show_for(self, search: str) -> None:
        self.label.setText(no_match_text(search))
        self._place()
        self.show()
        self.raise_()

    def _place(self) -> None:
        board = self.parentWidget()
        if board is None:
            return
        width = min(420, max(200, board.width() - 40))
        height = self.heightForWidth(width) if self.hasHeightForWidth() else 0
        height = max(height, self.sizeHint().height())
        # A third of the way down: over the empty columns, below their headers.
        self.setGeometry((board.width() - width) // 2, board.height() // 3, width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._place()
        return False
