"""The form's activity side: the score and why, the follow-ups, the stage history, the timeline.

Views: they show what the form gives them and announce what the user asked for
(accept the suggestion, log an activity); the form runs the operations. The
follow-ups are the agenda's own widget, which runs its operations itself.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import ActivityKind, Stage, Temperature
from leaddesk.core.scoring import ScoreResult
from leaddesk.storage.lead_history import ActivityEntry, StageChange
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.theme import TEMPERATURE_COLORS, is_dark

log = logging.getLogger(__name__)

ACTIVITY_KINDS: tuple[ActivityKind, ...] = tuple(ActivityKind)
_KIND_VALUES = frozenset(kind.value for kind in ActivityKind)
_KIND_GLYPHS = {
    ActivityKind.CALL: "☎",
    ActivityKind.EMAIL: "✉",
    ActivityKind.MEETING: "◉",
    ActivityKind.NOTE: "✎",
}


def local_time(moment: dt.datetime) -> str:
    return f"{moment.astimezone():%d %b %Y %H:%M}"


def _margins(layout: QVBoxLayout) -> QVBoxLayout:
    layout.setContentsMargins(8, 4, 8, 8)
    return layout


class ScoreBox(QGroupBox):
    """The score, what it suggests, every rule that fired with its points."""

    accept_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Score", parent)
        self.setObjectName("scoreBox")
        self.score = QLabel()
        self.score.setObjectName("score")
        big = QFont(self.score.font())
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.8)
        self.score.setFont(big)
        self.score.setMinimumWidth(self.score.fontMetrics().horizontalAdvance("100") + 8)
        self.suggestion = QLabel()
        self.suggestion.setObjectName("suggestion")
        self.suggestion.setWordWrap(True)
        self.accept_button = QPushButton()
        self.accept_button.setObjectName("acceptSuggestion")
        self.accept_button.clicked.connect(self.accept_requested.emit)
        self.accept_button.hide()
        self.reasons = QLabel()
        self.reasons.setObjectName("scoreReasons")
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        top = QHBoxLayout()
        top.addWidget(self.score)
        side = QVBoxLayout()
        side.addWidget(self.suggestion)
        side.addWidget(self.accept_button, 0, Qt.AlignmentFlag.AlignLeft)
        top.addLayout(side, 1)
        layout = _margins(QVBoxLayout(self))
        layout.addLayout(top)
        layout.addWidget(self.reasons)

    def show_result(self, result: ScoreResult, temperature: str) -> None:
        """Show ``result`` for a lead whose temperature is ``temperature``."""
        self.score.setText(str(result.score))
        color = TEMPERATURE_COLORS[result.suggested_temperature]
        shown = color.lighter(140) if is_dark(self.palette()) else color.darker(115)
        self.score.setStyleSheet(f"color: {shown.name()};")
        suggested = result.suggested_temperature
        qualified = "sales qualified" if result.qualified else "not yet sales qualified"
        if suggested.value != temperature:
            self.suggestion.setText(
                f"The score suggests <b>{suggested.label}</b> "
                f"(the lead is {Temperature(temperature).label}); {qualified}."
            )
            self.accept_button.setText(f"Accept suggested: {suggested.label}")
            self.accept_button.show()
        else:
            self.suggestion.setText(f"Suggests {suggested.label}, as set; {qualified}.")
            self.accept_button.hide()
        if not result.reasons:
            self.reasons.setText("<i>No rule applies yet.</i>")
            return
        rows = "".join(
            f"<tr><td align='right' style='padding-right:8px'><b>"
            f"{'+' if reason.points > 0 else '−' if reason.points < 0 else ''}"
            f"{abs(reason.points)}</b></td><td>{html.escape(reason.rule)}</td></tr>"
            for reason in result.reasons
        )
        total = sum(reason.points for reason in result.reasons)
        clamp = (
            f"<tr><td></td><td><i>{total} points, kept within 0–100</i></td></tr>"
            if total != result.score
            else ""
        )
        self.reasons.setText(f"<table>{rows}{clamp}</table>")


class FollowUpsBox(QGroupBox):
    """The lead's follow-ups; hidden until the lead is saved (a follow-up needs a lead)."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__("Follow-ups", parent)
        self.setObjectName("followUpsBox")
        layout = _margins(QVBoxLayout(self))
        self.follow_ups: Any = None
        try:
            # Built by the agenda; the form works without it.
            from leaddesk.ui.agenda.follow_ups_widget import FollowUpsWidget

            self.follow_ups = FollowUpsWidget(runner, self)
        except Exception:
            log.exception("the follow-ups widget could not be built")
            self.follow_ups = None
        if self.follow_ups is not None:
            layout.addWidget(self.follow_ups)
        self.hide()  # shown for a saved lead

    def show_lead(self, lead_id: int | None) -> None:
        """The follow-ups of ``lead_id`` (None: a lead not saved yet, the box hidden)."""
        if self.follow_ups is None:
            return
        self.setVisible(lead_id is not None)
        try:
            self.follow_ups.set_lead(lead_id)
            # Its rows change its size; the scroll area must not squeeze it below that.
            self.follow_ups.setMinimumHeight(self.follow_ups.minimumSizeHint().height())
        except Exception:
            log.exception("the follow-ups widget could not show lead %s", lead_id)


class StageHistoryBox(QGroupBox):
    """Every stage change with its time and who made it, latest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Stage history", parent)
        self.setObjectName("historyBox")
        self.history = QLabel()
        self.history.setObjectName("stageHistory")
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.RichText)
        _margins(QVBoxLayout(self)).addWidget(self.history)

    def show_changes(self, changes: Sequence[StageChange] | None) -> None:
        """``changes`` latest first; None for a lead not saved yet."""
        if changes is None:
            self.history.setText("<i>Recorded from the first save.</i>")
            return
        rows = []
        for change in changes:
            start = f"{Stage(change.from_stage).label} →" if change.from_stage else "Created as"
            by = f" · {html.escape(change.changed_by)}" if change.changed_by else ""
            rows.append(
                f"<tr><td style='padding-right:10px'>{local_time(change.changed_at)}</td>"
                f"<td>{start} <b>{Stage(change.to_stage).label}</b>{by}</td></tr>"
            )
        self.history.setText(f"<table>{''.join(rows)}</table>" if rows else "<i>No changes.</i>")


class TimelineBox(QGroupBox):
    """The lead's activities, latest first, under a row that logs a new one."""

    # kind, when it happened (None: now), text
    log_requested = Signal(str, object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Activity", parent)
        self.setObjectName("timelineBox")
        self.kind = QComboBox()
        self.kind.setObjectName("logKind")
        self.kind.setAccessibleName("Kind of activity")
        for kind in ACTIVITY_KINDS:
            self.kind.addItem(kind.label, kind.value)
            if kind is ActivityKind.NOTE:
                self.kind.insertSeparator(self.kind.count())
        self.time = QDateTimeEdit()
        self.time.setObjectName("logTime")
        self.time.setDisplayFormat("d MMM HH:mm")
        self.time.setCalendarPopup(True)
        self.time.setToolTip("When it happened (now unless you change it)")
        self.time.dateTimeChanged.connect(self._time_edited)
        self._time_touched = False
        self.text = QLineEdit()
        self.text.setObjectName("logText")
        self.text.setPlaceholderText("What happened (optional)")
        self.text.returnPressed.connect(self.request_log)
        self.button = QPushButton("Log")
        self.button.setObjectName("logButton")
        self.button.clicked.connect(self.request_log)
        self.hint = QLabel("Save the lead first to log what happens with it.")
        self.hint.setObjectName("logHint")
        self.hint.setWordWrap(True)
        self.timeline = QListWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.setAccessibleName("Activity timeline")
        self.timeline.setWordWrap(True)
        self.timeline.setMinimumHeight(110)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setStyleSheet("QListWidget#timeline::item { padding: 3px 2px; }")
        row = QHBoxLayout()
        row.addWidget(self.kind, 1)
        row.addWidget(self.time)
        second = QHBoxLayout()
        second.addWidget(self.text, 1)
        second.addWidget(self.button)
        layout = _margins(QVBoxLayout(self))
        layout.addLayout(row)
        layout.addLayout(second)
        layout.addWidget(self.hint)
        layout.addWidget(self.timeline, 1)

    def reset_time(self, now: dt.datetime) -> None:
        """Back to "now" (the latest time an activity may have)."""
        moment = QDateTime.fromSecsSinceEpoch(int(now.timestamp()))
        self.time.blockSignals(True)
        self.time.setMaximumDateTime(moment)
        self.time.setDateTime(moment)
        self.time.blockSignals(False)
        self._time_touched = False

    def _time_edited(self, _moment: QDateTime) -> None:
        self._time_touched = True

    def request_log(self) -> None:
        kind = self.kind.currentData()
        if kind is None or not self.button.isEnabled():
            return
        when = None
        if self._time_touched:
            seconds = self.time.dateTime().toSecsSinceEpoch()
            when = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        self.log_requested.emit(kind, when, self.text.text())

    def show_entries(self, entries: Sequence[ActivityEntry] | None) -> None:
        """``entries`` latest first; None for a lead not saved yet (nothing can be logged)."""
        self.timeline.clear()
        allowed = entries is not None
        for widget in (self.kind, self.time, self.text, self.button):
            widget.setEnabled(allowed)
        self.hint.setVisible(not allowed)
        for entry in entries or ():
            kind = ActivityKind(entry.kind) if entry.kind in _KIND_VALUES else None
            label = kind.label if kind else entry.kind
            glyph = _KIND_GLYPHS.get(kind, "★") if kind else "•"
            text = f"{glyph}  {label} · {local_time(entry.occurred_at)}"
            if entry.text and entry.text.strip().casefold() != label.casefold():
                text += f"\n{entry.text}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            item.setToolTip(f"Logged by {entry.created_by}" if entry.created_by else "")
            self.timeline.addItem(item)
        if entries is not None and not entries:
            placeholder = QListWidgetItem("Nothing logged yet.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.timeline.addItem(placeholder)
