"""The agenda beside the board: Overdue, Today, Upcoming and No next step.

Each section is a list view over its own model. The panel re-reads the agenda
when an operation announces a change, and by itself when the clock moves an
entry from one section to the next (a due time passes, or midnight).

Those re-reads run on a worker thread (on a large database one takes long enough
to freeze a drag on the board): the thread reads through its own connection
from ``db.reading()`` (the SQLite engine's QueuePool hands each thread its own,
and WAL lets it read while the UI thread writes) and only puts the snapshot into
a ``_SnapshotRead``; the UI thread picks it up and fills the sections. One read at
a time; a result that a newer change made stale is dropped and read again.
``reload()`` (and ``flush()``) still read at once, on the calling thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.agenda import SnoozeOption, system_zone
from leaddesk.core.fields import ActivityKind
from leaddesk.errors import DatabaseBusyError
from leaddesk.operations.agenda_export import export_follow_ups_ics
from leaddesk.operations.changes import Changes
from leaddesk.storage.database import Database
from leaddesk.ui.agenda.actions import FollowUpActions, add_done_actions
from leaddesk.ui.agenda.delegate import AgendaItemDelegate
from leaddesk.ui.agenda.model import (
    LEAD_ID_ROLE,
    AgendaItem,
    AgendaSectionModel,
    AgendaSnapshot,
    Section,
    load_snapshot,
)
from leaddesk.ui.runner import OperationRunner

log = logging.getLogger(__name__)

# QTimer takes an int of milliseconds; a day is far enough to look ahead.
MAX_TIMER_MS = 24 * 60 * 60 * 1000
REPAINT_MS = 60_000
# How often the UI thread looks whether a background read has finished.
READ_POLL_MS = 5
# A background read that found the database busy is tried again after this pause.
BUSY_RETRY_MS = 1000

SECTION_COLORS = {
    Section.OVERDUE: QColor("#dc2626"),
    Section.TODAY: QColor("#2f6fd6"),
    Section.UPCOMING: QColor("#8b5cf6"),
    Section.NO_NEXT_STEP: QColor("#d97706"),
}


def dock_title(counts: dict[str, int]) -> str:
    """'Agenda · 3 overdue · 5 today' (what needs doing now is what the title says)."""
    parts = ["Agenda"]
    if counts.get(Section.OVERDUE):
        parts.append(f"{counts[Section.OVERDUE]} overdue")
    if counts.get(Section.TODAY):
        parts.append(f"{counts[Section.TODAY]} today")
    return " · ".join(parts)


class _SnapshotRead:
    """One agenda read on a worker thread; the UI thread takes ``result`` once ``done``.

    Plain Python on purpose: no Qt object crosses threads, so the panel can be
    destroyed while a read runs (the thread just finishes into this object).
    """

    def __init__(self, generation: int, db: Database, now: dt.datetime, zone: dt.tzinfo) -> None:
        self.generation = generation
        self.result: AgendaSnapshot | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()
        self._args = (db, now, zone)
        self._thread = threading.Thread(target=self._run, name="agenda read", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            self.result = load_snapshot(*self._args)
        except BaseException as error:  # handed to the UI thread, which logs it
            self.error = error
        finally:
            self.done.set()


class AgendaListView(QListView):
    """A section's rows; as tall as its rows (up to what the panel can give)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaSectionView")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def fit_rows(self) -> None:
        rows = self.model().rowCount() if self.model() is not None else 0
        row_height = self.sizeHintForRow(0) if rows else 0
        self.setMinimumHeight(min(rows, 2) * row_height)
        self.setMaximumHeight(rows * row_height + 2 * self.frameWidth())


class SectionHeader(QWidget):
    """A section's title and count, over a thin coloured rule; click folds the section."""

    toggled = Signal(bool)

    def __init__(self, title: str, color: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = color
        self.arrow = QToolButton()
        self.arrow.setObjectName("sectionToggle")
        self.arrow.setArrowType(Qt.ArrowType.DownArrow)
        # Not a checkable button: a checked auto-raise button is drawn sunken.
        self.expanded = True
        self.arrow.setAutoRaise(True)
        self.arrow.setAccessibleName(f"Fold {title}")
        self.arrow.clicked.connect(self.toggle)
        self.title = QLabel(title)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.count = QLabel("0")
        self.count.setObjectName("sectionCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count.setMinimumWidth(28)
        palette = self.count.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
        self.count.setPalette(palette)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 8, 10, 4)
        layout.setSpacing(4)
        layout.addWidget(self.arrow)
        layout.addWidget(self.title)
        layout.addStretch(1)
        # Centred at its own height: a header given spare height (a folded section
        # below it) must not stretch the pill into a tall ellipse.
        layout.addWidget(self.count, 0, Qt.AlignmentFlag.AlignVCenter)

    def set_count(self, count: int) -> None:
        self.count.setText(f"{count:,}")
        self.count.setToolTip(f"{count:,} in {self.title.text()}")
        self.update()

    def toggle(self) -> None:
        self.expanded = not self.expanded
        arrow = Qt.ArrowType.DownArrow if self.expanded else Qt.ArrowType.RightArrow
        self.arrow.setArrowType(arrow)
        self.toggled.emit(self.expanded)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.toggle()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # The count as a pill in the section's colour (washed out when there is nothing).
        pill = self.count.geometry().adjusted(-2, 0, 2, 0)
        color = QColor(self._color)
        color.setAlphaF(0.9 if self.count.text() != "0" else 0.25)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.end()
        super().paintEvent(event)


class AgendaSection(QWidget):
    def __init__(self, section: str, model: AgendaSectionModel, delegate: AgendaItemDelegate):
        super().__init__()
        self.section = section
        self.model = model
        self.header = SectionHeader(Section.TITLES[section], SECTION_COLORS[section])
        self.view = AgendaListView()
        self.view.setModel(model)
        self.view.setItemDelegate(delegate)
        self.view.setAccessibleName(Section.TITLES[section])
        self.empty = QLabel(Section.EMPTY[section])
        self.empty.setObjectName("sectionEmpty")
        self.empty.setEnabled(False)
        self.empty.setContentsMargins(28, 2, 8, 6)
        self._expanded = True
        self.header.toggled.connect(self.set_expanded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        self._sync()

    def set_items(self, items: tuple[AgendaItem, ...], count: int) -> None:
        self.model.set_items(items)
        self.header.set_count(count)
        self._sync()

    def set_expanded(self, expanded: bool) -> None:
        self._expanded = expanded
        self._sync()

    def _sync(self) -> None:
        rows = self.model.rowCount()
        self.view.setVisible(self._expanded and rows > 0)
        self.empty.setVisible(self._expanded and rows == 0)
        self.view.fit_rows()
        # A folded (or fitted) section takes no more room than it needs.
        policy = (
            QSizePolicy.Policy.Expanding
            if self.view.isVisibleTo(self)
            else (QSizePolicy.Policy.Maximum)
        )
        self.setSizePolicy(QSizePolicy.Policy.Preferred, policy)


class AgendaPanel(QWidget):
    """The four sections, with Done, Snooze, Plan and Export calendar."""

    lead_activated = Signal(int)
    counts_changed = Signal(dict)
    message = Signal(str)

    def __init__(
        self,
        runner: OperationRunner,
        zone: dt.tzinfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agendaPanel")
        self.runner = runner
        self.zone = zone if zone is not None else system_zone()
        self.actions_ = FollowUpActions(runner, self.zone, self)
        self.snapshot: AgendaSnapshot | None = None
        self.delegate = AgendaItemDelegate(runner.ctx.clock, self.zone, self)
        # Replaceable in tests: where "Export calendar…" writes.
        self.ask_export_path: Callable[[], Path | None] = self._ask_export_path

        self._build_toolbar()
        self.sections: dict[str, AgendaSection] = {}
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.toolbar)
        for section in Section.ALL:
            widget = AgendaSection(
                section, AgendaSectionModel(section, self.zone, self), self.delegate
            )
            widget.view.activated.connect(self._activate)
            # The selection, not the current index: a click makes a row current
            # before it selects it, so the buttons must follow the selection.
            widget.view.selectionModel().selectionChanged.connect(
                lambda _selected, _deselected, s=section: self._on_selection(s)
            )
            widget.view.customContextMenuRequested.connect(
                lambda point, s=section: self._context_menu(s, point)
            )
            column.addWidget(widget, 1)
            self.sections[section] = widget
        column.addStretch(0)

        # Bumped by every reload asked for; a read started for an older one is stale.
        self._generation = 0
        self._read: _SnapshotRead | None = None
        self._read_again = False
        self._read_poll = QTimer(self)
        self._read_poll.setInterval(READ_POLL_MS)
        self._read_poll.timeout.connect(self._take_read)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(self.reload_in_background)
        self._boundary = QTimer(self)
        self._boundary.setSingleShot(True)
        self._boundary.setTimerType(Qt.TimerType.PreciseTimer)
        self._boundary.timeout.connect(self.reload_in_background)
        self._repaint = QTimer(self)
        self._repaint.setInterval(REPAINT_MS)
        self._repaint.timeout.connect(self._repaint_views)
        self._repaint.start()
        runner.changed.connect(self._on_changed)
        self.reload()
        self._update_buttons()

    # -- building ------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.toolbar = QWidget()
        self.toolbar.setObjectName("agendaToolbar")
        bar = QHBoxLayout(self.toolbar)
        bar.setContentsMargins(6, 6, 6, 2)
        bar.setSpacing(4)

        self.done_action = QAction("Done", self)
        self.done_action.setObjectName("agendaDone")
        self.done_action.setShortcut(QKeySequence("Ctrl+D"))
        self.done_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.done_action.setToolTip(
            "Mark the follow-up done (a call), then plan the next step (Ctrl+D)"
        )
        self.done_action.triggered.connect(lambda: self.complete_selected(ActivityKind.CALL))
        self.addAction(self.done_action)
        done_menu = QMenu(self)
        add_done_actions(done_menu, self.complete_selected)
        self.done_button = QToolButton()
        self.done_button.setObjectName("doneButton")
        self.done_button.setDefaultAction(self.done_action)
        self.done_button.setMenu(done_menu)
        self.done_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)

        self.snooze_button = QToolButton()
        self.snooze_button.setObjectName("snoozeButton")
        self.snooze_button.setText("Snooze")
        self.snooze_button.setToolTip("Put the follow-up off")
        self.snooze_menu = self.actions_.snooze_menu(self, self.snooze_selected)
        self.snooze_button.setMenu(self.snooze_menu)
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        self.plan_action = QAction("Plan next step", self)
        self.plan_action.setToolTip("Plan a follow-up for the selected lead")
        self.plan_action.triggered.connect(self.plan_selected)
        self.plan_button = QToolButton()
        self.plan_button.setDefaultAction(self.plan_action)

        self.export_action = QAction("Export calendar…", self)
        self.export_action.setObjectName("exportCalendar")
        self.export_action.setToolTip(
            "Write every open follow-up to an .ics file for your calendar"
        )
        self.export_action.triggered.connect(self.export_calendar)
        export_button = QToolButton()
        export_button.setDefaultAction(self.export_action)

        for button in (self.done_button, self.snooze_button, self.plan_button, export_button):
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # Room for the menu arrow beside the text: the style draws it in the corner
        # of an InstantPopup button without widening it, over the last letters.
        arrow = self.snooze_button.style().pixelMetric(
            QStyle.PixelMetric.PM_MenuButtonIndicator, None, self.snooze_button
        )
        self.snooze_button.setMinimumWidth(self.snooze_button.sizeHint().width() + 2 * arrow)
        bar.addWidget(self.done_button)
        bar.addWidget(self.snooze_button)
        bar.addWidget(self.plan_button)
        bar.addStretch(1)
        bar.addWidget(export_button)

    # -- data ------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the agenda now, keeping the selected entry selected where it still is."""
        self._refresh.stop()
        self._generation += 1
        # A read still running is older than this one: its result is dropped.
        self._read_again = False
        self._apply(load_snapshot(self.runner.ctx.db, self.runner.ctx.clock.now(), self.zone))

    def reload_in_background(self) -> None:
        """Re-read the agenda on a worker thread; the sections fill when it is read."""
        self._refresh.stop()
        self._generation += 1
        if self._read is not None:
            # Never two reads at once: the running one is stale, read again after it.
            self._read_again = True
            return
        self._start_read()

    @property
    def reading(self) -> bool:
        """True while a background read runs (its result not applied yet)."""
        return self._read is not None

    def _start_read(self) -> None:
        self._read_again = False
        read = _SnapshotRead(
            self._generation, self.runner.ctx.db, self.runner.ctx.clock.now(), self.zone
        )
        self._read = read
        read.start()
        self._read_poll.start()

    def _take_read(self) -> None:
        read = self._read
        if read is None:
            self._read_poll.stop()
            return
        if not read.done.is_set():
            return
        self._read = None
        self._read_poll.stop()
        if self._read_again:
            self._start_read()
            return
        if read.generation != self._generation:
            return  # a reload() since has shown newer data
        if isinstance(read.error, DatabaseBusyError):
            # Another LeadDesk holds the database for longer than the busy timeout:
            # read again shortly rather than trouble the user with it.
            QTimer.singleShot(BUSY_RETRY_MS, self, self.reload_in_background)
        elif read.error is not None:
            log.error("Reading the agenda failed", exc_info=read.error)
        elif read.result is not None:
            self._apply(read.result)

    def wait_for_read(self, timeout: float | None = None) -> None:
        """Block until a background read in progress is done and applied (tests, shutdown)."""
        while self._read is not None:
            if not self._read.done.wait(timeout):
                return
            self._take_read()

    def _apply(self, snapshot: AgendaSnapshot) -> None:
        selected = self.current_item()
        self.snapshot = snapshot
        for section, widget in self.sections.items():
            widget.set_items(snapshot.items[section], snapshot.counts[section])
        if selected is not None:
            self.select(follow_up_id=selected.follow_up_id, lead_id=selected.lead_id)
        self._arm_boundary(snapshot)
        self._update_buttons()
        self.counts_changed.emit(dict(snapshot.counts))

    def _arm_boundary(self, snapshot: AgendaSnapshot) -> None:
        wait = (snapshot.next_change - self.runner.ctx.clock.now()).total_seconds() * 1000
        self._boundary.start(int(min(max(wait, 0) + 50, MAX_TIMER_MS)))

    def _on_changed(self, _changes: Changes) -> None:
        # Coalesced: a burst of announcements re-reads the agenda once.
        self._refresh.start()

    def flush(self) -> None:
        """Apply announced changes now, reading on this thread (after a command, and tests)."""
        if self._refresh.isActive() or self._read is not None:
            self.reload()

    def _repaint_views(self) -> None:
        for widget in self.sections.values():
            widget.view.viewport().update()

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.snapshot.counts) if self.snapshot else {}

    # -- selection -------------------------------------------------------------

    def current_item(self) -> AgendaItem | None:
        for widget in self.sections.values():
            indexes = widget.view.selectionModel().selectedIndexes()
            if indexes:
                return widget.model.items[indexes[0].row()]
        return None

    def select(self, *, follow_up_id: int | None = None, lead_id: int | None = None) -> bool:
        for widget in self.sections.values():
            row = widget.model.row_of(follow_up_id=follow_up_id, lead_id=lead_id)
            if row is not None:
                index = widget.model.index(row)
                widget.view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                widget.view.scrollTo(index)
                return True
        return False

    def _on_selection(self, section: str) -> None:
        if self.sections[section].view.selectionModel().hasSelection():
            for other, widget in self.sections.items():
                if other != section:
                    widget.view.clearSelection()
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.current_item()
        is_follow_up = item is not None and item.follow_up_id is not None
        self.done_action.setEnabled(is_follow_up)
        self.done_button.setEnabled(is_follow_up)
        self.snooze_button.setEnabled(is_follow_up)
        self.plan_action.setEnabled(item is not None)

    def _activate(self, index: QModelIndex) -> None:
        lead_id = index.data(LEAD_ID_ROLE)
        if lead_id is not None:
            self.lead_activated.emit(int(lead_id))

    def _context_menu(self, section: str, point: QPoint) -> None:
        view = self.sections[section].view
        index = view.indexAt(point)
        if not index.isValid():
            return
        view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        menu = QMenu(self)
        menu.addAction("Open lead", lambda: self._activate(index))
        item = self.current_item()
        if item is not None and item.follow_up_id is not None:
            add_done_actions(menu, self.complete_selected)
            menu.addMenu(self.snooze_menu)
        menu.addAction("Plan next step…", self.plan_selected)
        menu.exec(view.viewport().mapToGlobal(point))
        menu.deleteLater()

    # -- commands ----------------------------------------------------------------

    def complete_selected(self, kind: ActivityKind = ActivityKind.CALL) -> None:
        item = self.current_item()
        if item is None or item.follow_up_id is None:
            return
        if self.actions_.complete(item.follow_up_id, item.lead_id, kind):
            self.flush()
            self.message.emit(f"Done: {item.name}.")

    def snooze_selected(self, option: SnoozeOption) -> None:
        item = self.current_item()
        if item is None or item.follow_up_id is None:
            return
        if self.actions_.snooze(item.follow_up_id, option):
            self.flush()
            self.message.emit(f"Snoozed {item.name}: {option.label.lower()}.")

    def plan_selected(self) -> None:
        item = self.current_item()
        if item is not None and self.actions_.plan(item.lead_id):
            self.flush()

    def export_calendar(self) -> None:
        path = self.ask_export_path()
        if path is None:
            return
        count = self.runner.read(export_follow_ups_ics, path)
        if count is not None:
            self.message.emit(f"Wrote {count} open follow-up{'s' if count != 1 else ''} to {path}.")

    def _ask_export_path(self) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            "Export calendar",
            str(Path.home() / "leaddesk-follow-ups.ics"),
            "iCalendar files (*.ics)",
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".ics")


class AgendaDock(QDockWidget):
    """The agenda as a dock: the title carries the counts, the state is saved with the window."""

    def __init__(
        self,
        runner: OperationRunner,
        zone: dt.tzinfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Agenda", parent)
        self.setObjectName("agendaDock")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.panel = AgendaPanel(runner, zone, self)
        self.panel.counts_changed.connect(self._on_counts)
        self.setWidget(self.panel)
        self.setMinimumWidth(300)
        self._on_counts(self.panel.counts)

    def _on_counts(self, counts: dict[str, int]) -> None:
        title = dock_title(counts)
        self.setWindowTitle(title)
        self.toggleViewAction().setText("&Agenda")
        overdue = counts.get(Section.OVERDUE, 0)
        self.setToolTip(f"{overdue} overdue follow-up{'s' if overdue != 1 else ''}")
