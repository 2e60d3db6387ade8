"""Screenshots of the main views on a real X display, as the screen shows them.

Not a test: a tool for looking at the window on a 1366×768 laptop screen in the
light and dark themes, with the window manager's frame and real fonts (the
offscreen ``leaddesk screenshot`` has neither). Run it under Xvfb:

    tests/ui/xcb/with_xvfb.sh env QT_QPA_PLATFORM=xcb PYTHONPATH=$PWD \
        python -m tests.ui.xcb.shoot_views OUT_DIR [light|dark]

Each view is shown, given a moment to settle, and the whole screen is captured
with ImageMagick's ``import -window root``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QDialog, QWidget

from leaddesk.core.clock import SystemClock
from leaddesk.operations.context import OperationContext
from leaddesk.operations.demo import add_demo_leads
from leaddesk.storage.database import Location, open_database

FIXTURE = Path(__file__).parents[2] / "fixtures" / "csv" / "hubspot_contacts.csv"


def settle(seconds: float = 0.6) -> None:
    """Run an event loop for a moment: widgets deleted later go, the window manager
    places what was shown, everything repaints."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def shoot(out: Path) -> None:
    settle()
    subprocess.run(["import", "-window", "root", str(out)], check=True, timeout=30)
    print(out)


def show_dialog(
    make: Callable[[], QWidget], out: Path, prepare: Callable[[QWidget], None] | None = None
) -> None:
    widget = make()
    widget.show()
    if prepare is not None:
        settle(0.3)
        prepare(widget)
    shoot(out)
    if isinstance(widget, QDialog):
        widget.reject()
    widget.close()
    widget.deleteLater()
    settle(0.2)


def main(out_dir: Path, theme: str) -> None:  # long: one view after another, in order
    from leaddesk.ui.app import create_application
    from leaddesk.ui.help.shortcuts_dialog import ShortcutsDialog
    from leaddesk.ui.import_wizard import ImportWizard
    from leaddesk.ui.import_wizard.history_dialog import ImportHistoryDialog
    from leaddesk.ui.lead_form.dialog import LeadFormDialog
    from leaddesk.ui.main_window import MainWindow
    from leaddesk.ui.runner import OperationRunner
    from leaddesk.ui.safety.backups_dialog import BackupsDialog
    from leaddesk.ui.safety.database_banner import attach_database_banner
    from leaddesk.ui.settings.dialog import SettingsDialog
    from leaddesk.ui.trash_dialog import TrashDialog

    out_dir.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="leaddesk-shots-"))
    db = open_database(Location(data_dir=data, url=f"sqlite:///{data / 'leaddesk.sqlite3'}"))
    ctx = OperationContext(db=db, clock=SystemClock(), actor="Sam Seller")
    add_demo_leads(ctx, 400, seed=7)
    from leaddesk.operations.backups import back_up
    from leaddesk.operations.importing import ImportOptions, import_csv
    from leaddesk.operations.leads import delete_leads

    back_up(db.location)
    delete_leads(ctx, [5, 6])
    import_csv(ctx, FIXTURE, ImportOptions())

    app = create_application(theme=theme)
    runner = OperationRunner(ctx)
    window = MainWindow(runner)
    attach_database_banner(window, runner)
    window.show()
    shoot(out_dir / f"{theme}-01-board.png")
    window.board.select_lead(12)
    if window.lead_dock.isHidden():
        window.lead_dock.show()
    window.show_in_panel(12)
    shoot(out_dir / f"{theme}-02-board-panel.png")
    window.by_stage.trigger()
    shoot(out_dir / f"{theme}-03-stage-panel.png")
    window.by_temperature.trigger()
    window.agenda.show_agenda()
    shoot(out_dir / f"{theme}-04-agenda.png")
    window.show_table(True)
    window.lead_dock.show()
    shoot(out_dir / f"{theme}-05-table.png")
    window.show_table(False)

    show_dialog(lambda: LeadFormDialog(runner, 12, parent=window), out_dir / f"{theme}-06-lead.png")

    def to_mapping(wizard: QWidget) -> None:
        assert isinstance(wizard, ImportWizard)
        wizard.file_page.set_path(FIXTURE)
        wizard.next()
        settle(0.2)
        wizard.next()

    show_dialog(
        lambda: ImportWizard(runner, parent=window),
        out_dir / f"{theme}-07-import-mapping.png",
        to_mapping,
    )
    for tab in ("", "scoring", "team", "lists", "reminders", "backups"):

        def open_tab(dialog: QWidget, tab: str = tab) -> None:
            assert isinstance(dialog, SettingsDialog)
            dialog.show_tab(tab)

        show_dialog(
            lambda: SettingsDialog(runner, parent=window),
            out_dir / f"{theme}-08-settings-{tab or 'first'}.png",
            open_tab,
        )
    show_dialog(lambda: BackupsDialog(runner, window), out_dir / f"{theme}-09-backups.png")
    show_dialog(lambda: ImportHistoryDialog(runner, window), out_dir / f"{theme}-10-imports.png")
    show_dialog(lambda: TrashDialog(runner, window), out_dir / f"{theme}-11-trash.png")
    show_dialog(lambda: ShortcutsDialog(window, window), out_dir / f"{theme}-12-shortcuts.png")
    window.hide()
    db.close()
    app.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "light")
