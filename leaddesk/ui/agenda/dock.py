"""The agenda beside the board: Overdue, Today, Upcoming and No next step.

Owns the panel that puts the parts together and acts on the selected entry:
the sections (``section_widgets``), each a list view over its own model, under
the toolbar (``entry_toolbar``); the selection, which one entry across the
sections; Done, Snooze, Plan and Export calendar, run through ``FollowUpActions``;
and the dock whose title carries the counts. When the agenda is re-read, and on
which thread, is ``snapshot_reader``'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMenu, QVBoxLayout, QWidget

from leaddesk.core.agenda import SnoozeOption, system_zone
from leaddesk.core.fields import ActivityKind
from leaddesk.operations.agenda_export import export_follow_ups_ics
from leaddesk.ui.agenda.actions import FollowUpActions, add_done_actions
from leaddesk.ui.agenda.delegate import AgendaItemDelegate
from leaddesk.ui.agenda.entry_toolbar import AgendaEntryToolbar
from leaddesk.ui.agenda.model import (
    LEAD_ID_ROLE,
    AgendaItem,
    AgendaSectionModel,
    AgendaSnapshot,
    Section,
)
from leaddesk.ui.agenda.section_widgets import AgendaSection, AgendaSectionsArea
from leaddesk.ui.agenda.snapshot_reader import AgendaSnapshotReader
from leaddesk.ui.runner import OperationRunner

REPAINT_MS = 60_000


def dock_title(counts: dict[str, int]) -> str:
    """'Agenda · 3 overdue · 5 today' (what needs doing now is what the title says)."""
    parts = ["Agenda"]
    if counts.get(Section.OVERDUE):
        parts.append(f"{counts[Section.OVERDUE]} overdue")
    if counts.get(Section.TODAY):
        parts.append(f"{counts[Section.TODAY]} today")
    return " · ".join(parts)


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

        self.snooze_menu = self.actions_.snooze_menu(self, self.snooze_selected)
        self.toolbar = AgendaEntryToolbar(self.snooze_menu)
        self.toolbar.done.connect(self.complete_selected)
        self.toolbar.plan.connect(self.plan_selected)
        self.toolbar.export.connect(self.export_calendar)
        # Ctrl+D wherever the focus is in the panel, not only on the toolbar.
        self.addAction(self.toolbar.done_action)
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
            self.sections[section] = widget
        self.sections_area = AgendaSectionsArea()
        for widget in self.sections.values():
            self.sections_area.add(widget)
        column.addWidget(self.sections_area, 1)

        self.reader = AgendaSnapshotReader(runner, self.zone, self)
        self.reader.snapshot_read.connect(self._apply)
        self._repaint = QTimer(self)
        self._repaint.setInterval(REPAINT_MS)
        self._repaint.timeout.connect(self._repaint_views)
        self._repaint.start()
        self.reload()
        self._update_buttons()

    # -- data ------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the agenda now, keeping the selected entry selected where it still is."""
        self.reader.read_now()

    def flush(self) -> None:
        """Apply announced changes now, reading on this thread (after a command, and tests)."""
        self.reader.flush()

    def _apply(self, snapshot: AgendaSnapshot) -> None:
        selected = self.current_item()
        self.snapshot = snapshot
        for section, widget in self.sections.items():
            widget.set_items(snapshot.items[section], snapshot.counts[section])
        if selected is not None:
            self.select(follow_up_id=selected.follow_up_id, lead_id=selected.lead_id)
        self._update_buttons()
        self.counts_changed.emit(dict(snapshot.counts))

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
        self.toolbar.show_entry(self.current_item())

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
