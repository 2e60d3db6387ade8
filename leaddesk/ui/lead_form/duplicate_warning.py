"""A banner in the lead form: "this looks like a lead you already have".

Checked as the user types (after a short pause), never blocking: the user can
save anyway, open the other lead, or merge the two. A saved lead also shows its
recorded possible duplicates ("Possible duplicate of Anna Berg (same phone)"),
each with *Merge…* and *Not a duplicate* (one step of Edit › Undo); a lead saved
with a possible duplicate gets the pair recorded (``record_for``, connected to
the form's ``saved``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from leaddesk.operations.changes import Changes
from leaddesk.operations.duplicate_marks import mark_possible_duplicates
from leaddesk.storage.duplicates import (
    DuplicateMatch,
    PossiblePair,
    dismissed_partners,
    find_duplicates,
    open_pairs_of,
)
from leaddesk.ui.possible_duplicates import dismiss_pair
from leaddesk.ui.runner import OperationRunner

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

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._db = runner.ctx.db
        self.matches: list[DuplicateMatch] = []
        # The recorded possible duplicates of the lead shown (a saved lead only).
        self.marks: list[PossiblePair] = []
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
        runner.changed.connect(self._on_changed)
        self.hide()

    def check(self, values: Mapping[str, Any], exclude_id: int | None = None) -> None:
        """Look for duplicates of ``values`` after a short pause in typing."""
        opened = exclude_id is not None and exclude_id != self._exclude_id
        self._values = dict(values)
        self._exclude_id = exclude_id
        if opened:
            # Another lead shown: its marks at once (a few indexed reads), not after a pause.
            self.check_now()
        else:
            self._timer.start()

    def check_now(self) -> list[DuplicateMatch]:
        self._timer.stop()
        lead_id = self._exclude_id
        with self._db.reading() as connection:
            matches = find_duplicates(connection, self._values, lead_id)
            self.marks = open_pairs_of(connection, lead_id) if lead_id is not None else []
            dismissed = dismissed_partners(connection, lead_id) if lead_id is not None else set()
        # A recorded pair is shown as such; one the user dismissed is not shown again.
        marked = {mark.other_id for mark in self.marks}
        self.matches = [
            match
            for match in matches
            if match.same_person or (match.lead_id not in marked and match.lead_id not in dismissed)
        ]
        self._show()
        return self.matches

    def record_for(self, lead_id: int) -> None:
        """A lead was saved: record its possible duplicates (the board marks both cards)."""
        self._runner.run(mark_possible_duplicates, [lead_id])

    def _on_changed(self, changes: Changes) -> None:
        """Another lead of a shown pair or match changed (merged, deleted, dismissed)."""
        shown = {m.lead_id for m in self.matches} | {m.other_id for m in self.marks}
        if self._exclude_id is not None:
            shown.add(self._exclude_id)
        if shown and (changes.board or not shown.isdisjoint(changes.leads)):
            self._timer.start()

    def _show(self) -> None:
        if not self.matches and not self.marks:
            self.hide()
            self.label.clear()
            return
        same = [match for match in self.matches if match.same_person]
        possible = [match for match in self.matches if not match.same_person]
        lines = [self._mark_line(mark) for mark in self.marks]
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
        saved = self._exclude_id is not None
        self.label.setText(
            "<br>".join(
                lines
                + [
                    f"{title}<br>" + "<br>".join(self._line(match, saved) for match in matches)
                    for title, matches in parts
                ]
            )
        )
        self.label.setAccessibleName(
            " ".join(
                [f"Possible duplicate of {m.other_name} ({m.short_reason})." for m in self.marks]
                + [
                    title + " " + "; ".join(f"{m.name}, {m.reason_text}" for m in matches)
                    for title, matches in parts
                ]
            )
        )
        self.show()

    @staticmethod
    def _links(lead_id: int, dismissable: bool) -> str:
        links = [
            f'<a href="open:{lead_id}" style="{_LINK_STYLE}">Open</a>',
            f'<a href="merge:{lead_id}" style="{_LINK_STYLE}">Merge…</a>',
        ]
        if dismissable:
            links.append(f'<a href="dismiss:{lead_id}" style="{_LINK_STYLE}">Not a duplicate</a>')
        return " · ".join(links)

    def _mark_line(self, mark: PossiblePair) -> str:
        """'Possible duplicate of <b>Anna Berg</b> (same phone). Open · Merge… · Not a duplicate'"""
        return (
            f"Possible duplicate of <b>{html.escape(mark.other_name)}</b> "
            f"({html.escape(mark.short_reason)}). {self._links(mark.other_id, True)}"
        )

    def _line(self, match: DuplicateMatch, saved: bool) -> str:
        who = html.escape(match.name)
        if match.company:
            who += f" ({html.escape(match.company)})"
        # Only two saved leads can be told apart for good.
        dismissable = saved and not match.same_person
        return (
            f"<b>{who}</b>: {html.escape(match.reason_text)}. "
            f"{self._links(match.lead_id, dismissable)}"
        )

    def _on_link(self, link: str) -> None:
        action, _, lead_id = link.partition(":")
        if action == "merge":
            self.merge_requested.emit(int(lead_id))
        elif action == "open":
            self.open_requested.emit(int(lead_id))
        elif action == "dismiss":
            self.dismiss(int(lead_id))

    def dismiss(self, other_id: int) -> bool:
        """*Not a duplicate*: the shown lead and ``other_id`` are two people (undoable)."""
        lead_id = self._exclude_id
        if lead_id is None:
            return False
        mark = next((m for m in self.marks if m.other_id == other_id), None)
        match = next((m for m in self.matches if m.lead_id == other_id), None)
        if mark is not None:
            names, reason = f"{mark.lead_name} and {mark.other_name}", mark.reason
        elif match is not None:
            names, reason = match.name, match.reason.value
        else:
            return False
        done = dismiss_pair(self._runner, lead_id, other_id, names, reason)
        if done:
            self.check_now()
        return done
