"""The first start asks who you are; that team member owns new leads and "My leads"."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from leaddesk.operations.leads import create_lead
from leaddesk.operations.owners import introduce_myself, my_owner_id
from leaddesk.storage.schema import leads, owners
from leaddesk.ui import first_run
from leaddesk.ui.board.model import LEAD_ID_ROLE
from leaddesk.ui.first_run import FirstRunDialog, needs_first_run, suggested_name
from leaddesk.ui.main_window import MainWindow


def owner_of(ctx, lead_id: int) -> str | None:
    with ctx.db.reading() as connection:
        return connection.execute(
            select(owners.c.name)
            .select_from(leads.join(owners, owners.c.id == leads.c.owner_id))
            .where(leads.c.id == lead_id)
        ).scalar()


def test_a_login_name_is_offered_as_a_persons_name() -> None:
    assert suggested_name("sam.seller") == "Sam Seller"
    assert suggested_name("priya_patel") == "Priya Patel"
    assert suggested_name(None) == ""


def test_the_dialog_is_prefilled_and_makes_you_the_default_owner(qtbot, runner, ctx) -> None:
    runner.ctx.actor = "lucia.torres"
    assert needs_first_run(ctx)
    dialog = FirstRunDialog(runner)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Lucia Torres"
    dialog.name.setText("Lucía Torres")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    assert not needs_first_run(ctx)
    lead_id = create_lead(ctx, {"first_name": "Ada"}).value
    assert owner_of(ctx, lead_id) == "Lucía Torres"
    # Someone named explicitly still wins.
    other = create_lead(ctx, {"first_name": "Bo", "owner": "Sam Seller"}).value
    assert owner_of(ctx, other) == "Sam Seller"


def test_ok_needs_a_name(qtbot, runner) -> None:
    runner.ctx.actor = None
    dialog = FirstRunDialog(runner)
    qtbot.addWidget(dialog)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_later_asks_again_next_time(qtbot, runner, ctx) -> None:
    dialog = FirstRunDialog(runner)
    qtbot.addWidget(dialog)
    dialog.skip_button.click()
    assert dialog.owner_id is None
    assert needs_first_run(ctx)


def test_the_environment_can_skip_it(ctx, monkeypatch) -> None:
    monkeypatch.setenv(first_run.SKIP_ENV, "1")
    assert not needs_first_run(ctx)


def test_building_the_window_never_asks(qtbot, runner, monkeypatch) -> None:
    """Tests and `leaddesk screenshot` build MainWindow directly: no dialog may block."""
    asked: list[object] = []
    monkeypatch.setattr(FirstRunDialog, "exec", lambda self: asked.append(self))
    window = MainWindow(runner)
    qtbot.addWidget(window)
    assert asked == []


def test_my_leads_shows_only_yours_and_is_remembered(qtbot, runner, ctx, make_lead) -> None:
    mine = make_lead("Ada")
    theirs = make_lead("Bo", owner="Sam Seller")
    introduce_myself(ctx, "Priya Patel")
    also_mine = make_lead("Cy")
    window = MainWindow(runner)
    qtbot.addWidget(window)

    def shown() -> set[int]:
        window.board.flush()
        return {
            column.model.index(row).data(LEAD_ID_ROLE)
            for column in window.board.columns
            for row in range(column.model.rowCount())
        }

    assert shown() == {mine, theirs, also_mine}
    window.my_leads_action.trigger()
    assert window.board.lead_filter.owner_id is not None
    assert shown() == {also_mine}
    # The search keeps the filter, and the filter keeps the search.
    window.search.setText("Cy")
    window.apply_search()
    assert shown() == {also_mine}
    window.search.setText("")
    window.apply_search()
    window.save_state()

    again = MainWindow(runner)
    qtbot.addWidget(again)
    assert again.my_leads_action.isChecked()
    again.my_leads_action.trigger()
    assert again.board.lead_filter.owner_id is None


def test_my_leads_without_knowing_who_you_are_says_so(qtbot, runner, ctx) -> None:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.my_leads_action.trigger()
    assert not window.my_leads_action.isChecked()
    assert "Settings → Team" in window.statusBar().currentMessage()
    with ctx.db.reading() as connection:
        assert my_owner_id(connection) is None


def test_a_new_lead_form_starts_with_you_as_owner(qtbot, runner, ctx) -> None:
    from leaddesk.ui.lead_form.dialog import LeadFormDialog

    introduce_myself(ctx, "Priya Patel")
    dialog = LeadFormDialog(runner)
    qtbot.addWidget(dialog)
    assert dialog.owner.currentText() == "Priya Patel"


def _stored_region(ctx) -> str:
    from leaddesk.storage.settings_store import read_settings

    with ctx.db.reading() as connection:
        return str(read_settings(connection)["default_region"])


def test_the_phone_country_is_prefilled_from_the_locale_and_stored(qtbot, runner, ctx) -> None:
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Austria))
    try:
        dialog = FirstRunDialog(runner)
    finally:
        QLocale.setDefault(before)
    qtbot.addWidget(dialog)
    assert dialog.region.currentData() == "AT"
    assert "Austria" in dialog.region.currentText()
    dialog.name.setText("Lena Huber")
    dialog.region.setCurrentIndex(dialog.region.findData("DE"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    assert _stored_region(ctx) == "DE"


def test_a_locale_without_a_country_offers_none(qtbot, runner, ctx) -> None:
    from PySide6.QtCore import QLocale

    assert first_run.locale_region(QLocale(QLocale.Language.C)) == ""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.C))
    try:
        dialog = FirstRunDialog(runner)
    finally:
        QLocale.setDefault(before)
    qtbot.addWidget(dialog)
    assert dialog.region.currentData() == ""
    dialog.name.setText("Sam")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert _stored_region(ctx) == ""
