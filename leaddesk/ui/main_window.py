"""The main window: search, the board, menus with shortcuts, a status line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from leaddesk.core.fields import BoardGrouping, display_name
from leaddesk.operations.changes import Changes
from leaddesk.operations.leads import delete_leads
from leaddesk.operations.owners import my_owner_id
from leaddesk.operations.scoring import load_score_settings
from leaddesk.storage.queries import count_leads, lead_row
from leaddesk.ui.agenda.integration import AgendaIntegration
from leaddesk.ui.board.search_feedback import EmptySearchOverlay, LeadCountLabel
from leaddesk.ui.board.view import BoardWidget
from leaddesk.ui.data_watch import DataWatch
from leaddesk.ui.lead_form.dialog import LeadFormDialog
from leaddesk.ui.lead_form.gate_dialog import MoveGate
from leaddesk.ui.possible_duplicates import add_duplicates_action
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.window_files import FileActions
from leaddesk.ui.window_panel import LeadPanelHost
from leaddesk.ui.window_views import ViewSwitcher

SEARCH_DELAY_MS = 120


def window_settings(data_dir: Path) -> QSettings:
    """Window state lives beside the data, so each data folder remembers its own."""
    return QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("LeadDesk")
        self.setObjectName("mainWindow")
        self.board = BoardWidget(runner)
        self.board.lead_activated.connect(self.open_lead)
        # The board, and the lead table once asked for (View > Table).
        self.views = ViewSwitcher(runner, self.board)
        self.views.lead_activated.connect(self.open_lead)
        self.setCentralWidget(self.views)
        self.files = FileActions(
            runner,
            self,
            lead_filter=lambda: self.board.lead_filter,
            selected_ids=self.views.selected_ids,
            confirm_leave=self._confirm_leave_lead,
        )
        self.views.export_requested.connect(lambda: self.files.export_csv(selected=True))
        self.files.message.connect(self.statusBar().showMessage)
        self.import_action = self.files.import_action
        self.import_history_action = self.files.import_history_action
        self.export_action = self.files.export_action
        self.export_selected_action = self.files.export_selected_action
        self.backup_action = self.files.backup_action
        self.restore_action = self.files.restore_action
        self._apply_score_settings()

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search name, email, phone, company…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.search.setMaximumWidth(460)
        self.search.setAccessibleName("Search leads")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_search)

        self._build_actions()
        self._build_toolbar()
        self.lead_count = LeadCountLabel()
        self.statusBar().addWidget(self.lead_count)
        self.views.selection_count_changed.connect(self.lead_count.show_selected)
        database = QLabel(runner.ctx.db.display_url)
        database.setObjectName("databaseLabel")
        database.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(database)
        runner.changed.connect(self._on_changed)
        self._update_count()
        self.resize(self._first_size())
        # The agenda dock, reminder banner and tray: before the state that places the dock.
        self.agenda = AgendaIntegration(self, runner, self.view_menu)
        self._build_lead_panel()
        self._restore_state()
        # Changes made outside (the command line, another window); started by the app.
        self.data_watch = DataWatch(runner, self)

    def _first_size(self) -> QSize:
        """1280×800, or the screen's free area less the frame on a smaller screen."""
        size = QSize(1280, 800)
        screen = self.screen()
        if screen is not None:
            # The window manager's title bar and borders are outside resize(); leave
            # room for them so a 1366×768 laptop shows the whole window.
            free = screen.availableGeometry().size() - QSize(16, 48)
            size = size.boundedTo(free)
        return size

    # -- actions -----------------------------------------------------------

    def _build_actions(self) -> None:
        self.new_action = QAction("&New lead…", self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setToolTip("Add a lead (Ctrl+N)")
        self.new_action.triggered.connect(self.new_lead)

        self.open_action = QAction("&Open lead…", self)
        self.open_action.setShortcut(QKeySequence("Ctrl+O"))
        self.open_action.triggered.connect(self._open_selected)

        self.delete_action = QAction("&Delete lead…", self)
        self.delete_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence("Backspace")]
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.board.addAction(self.delete_action)
        self.board.delete_requested.connect(self.delete_selected)

        self.merge_action = QAction("&Merge selected leads…", self)
        self.merge_action.setToolTip("Merge two selected cards that are one person")
        self.merge_action.triggered.connect(self.merge_selected)

        self.find_action = QAction("&Find", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._focus_search)

        self.settings_action = QAction("Se&ttings…", self)
        # Only macOS binds Preferences (Cmd+,); elsewhere Qt leaves it empty.
        self.settings_action.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
            or [QKeySequence("Ctrl+,")]
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)

        self.my_leads_action = QAction("&My leads", self, checkable=True)
        self.my_leads_action.setObjectName("myLeads")
        self.my_leads_action.setShortcut(QKeySequence("Ctrl+M"))
        self.my_leads_action.setToolTip("Show only the leads you own (Ctrl+M)")
        self.my_leads_action.toggled.connect(self.set_my_leads)

        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)

        self.grouping_actions = QActionGroup(self)
        self.by_temperature = QAction("By &temperature", self, checkable=True, checked=True)
        self.by_temperature.setShortcut(QKeySequence("Ctrl+1"))
        self.by_stage = QAction("By &stage", self, checkable=True)
        self.by_stage.setShortcut(QKeySequence("Ctrl+2"))
        for action, grouping in (
            (self.by_temperature, BoardGrouping.TEMPERATURE),
            (self.by_stage, BoardGrouping.STAGE),
        ):
            self.grouping_actions.addAction(action)
            action.triggered.connect(lambda _checked, g=grouping: self.board.set_grouping(g))
        self.views.join(self.grouping_actions)
        self.table_action = self.views.table_action

        about = QAction("&About LeadDesk", self)
        about.triggered.connect(self._about)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.new_action)
        self.files.add_to(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("&Edit")
        self._add_undo_actions(edit_menu)
        edit_menu.addAction(self.open_action)
        edit_menu.addAction(self.delete_action)
        edit_menu.addAction(self.merge_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_action)
        view_menu = menu.addMenu("&View")
        self.view_menu = view_menu
        view_menu.addActions([self.by_temperature, self.by_stage, self.table_action])
        view_menu.addSeparator()
        view_menu.addAction(self.my_leads_action)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(about)
        self._build_desk_actions(edit_menu, view_menu, help_menu)

    def _add_undo_actions(self, menu: QMenu) -> None:
        """Undo/Redo that name the step ("Undo Move Anna Schäfer to Hot")."""
        stack = self.runner.undo_stack
        self.undo_action = stack.createUndoAction(self)
        self.undo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        self.redo_action = stack.createRedoAction(self)
        # Ctrl+Shift+Z everywhere, plus the platform's own (Ctrl+Y on Windows).
        redo_keys = [QKeySequence("Ctrl+Shift+Z")]
        redo_keys += [
            key
            for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
            if key not in redo_keys
        ]
        self.redo_action.setShortcuts(redo_keys)
        menu.addAction(self.undo_action)
        menu.addAction(self.redo_action)
        menu.addSeparator()

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.new_action)
        toolbar.addAction(self.my_leads_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.search)
        self.addToolBar(toolbar)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _about(self) -> None:
        from leaddesk.ui.help.about import AboutDialog

        db = self.runner.ctx.db
        AboutDialog(db.location.data_dir, db.display_url, self).open()

    # -- behaviour -----------------------------------------------------------

    def apply_search(self) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        if text != self.board.lead_filter.search:
            self.board.set_filter(replace(self.board.lead_filter, search=text))
            self._update_count()
        self.views.filter_table()

    def set_my_leads(self, checked: bool) -> None:
        """Show only the leads owned by the team member marked as you (or everyone's)."""
        owner_id = None
        if checked:
            with self.runner.ctx.db.reading() as connection:
                owner_id = my_owner_id(connection)
            if owner_id is None:
                self.statusBar().showMessage(
                    "Choose which team member you are in Settings → Team first.", 6000
                )
                self.my_leads_action.setChecked(False)
                return
        if owner_id != self.board.lead_filter.owner_id:
            self.board.set_filter(replace(self.board.lead_filter, owner_id=owner_id))
            self._update_count()
        self.views.filter_table()

    def open_settings(self) -> None:
        # Imported on first use: Settings is not needed to start the window.
        from leaddesk.ui.settings.dialog import SettingsDialog

        dialog = SettingsDialog(self.runner, parent=self)
        dialog.exec()
        dialog.deleteLater()

    def _apply_score_settings(self) -> None:
        """Cards colour the score by the temperature it suggests under the stored cut-offs."""
        with self.runner.ctx.db.reading() as connection:
            self.board.delegate.score_settings = load_score_settings(connection)
        self.board.repaint_cards()

    def new_lead(self) -> int | None:
        dialog = LeadFormDialog(self.runner, parent=self)
        if dialog.exec() and dialog.saved_lead_id is not None:
            self.board.flush()
            self.board.select_lead(dialog.saved_lead_id)
            return dialog.saved_lead_id
        return None

    def start_daily_backups(self) -> None:
        """The daily backup in the background; only the real window starts it."""
        self.files.start_daily_backups()

    def _build_lead_panel(self) -> None:
        """The selected lead beside the board (tabbed with the agenda), and gated moves."""
        self.board.move_gate = MoveGate(self.runner, self)
        agenda_dock = getattr(getattr(self, "agenda", None), "dock", None)
        self.panel_host = LeadPanelHost(self.runner, self, self.board, self.view_menu, agenda_dock)
        self.lead_dock = self.panel_host.dock
        self.views.lead_selected.connect(self.show_in_panel)

    def _confirm_leave_lead(self) -> bool:
        return self.panel_host.dock.panel.confirm_leave()

    def show_in_panel(self, lead_id: int) -> None:
        """Show the selected card's lead in the side panel (brought to the front)."""
        self.panel_host.show_lead(lead_id)

    def open_lead(self, lead_id: int) -> None:
        dialog = LeadFormDialog(self.runner, lead_id, parent=self)
        dialog.exec()

    def _open_selected(self) -> None:
        ids = self.board.selected_lead_ids()
        if ids:
            self.open_lead(ids[0])

    def confirm_delete(self, lead_ids: list[int]) -> bool:
        if len(lead_ids) == 1:
            with self.runner.ctx.db.reading() as connection:
                row = lead_row(connection, lead_ids[0])
            name = display_name(row.first_name, row.last_name, row.email) if row else "this lead"
            question = f"Delete {name}?"
        else:
            question = f"Delete {len(lead_ids)} leads?"
        answer = QMessageBox.question(
            self,
            "Delete",
            f"{question}\nDeleted leads are kept in the trash with their history.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def merge_selected(self) -> None:
        """Merge the two selected cards: the older lead is kept unless the user swaps."""
        from leaddesk.ui.merge_dialog import offer_merge

        ids = self.board.selected_lead_ids()
        if len(ids) != 2:
            self.statusBar().showMessage("Select the two cards to merge (Ctrl+click).", 4000)
            return
        keep, other = sorted(ids)
        offer_merge(self.runner, self, keep, other)

    def delete_selected(self) -> None:
        ids = self.board.selected_lead_ids()
        if ids and self.confirm_delete(ids):
            self.runner.run_undoable("Delete {leads}", ids, delete_leads, ids)

    def _on_changed(self, changes: Changes) -> None:
        self._update_count()
        if changes.settings:
            self._apply_score_settings()
            if self.my_leads_action.isChecked():
                # "Me" may have changed in Settings → Team.
                self.set_my_leads(True)

    def _update_count(self) -> None:
        """'120 leads', or '12 of 120 leads' while searching; an empty search says so."""
        lead_filter = self.board.lead_filter
        filtered = lead_filter != replace(lead_filter, search="", owner_id=None)
        with self.runner.ctx.db.reading() as connection:
            total = count_leads(connection)
            shown = count_leads(connection, lead_filter) if filtered else total
        self.lead_count.show_counts(shown, total, filtered=filtered)
        if lead_filter.search and shown == 0:
            self.empty_search.show_for(lead_filter.search)
        else:
            self.empty_search.hide()

    # -- search feedback, trash, keyboard shortcuts (issue 12) -------------------

    def _build_desk_actions(self, edit_menu: QMenu, view_menu: QMenu, help_menu: QMenu) -> None:
        self.empty_search = EmptySearchOverlay(self.board)
        self.empty_search.clear_requested.connect(self.clear_search)
        # Escape in the search box, or anywhere on the board, while a search is active.
        self.clear_search_action = QAction("C&lear search", self)
        self.clear_search_action.setObjectName("clearSearch")
        self.clear_search_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.clear_search_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.clear_search_action.setEnabled(False)
        self.clear_search_action.triggered.connect(self.clear_search)
        self.views.clear_search_requested.connect(self.clear_search)
        self.views.share_with_table(self.clear_search_action)  # Escape clears, as on the board
        self.search.textChanged.connect(
            lambda text: self.clear_search_action.setEnabled(bool(text))
        )
        self.search.addAction(self.clear_search_action)
        self.board.addAction(self.clear_search_action)
        after_find = edit_menu.actions()[edit_menu.actions().index(self.find_action) + 1]
        edit_menu.insertAction(after_find, self.clear_search_action)

        self.trash_action = QAction("T&rash…", self)
        self.trash_action.setObjectName("openTrash")
        self.trash_action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.trash_action.setToolTip("Deleted leads: restore them or delete them for good")
        self.trash_action.triggered.connect(self.open_trash)
        view_menu.addSeparator()
        view_menu.addAction(self.trash_action)
        self.duplicates_action = add_duplicates_action(self, self.runner, view_menu, self.open_lead)

        self.shortcuts_action = QAction("&Keyboard shortcuts", self)
        self.shortcuts_action.setObjectName("showShortcuts")
        self.shortcuts_action.setShortcut(QKeySequence("Ctrl+/"))
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        help_menu.insertAction(help_menu.actions()[0], self.shortcuts_action)

    def clear_search(self) -> None:
        """Empty the search box and show every lead again (focus stays where it was)."""
        self.search.clear()
        self.apply_search()

    def open_trash(self) -> None:
        from leaddesk.ui.trash_dialog import TrashDialog

        dialog = TrashDialog(self.runner, self)
        dialog.exec()
        dialog.deleteLater()

    def show_shortcuts(self) -> None:
        from leaddesk.ui.help.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self, self)
        dialog.exec()
        dialog.deleteLater()

    # -- state ---------------------------------------------------------------

    def _restore_state(self) -> None:
        settings = window_settings(self.runner.ctx.db.location.data_dir)
        geometry = settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.value("state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        if settings.value("grouping") == BoardGrouping.STAGE.value:
            self.by_stage.setChecked(True)
            self.board.set_grouping(BoardGrouping.STAGE)
        if settings.value("my_leads") in (True, "true"):
            self.my_leads_action.setChecked(True)
        if settings.value("view") == "table":
            self.views.show_table(True)

    def save_state(self) -> None:
        settings = window_settings(self.runner.ctx.db.location.data_dir)
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("state", self.saveState())
        settings.setValue("grouping", self.board.grouping.value)
        settings.setValue("my_leads", self.my_leads_action.isChecked())
        settings.setValue("view", "table" if self.table_action.isChecked() else "board")
        self.views.save_state()
        settings.sync()

    def watch_outside_changes(self) -> None:
        """Notice changes made outside the window; only the real window starts this."""
        self.data_watch.start()

    def start_reminders(self) -> None:
        """Follow-up reminders (banner and tray); only the real window starts them."""
        self.agenda.start_reminders()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if self.agenda.hide_instead_of_closing():
            event.ignore()
            self.hide()
            return
        self.agenda.shutdown()
        self.data_watch.stop()
        self.files.shutdown()
        super().closeEvent(event)
