"""The main window as a user meets it: shortcuts, search, delete, saved geometry."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from leaddesk.storage.queries import count_leads
from leaddesk.storage.schema import leads
from leaddesk.ui.lead_form.dialog import LeadFormDialog
from leaddesk.ui.main_window import MainWindow
from tests.ui.windows import active_main_window

_window = active_main_window


def _when_dialog_opens(qtbot, action) -> None:
    """Run ``action(dialog)`` on the next modal dialog, once it is shown."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, LeadFormDialog):
            action(dialog)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def _count(ctx) -> int:
    with ctx.db.reading() as connection:
        return count_leads(connection)


def test_ctrl_n_creates_a_lead_that_appears_selected_on_the_board(qtbot, runner, ctx):
    window = _window(qtbot, runner)

    def fill(dialog: LeadFormDialog) -> None:
        # QTest types ASCII only; accented text is pasted in, as a user might.
        dialog.edits["first_name"].setText("Zoë")
        qtbot.keyClicks(dialog.edits["last_name"], "Brandt")
        qtbot.keyClicks(dialog.edits["email"], "Zoe@Brandt.Example")
        dialog.temperature.setCurrentIndex(dialog.temperature.findData("warm"))
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    _when_dialog_opens(qtbot, fill)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    with ctx.db.reading() as connection:
        row = connection.execute(
            select(leads.c.first_name, leads.c.email, leads.c.temperature)
        ).one()
    assert tuple(row) == ("Zoë", "zoe@brandt.example", "warm")
    warm = window.board.column_for("warm")
    assert warm.view.selected_lead_ids() == warm.model.lead_ids
    assert window.lead_count.text() == "1 lead"


def test_cancelled_new_lead_writes_nothing(qtbot, runner, ctx):
    window = _window(qtbot, runner)

    def type_and_cancel(dialog: LeadFormDialog) -> None:
        qtbot.keyClicks(dialog.edits["first_name"], "Never saved")
        dialog.confirm_discard = lambda: True  # "Discard the changes to this lead?": yes
        dialog.reject()

    _when_dialog_opens(qtbot, type_and_cancel)
    window.new_action.trigger()
    assert _count(ctx) == 0


def test_delete_asks_first_and_cancel_keeps_the_lead(qtbot, runner, ctx, make_lead, monkeypatch):
    keep = make_lead("Keep")
    window = _window(qtbot, runner)
    window.board.select_lead(keep)
    asked: list[list[int]] = []
    monkeypatch.setattr(window, "confirm_delete", lambda ids: asked.append(ids) or False)

    qtbot.keyClick(window.board.column_for("cold").view, Qt.Key.Key_Delete)

    assert asked == [[keep]]
    assert _count(ctx) == 1


def test_delete_confirmed_removes_the_card(qtbot, runner, ctx, make_lead, monkeypatch):
    gone = make_lead("Gone")
    stays = make_lead("Stays")
    window = _window(qtbot, runner)
    window.board.select_lead(gone)
    monkeypatch.setattr(window, "confirm_delete", lambda ids: True)

    qtbot.keyClick(window.board.column_for("cold").view, Qt.Key.Key_Delete)

    # The refresh shows the columns, then the headers, one event each: wait for it all.
    qtbot.waitUntil(lambda: not window.board.refresh.busy)
    assert window.board.column_for("cold").model.lead_ids == [stays]
    assert _count(ctx) == 1
    assert window.board.column_for("cold").header.count.text() == "1"


def test_search_filters_every_column_as_you_type(qtbot, runner, make_lead):
    make_lead("Jürgen", "cold", last_name="Schäfer")
    make_lead("Anna", "hot", last_name="Schäfer", company="Nordlicht GmbH")
    make_lead("Maria", "warm", last_name="Gómez")
    window = _window(qtbot, runner)

    qtbot.keyClicks(window.search, "schaf")
    qtbot.waitUntil(lambda: window.board.column_for("warm").model.rowCount() == 0)
    counts = {c.model.value: c.model.rowCount() for c in window.board.columns}
    assert counts == {"cold": 1, "warm": 0, "hot": 1}

    qtbot.keyClicks(window.search, " nord")
    qtbot.waitUntil(lambda: window.board.column_for("cold").model.rowCount() == 0)
    assert window.board.column_for("hot").model.rowCount() == 1

    window.search.clear()
    qtbot.waitUntil(lambda: window.board.column_for("warm").model.rowCount() == 1)


def test_double_click_opens_the_lead_form(qtbot, runner, make_lead):
    lead = make_lead("Opened", company="Acme")
    window = _window(qtbot, runner)
    seen: list[str] = []

    def inspect(dialog: LeadFormDialog) -> None:
        seen.append(dialog.edits["company"].text())
        dialog.reject()

    _when_dialog_opens(qtbot, inspect)
    view = window.board.column_for("cold").view
    index = window.board.column_for("cold").model.index(0)
    assert index.data(Qt.ItemDataRole.UserRole + 2) == lead
    center = view.visualRect(index).center()
    # A real double click starts with a press; QTest's double click alone omits it.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert seen == ["Acme"]


def test_window_geometry_and_grouping_persist(qtbot, runner):
    window = _window(qtbot, runner)
    window.setGeometry(QRect(10, 20, 780, 500))  # inside the 800x600 offscreen screen
    window.by_stage.trigger()
    window.close()

    again = _window(qtbot, runner)
    assert (again.width(), again.height()) == (780, 500)
    assert again.board.grouping.value == "stage"
    assert again.by_stage.isChecked()


def test_a_new_window_fits_the_screen_with_its_frame(qtbot, runner):
    window = MainWindow(runner)
    qtbot.addWidget(window)
    free = window.screen().availableGeometry()

    # 1280×800 where it fits; the offscreen screen is smaller, as a laptop's may be.
    assert window.width() <= min(1280, free.width() - 16)
    assert window.height() <= min(800, free.height() - 48)
    assert window.height() >= min(800, free.height() - 48) - 1
