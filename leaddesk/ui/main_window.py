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
    QStackedWidget,
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
from leaddesk.ui.board.search_feedback import EmptySearchOverlay, lead_count_text
from leaddesk.ui.board.view import BoardWidget
from leaddesk.ui.lead_form.dialog import LeadFormDialog
from leaddesk.ui.lead_form.gate_dialog import MoveGate
from leaddesk.ui.lead_form.panel import LeadPanelDock
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.table.view import LeadTableWidget

SEARCH_DELAY_MS = 120
# The lead panel beside the board is shown from the start on screens this wide.
LEAD_PANEL_MIN_SCREEN_WIDTH = 1200


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
        self.views = QStackedWidget()
        self.views.addWidget(self.board)
        self.table: LeadTableWidget | None = None
        self.setCentralWidget(self.views)
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
        self.lead_count = QLabel()
        self.statusBar().addWidget(self.lead_count)
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

        self.export_action = QAction("&Export…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setToolTip("Export the leads shown (the search applies)")
        self.export_action.triggered.connect(lambda: self.export_csv(selected=False))
        self.export_selected_action = QAction("Export &selected leads…", self)
        self.export_selected_action.triggered.connect(lambda: self.export_csv(selected=True))

        self._build_backup_actions()
        self._build_import_actions()

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
        self._build_table_action()

        about = QAction("&About LeadDesk", self)
        about.triggered.connect(self._about)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.import_history_action)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.export_selected_action)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
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
        view_menu = self.view_menu = menu.addMenu("&View")
        view_menu.addActions([self.by_temperature, self.by_stage, self.table_action])
        view_menu.addSeparator()
        view_menu.addAction(self.my_leads_action)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(about)
        self._build_desk_actions(edit_menu, view_menu, help_menu)

    def _build_import_actions(self) -> None:
        self.import_action = QAction("&Import…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.import_csv)
        self.import_history_action = QAction("Import &history…", self)
        self.import_history_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_history_action.triggered.connect(self.show_import_history)

    def _build_table_action(self) -> None:
        self.table_action = QAction("T&able", self, checkable=True)
        self.table_action.setShortcut(QKeySequence("Ctrl+5"))
        self.table_action.setToolTip("Every lead in a sortable table, with bulk actions (Ctrl+5)")
        self.grouping_actions.addAction(self.table_action)
        self.grouping_actions.triggered.connect(
            lambda _action: self.show_table(self.table_action.isChecked())
        )

    def _build_backup_actions(self) -> None:
        self.backup_action = QAction("&Back up…", self)
        self.backup_action.setShortcut(QKeySequence("Ctrl+B"))
        self.backup_action.setToolTip("Save a verified copy of the database now (Ctrl+B)")
        self.backup_action.triggered.connect(self.back_up)
        self.restore_action = QAction("&Restore…", self)
        self.restore_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.restore_action.setToolTip("Go back to a backup (Ctrl+Shift+R)")
        self.restore_action.triggered.connect(self.open_backups)

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
        self._filter_table()

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
        self._filter_table()

    def show_table(self, shown: bool) -> None:
        """The lead table in place of the board (created the first time it is shown)."""
        if shown and self.table is None:
            self.table = LeadTableWidget(self.runner)
            self.table.lead_activated.connect(self.open_lead)
            self.table.lead_selected.connect(self.show_in_panel)
            self.table.export_requested.connect(lambda: self.export_csv(selected=True))
            self.table.clear_search_requested.connect(self.clear_search)
            self.table.addAction(self.clear_search_action)  # Escape clears, as on the board
            self.views.addWidget(self.table)
            self._filter_table()
        self.table_action.setChecked(shown)
        self.views.setCurrentWidget(self.table if shown and self.table else self.board)

    def _filter_table(self) -> None:
        # The table shows what the board would: the same search and "My leads".
        if self.table is not None:
            self.table.set_filter(self.board.lead_filter)

    def _selected_ids(self) -> list[int]:
        if self.table is not None and self.views.currentWidget() is self.table:
            return self.table.selected_lead_ids()
        return self.board.selected_lead_ids()

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

    def import_csv(self) -> None:
        # Imported on first use: the wizard is not needed to start the window.
        from leaddesk.ui.import_wizard import ImportWizard

        wizard = ImportWizard(self.runner, parent=self)
        wizard.exec()
        wizard.deleteLater()

    def show_import_history(self) -> None:
        """File → Import history…: past imports, each with Undo while it can be undone."""
        from leaddesk.ui.import_wizard.history_dialog import ImportHistoryDialog

        dialog = ImportHistoryDialog(self.runner, parent=self)
        dialog.exec()
        dialog.deleteLater()

    def export_csv(self, *, selected: bool) -> None:
        from leaddesk.ui.export_csv import ExportController, ask_destination

        lead_ids = self._selected_ids() if selected else None
        if selected and not lead_ids:
            self.statusBar().showMessage("Select the cards to export first.", 4000)
            return
        choice = ask_destination(self, Path.home() / "leads.csv")
        if choice is None:
            return
        destination, flavour = choice
        controller = ExportController(
            self.runner.ctx, self, destination, flavour, self.board.lead_filter, lead_ids
        )
        controller.done.connect(lambda message: self.statusBar().showMessage(message, 8000))
        # Deleted once its worker thread has ended, not when the result arrives:
        # the thread may still be winding down then.
        controller.job.finished.connect(controller.deleteLater)
        self._export = controller
        controller.start()

    def _backups_available(self) -> bool:
        """False (and the user told why) in team mode: the server keeps the backups."""
        from leaddesk.errors import UserError
        from leaddesk.operations.backups import database_file

        try:
            database_file(self.runner.ctx.db.location)
        except UserError as error:
            self.runner.report_error(self, str(error))
            return False
        return True

    def back_up(self) -> None:
        """File → Back up…: a verified copy where the user says (the backup folder proposed)."""
        from leaddesk.ui.safety.backups_dialog import ask_backup_file, start_backup

        if not self._backups_available():
            return
        target = ask_backup_file(self.runner, self)
        if target is not None:
            self._backup = start_backup(
                self.runner,
                self,
                target,
                lambda path: self.statusBar().showMessage(f"Backed up to {path}.", 8000),
            )

    def open_backups(self) -> None:
        """File → Restore…: the list of backups; restoring reloads every view."""
        from leaddesk.ui.safety.backups_dialog import BackupsDialog

        if not self._backups_available() or not self.lead_dock.panel.confirm_leave():
            return
        dialog = BackupsDialog(self.runner, self)
        dialog.finished_task.connect(lambda message: self.statusBar().showMessage(message, 8000))
        dialog.exec()
        dialog.deleteLater()

    def start_daily_backups(self) -> None:
        """The daily backup in the background; only the real window starts it."""
        from leaddesk.ui.safety.daily_backup import DailyBackups

        if self.runner.ctx.db.dialect == "sqlite":
            self.daily_backups = DailyBackups(self.runner, self)
            self.daily_backups.failed.connect(
                lambda message: self.statusBar().showMessage(
                    f"The daily backup keeps failing: {message}", 15000
                )
            )
            self.daily_backups.start()

    def _build_lead_panel(self) -> None:
        """The selected lead beside the board (tabbed with the agenda), and gated moves."""
        self.board.move_gate = MoveGate(self.runner, self)
        self.lead_dock = LeadPanelDock(self.runner, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.lead_dock)
        agenda_dock = getattr(getattr(self, "agenda", None), "dock", None)
        if agenda_dock is not None:
            self.tabifyDockWidget(agenda_dock, self.lead_dock)
            agenda_dock.raise_()
        screen = self.screen()
        if screen is None or screen.availableGeometry().width() < LEAD_PANEL_MIN_SCREEN_WIDTH:
            # No room beside the board: hidden until asked for (View > Lead panel).
            self.lead_dock.hide()
        toggle = self.lead_dock.toggleViewAction()
        toggle.setText("&Lead panel")
        toggle.setShortcut(QKeySequence("Ctrl+4"))
        toggle.setToolTip("Show or hide the selected lead beside the board (Ctrl+4)")
        # triggered, not toggled: only when the user asks, not when the window first shows.
        toggle.triggered.connect(self._on_lead_panel_toggled)
        self.view_menu.addAction(toggle)
        self.board.lead_selected.connect(self.show_in_panel)

    def _on_lead_panel_toggled(self, visible: bool) -> None:
        # The panel shares a tab with the agenda: asked for, it comes to the front
        # with the card selected now, instead of opening behind the agenda. The dock
        # is tabbed in only after this signal, so it is raised on the next turn.
        if visible:
            QTimer.singleShot(0, self._bring_lead_panel_forward)

    def _bring_lead_panel_forward(self) -> None:
        self.lead_dock.raise_()
        selected = self.board.selected_lead_ids()
        if selected:
            self.show_in_panel(selected[0])

    def show_in_panel(self, lead_id: int) -> None:
        """Show the selected card's lead in the side panel (brought to the front)."""
        if self.lead_dock.isHidden():
            return
        panel = self.lead_dock.panel
        if panel.show_lead(lead_id):
            self.lead_dock.raise_()
        elif (kept := panel.lead_id) is not None:
            # The user stayed with unsaved edits: the board selects that card again (once
            # the click that moved the selection is over), so card and panel agree.
            QTimer.singleShot(0, self, lambda: self.board.select_lead(kept))

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
        self.lead_count.setText(lead_count_text(shown, total, filtered=filtered))
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
            self.show_table(True)

    def save_state(self) -> None:
        settings = window_settings(self.runner.ctx.db.location.data_dir)
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("state", self.saveState())
        settings.setValue("grouping", self.board.grouping.value)
        settings.setValue("my_leads", self.my_leads_action.isChecked())
        settings.setValue("view", "table" if self.table_action.isChecked() else "board")
        if self.table is not None:
            self.table.save_state()
        settings.sync()

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
        if (daily := getattr(self, "daily_backups", None)) is not None:
            daily.shutdown()
        super().closeEvent(event)
