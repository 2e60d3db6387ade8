"""The in-app reminder: a slim bar at the top of the window, tray or no tray."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QStyle, QVBoxLayout, QWidget

from leaddesk.core.agenda import FollowUpEntry
from leaddesk.ui.notice_bar import NoticeBar


def reminder_text(entries: Sequence[FollowUpEntry], zone: dt.tzinfo | None = None) -> str:
    """'Follow up with Ana Silva (14:30): call about the quote' or '3 follow-ups are due: …'."""
    if not entries:
        return ""
    if len(entries) == 1:
        entry = entries[0]
        when = entry.due_at.astimezone(zone).strftime("%H:%M")
        note = f": {entry.note}" if entry.note else ""
        return f"Follow up with {entry.name} (due {when}){note}"
    names = [entry.name for entry in entries[:3]]
    more = len(entries) - len(names)
    listed = ", ".join(names) + (f" and {more} more" if more else "")
    return f"{len(entries)} follow-ups are due: {listed}"


# Background and text: light, dark.
REMINDER_COLORS = (("#fff4d6", "#5b4106"), ("#4a3b12", "#fde68a"))


class ReminderBanner(NoticeBar):
    """'Follow up with …' with Open lead, Show agenda and a dismiss button."""

    open_lead = Signal(int)
    show_agenda = Signal()

    def __init__(self, parent: QWidget | None = None, zone: dt.tzinfo | None = None) -> None:
        self.open_button = QPushButton("Open lead")
        self.open_button.setObjectName("reminderOpen")
        self.agenda_button = QPushButton("Show agenda")
        self.agenda_button.setObjectName("reminderAgenda")
        super().__init__(
            "reminderBanner", [self.open_button, self.agenda_button], "Dismiss reminder", parent
        )
        self._zone = zone
        self.entries: list[FollowUpEntry] = []
        self.set_icon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        self.open_button.clicked.connect(self._open)
        self.agenda_button.clicked.connect(self.show_agenda.emit)
        self.dismiss_button.setToolTip("Dismiss")
        self.dismiss_button.clicked.connect(self.dismiss)
        self.set_colors(REMINDER_COLORS)

    def show_reminders(self, entries: Sequence[FollowUpEntry]) -> None:
        """Add ``entries`` to what the banner shows (newest reminders join the list)."""
        known = {entry.follow_up_id for entry in self.entries}
        self.entries.extend(entry for entry in entries if entry.follow_up_id not in known)
        if not self.entries:
            return
        self.text.setText(reminder_text(self.entries, self._zone))
        self.text.setToolTip(
            "\n".join(reminder_text([entry], self._zone) for entry in self.entries)
        )
        self.agenda_button.setVisible(len(self.entries) > 1)
        self.open_button.setText("Open lead" if len(self.entries) == 1 else "Open first")
        self.show()

    def keep_only(self, follow_up_ids: set[int]) -> None:
        """Drop reminders no longer due (done or snoozed elsewhere); hide when none is left."""
        kept = [entry for entry in self.entries if entry.follow_up_id in follow_up_ids]
        if len(kept) == len(self.entries):
            return
        self.entries = []
        if kept:
            self.show_reminders(kept)
        else:
            self.hide()

    def dismiss(self) -> None:
        self.entries = []
        self.hide()

    def _open(self) -> None:
        if self.entries:
            lead_id = self.entries[0].lead_id
            self.entries = self.entries[1:]
            if self.entries:
                self.show_reminders([])
            else:
                self.hide()
            self.open_lead.emit(lead_id)


def with_banner(banner: ReminderBanner, content: QWidget) -> QWidget:
    """``content`` with the banner above it, as one widget (the window's central widget)."""
    container = QWidget()
    container.setObjectName("bannerContainer")
    layout = QVBoxLayout(container)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    layout.addWidget(content, 1)
    return container
