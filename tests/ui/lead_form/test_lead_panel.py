"""The side panel follows the selected card and never drops edits silently."""

from __future__ import annotations

from sqlalchemy import select

from leaddesk.operations.leads import delete_leads
from leaddesk.storage.schema import leads
from leaddesk.ui.main_window import MainWindow


def _window(qtbot, runner) -> MainWindow:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.lead_dock.show()  # the offscreen screen is narrow: hidden by default there
    qtbot.waitExposed(window)
    return window


def test_selecting_a_card_shows_its_lead_in_the_panel(qtbot, runner, make_lead):
    make_lead("Ada", "cold", company="Acme")
    bo = make_lead("Bo", "hot", company="Nordlicht")
    window = _window(qtbot, runner)
    panel = window.lead_dock.panel
    assert panel.stack.currentWidget() is panel.placeholder

    window.board.select_lead(bo)
    assert panel.lead_id == bo
    assert panel.form.edits["company"].text() == "Nordlicht"
    assert not panel.save_button.isEnabled()


def test_edits_in_the_panel_are_saved_and_kept_when_the_user_stays(
    qtbot, runner, ctx, make_lead, monkeypatch
):
    ada = make_lead("Ada", "cold")
    bo = make_lead("Bo", "cold")
    window = _window(qtbot, runner)
    panel = window.lead_dock.panel
    window.board.select_lead(ada)
    panel.form.edits["company"].setText("Acme")
    assert panel.save_button.isEnabled()

    monkeypatch.setattr(panel, "confirm_leave", lambda: False)  # "Cancel": stay
    window.board.select_lead(bo)
    assert panel.lead_id == ada
    assert panel.form.edits["company"].text() == "Acme"
    # The board goes back to the card the panel still shows.
    cold = window.board.column_for("cold").view
    qtbot.waitUntil(lambda: cold.selected_lead_ids() == [ada])

    panel.save_button.click()
    with ctx.db.reading() as connection:
        company = connection.execute(select(leads.c.company).where(leads.c.id == ada)).scalar()
    assert company == "Acme"
    assert not panel.form.is_dirty()


def test_a_deleted_lead_leaves_the_panel(qtbot, runner, make_lead):
    ada = make_lead("Ada", "cold")
    window = _window(qtbot, runner)
    panel = window.lead_dock.panel
    window.board.select_lead(ada)
    runner.run(delete_leads, [ada])
    assert panel.stack.currentWidget() is panel.placeholder
    assert panel.lead_id is None


def test_asking_for_the_panel_brings_it_in_front_of_the_agenda(qtbot, runner, make_lead):
    bo = make_lead("Bo", "hot", company="Nordlicht")
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.board.select_lead(bo)
    toggle = window.lead_dock.toggleViewAction()
    if toggle.isChecked():
        toggle.trigger()
    assert window.lead_dock.isHidden()

    toggle.trigger()  # View > Lead panel (Ctrl+4)

    # It shares a tab with the agenda; it must not open behind it, and it shows the
    # card selected before it was asked for.
    qtbot.waitUntil(lambda: window.lead_dock.panel.lead_id == bo)
    assert not window.lead_dock.visibleRegion().isEmpty()
    assert window.agenda.dock.visibleRegion().isEmpty()
