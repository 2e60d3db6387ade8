"""Render a view to an image without a display (`leaddesk screenshot`)."""

from __future__ import annotations

import os
from pathlib import Path

from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext


def render_screenshot(
    ctx: OperationContext,
    output: Path,
    *,
    view: str = "board",
    lead_id: int | None = None,
    size: tuple[int, int] = (1280, 800),
    theme: str = "light",
) -> None:
    # Offscreen unless the caller chose a platform: a screenshot needs no display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QWidget

    from leaddesk.ui.app import create_application
    from leaddesk.ui.lead_form.dialog import LeadFormDialog
    from leaddesk.ui.main_window import MainWindow
    from leaddesk.ui.qt_messages import route_qt_messages_to_log
    from leaddesk.ui.runner import OperationRunner
    from leaddesk.ui.safety.database_banner import attach_database_banner

    route_qt_messages_to_log()
    app = create_application(theme=theme)
    runner = OperationRunner(ctx)
    widget: QWidget
    if view == "lead" and lead_id is not None:
        widget = LeadFormDialog(runner, lead_id)
    elif view.partition(":")[0] == "settings":
        from leaddesk.ui.settings.dialog import SettingsDialog

        widget = SettingsDialog(runner)
        widget.show_tab(view.partition(":")[2])
    else:
        window = MainWindow(runner)
        # As the real window: the bar saying a damaged or read-only database cannot change.
        attach_database_banner(window, runner)
        # --view agenda: the agenda dock beside the board (in front of any dock tabbed
        # with it); the board view stays without it.
        if view == "agenda":
            window.agenda.show_agenda()
        else:
            window.agenda.dock.hide()
        if view == "panel":
            window.lead_dock.show()
        if view == "table":
            window.views.show_table(True)  # View → Table, sorted as the user left it
        widget = window
    widget.resize(*size)
    widget.show()
    QApplication.processEvents()
    if view == "panel" and lead_id is not None and isinstance(widget, MainWindow):
        # --view panel:ID: that lead selected, shown in the side panel.
        widget.board.select_lead(lead_id)
        widget.show_in_panel(lead_id)
        QApplication.processEvents()
    image = widget.grab()
    # hide(), not close(): closing the main window saves its geometry, and an
    # offscreen render must not change the size the real window opens at.
    widget.hide()
    if not image.save(str(output)):
        raise UserError(f"Could not write {output}.")
    app.processEvents()
