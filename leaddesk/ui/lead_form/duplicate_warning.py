"""A banner in the lead form: "this looks like a lead you already have".

Checked as the user types (after a short pause), never blocking: the user can
save anyway, open the other lead, or merge the two.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from leaddesk.storage.database import Database
from leaddesk.storage.duplicates import DuplicateMatch, find_duplicates

CHECK_DELAY_MS = 250
# The banner keeps its amber colours on a dark palette too; so must its links.
_LINK_STYLE = "color: #1d4ed8;"


class DuplicateWarning(QFrame):
    """Hidden until the values typed match another lead; then names it and offers a merge.

    Call ``check(values, exclude_id)`` whenever the values change. ``merge_requested``
    and ``open_requested`` carry the id of the other lead.
    """

    merge_requested = Signal(int)
    open_requested = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.matches: list[DuplicateMatch] = []
        self._values: dict[str, Any] = {}
        self._exclude_id: int | None = None
        self.setObjectName("duplicateWarning")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#duplicateWarning { background: #fef3c7; border: 1px solid #f59e0b;"
            " border-radius: 4px; } #duplicateWarning QLabel { color: #78350f; }"
        )
        self.label = QLabel()
        self.label.setObjectName("duplicateText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.label.linkActivated.connect(self._on_link)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        self.hide()

    def check(self, values: Mapping[str, Any], exclude_id: int | None = None) -> None:
        """Look for duplicates of ``values`` after a short pause in typing."""
        self._values = dict(values)
        self._exclude_id = exclude_id
        self._timer.start()

    def check_now(self) -> list[DuplicateMatch]:
        self._timer.stop()
        with self._db.reading() as connection:
            self.matches = find_duplicates(connection, self._values, self._exclude_id)
        self._show()
        return self.matches

    def _show(self) -> None:
        if not self.matches:
            self.hide()
            self.label.clear()
            return
        same = [match for match in self.matches if match.same_person]
        possible = [match for match in self.matches if not match.same_person]
        parts = []
        if same:
            title = (
                "This looks like a lead you already have:"
                if len(same) == 1
                else "This looks like leads you already have:"
            )
            parts.append((title, same))
        if possible:
            # Another email: a colleague behind the same switchboard, or a namesake.
            parts.append(("Possibly the same person (another email):", possible))
        self.label.setText(
            "<br>".join(
                f"{title}<br>" + "<br>".join(self._line(match) for match in matches)
                for title, matches in parts
            )
        )
        self.label.setAccessibleName(
            " ".join(
                title + " " + "; ".join(f"{m.name}, {m.reason_text}" for m in matches)
                for title, matches in parts
            )
        )
        self.show()

    @staticmethod
    def _line(match: DuplicateMatch) -> str:
        who = html.escape(match.name)
        if match.company:
            who += f" ({html.escape(match.company)})"
        return (
            f"<b>{who}</b>: {html.escape(match.reason_text)}. "
            f'<a href="open:{match.lead_id}" style="{_LINK_STYLE}">Open</a> · '
            f'<a href="merge:{match.lead_id}" style="{_LINK_STYLE}">Merge…</a>'
        )

    def _on_link(self, link: str) -> None:
        action, _, lead_id = link.partition(":")
        if action == "merge":
            self.merge_requested.emit(int(lead_id))
        elif action == "open":
            self.open_requested.emit(int(lead_id))
