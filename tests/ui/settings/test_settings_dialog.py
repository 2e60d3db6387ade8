"""Settings as a user meets it: edit rules and cut-offs, the team, the lists; leads rescored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from leaddesk.core.fields import Temperature
from leaddesk.core.rule_text import DEFAULT_RULE_KEYS
from leaddesk.core.scoring import RuleKind, suggested_temperature
from leaddesk.operations.owners import TeamMember, my_owner_id, team
from leaddesk.operations.scoring import load_rules, load_score_settings
from leaddesk.storage.schema import leads
from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.board.model import CARD_ROLE
from leaddesk.ui.main_window import MainWindow
from leaddesk.ui.settings.dialog import SettingsDialog
from leaddesk.ui.settings.rule_editor import RuleEditorDialog
from leaddesk.ui.settings.rules_model import POINTS, RULE, ScoreRulesModel
from leaddesk.ui.settings.team_page import TeamModel


@pytest.fixture
def dialog(qtbot, runner) -> SettingsDialog:
    settings = SettingsDialog(runner)
    qtbot.addWidget(settings)
    settings.show()
    return settings


def row_of(dialog: SettingsDialog, key: str) -> int:
    return next(row for row, rule in enumerate(dialog.scoring.model.rules()) if rule.key == key)


def save(qtbot, dialog: SettingsDialog) -> None:
    """Press OK and wait until every page, and the rescore, is saved."""
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.result() == SettingsDialog.DialogCode.Accepted, timeout=5000)


def stored_score(ctx, lead_id: int) -> int:
    with ctx.db.reading() as connection:
        return int(connection.execute(select(leads.c.score).where(leads.c.id == lead_id)).scalar())


def card_score(window: MainWindow, lead_id: int) -> int:
    window.board.flush()
    for column in window.board.columns:
        model = column.model
        row = model.row_of(lead_id)
        if row is not None:
            return model.index(row).data(CARD_ROLE).score
    raise AssertionError(f"lead {lead_id} is not on the board")


def test_the_rules_models_pass_the_model_tester(qtmodeltester, ctx) -> None:
    with ctx.db.reading() as connection:
        rules = load_rules(connection)
    qtmodeltester.check(ScoreRulesModel(rules))
    qtmodeltester.check(ScoreRulesModel([]))
    qtmodeltester.check(TeamModel([], None))
    members = [TeamMember(1, "Anna Schäfer"), TeamMember(2, "Ben Ortiz", False)]
    qtmodeltester.check(TeamModel(members, 0))


def test_rules_read_as_sentences(dialog: SettingsDialog) -> None:
    model = dialog.scoring.model
    row = row_of(dialog, "decision_maker_title")
    assert model.index(row, 1).data() == "Job title contains owner, founder, co-founder…"
    assert model.index(row, POINTS).data() == "+20"
    assert model.index(row_of(dialog, "free_mail"), POINTS).data() == "\N{MINUS SIGN}5"


def test_editing_points_rescores_leads_and_the_board_shows_it(qtbot, runner, ctx, make_lead):
    ceo = make_lead("Ada", job_title="CEO", email="ada@acme-industries.com")
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.board.flush()
    assert card_score(window, ceo) == 25

    dialog = SettingsDialog(runner, window)
    qtbot.addWidget(dialog)
    model = dialog.scoring.model
    assert model.setData(model.index(row_of(dialog, "decision_maker_title"), POINTS), 45)
    save(qtbot, dialog)

    assert stored_score(ctx, ceo) == 50
    assert card_score(window, ceo) == 50
    assert runner.errors == []


def test_unticking_a_rule_switches_it_off(qtbot, dialog, ctx, make_lead) -> None:
    ceo = make_lead("Ada", job_title="CEO", email="ada@acme-industries.com")
    model = dialog.scoring.model
    index = model.index(row_of(dialog, "decision_maker_title"), RULE)
    assert model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    save(qtbot, dialog)

    assert stored_score(ctx, ceo) == 5
    with ctx.db.reading() as connection:
        assert not next(
            r for r in load_rules(connection) if r.key == "decision_maker_title"
        ).enabled


def test_disable_button_and_delete_only_for_own_rules(qtbot, dialog) -> None:
    page = dialog.scoring
    page.select_row(row_of(dialog, "free_mail"))
    assert page.toggle_button.text() == "&Disable"
    assert not page.delete_button.isEnabled()
    page.toggle_button.click()
    assert not page.model.rule(row_of(dialog, "free_mail")).enabled
    assert page.toggle_button.text() == "&Enable"


def _on_next_dialog(qtbot, kind, action) -> None:
    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, kind):
            action(modal)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def test_a_rule_added_in_the_editor_scores_leads(qtbot, dialog, ctx, make_lead, monkeypatch):
    from leaddesk.operations.activities import log_activity

    lead = make_lead("Bo", email="bo@gmail.com")
    log_activity(ctx, lead, "meeting")
    assert stored_score(ctx, lead) == 0

    def fill(editor: RuleEditorDialog) -> None:
        editor.name.setText("Met in person")
        editor.kind.setCurrentIndex(editor.kind.findData(RuleKind.ACTIVITY_COUNT.value))
        items = editor.activity_kinds
        for row in range(items.count()):
            if items.item(row).data(Qt.ItemDataRole.UserRole) == "meeting":
                items.item(row).setCheckState(Qt.CheckState.Checked)
        editor.points.setValue(30)
        assert editor.preview.text() == "In the rules table: <b>Had a meeting</b>: +30 points"
        editor.accept()

    _on_next_dialog(qtbot, RuleEditorDialog, fill)
    dialog.scoring.add_button.click()
    added = dialog.scoring.model.rules()[-1]
    assert added.label == "Met in person"
    assert dialog.scoring.delete_button.isEnabled()
    save(qtbot, dialog)

    assert stored_score(ctx, lead) == 25  # +30, free mail -5


def test_the_editor_explains_an_unusable_rule_and_stays_open(qtbot) -> None:
    editor = RuleEditorDialog()
    qtbot.addWidget(editor)
    editor.name.setText("Buyers")
    editor.kind.setCurrentIndex(editor.kind.findData(RuleKind.JOB_TITLE_MATCHES.value))
    editor.words.setPlainText(" , ")
    editor.accept()
    assert editor.rule() is None
    assert "at least one" in editor.problem.text()
    editor.words.setPlainText("buyer, purchasing")
    editor.accept()
    rule = editor.rule()
    assert rule is not None
    assert rule.parameters == {"words": ["buyer", "purchasing"]}


def test_the_preview_shows_typed_words_as_typed(qtbot) -> None:
    editor = RuleEditorDialog()
    qtbot.addWidget(editor)
    editor.name.setText("Research")
    editor.kind.setCurrentIndex(editor.kind.findData(RuleKind.JOB_TITLE_MATCHES.value))
    editor.words.setPlainText("R&D, <cto>")
    shown = QTextDocument()
    shown.setHtml(editor.preview.text())
    assert "R&D" in shown.toPlainText()
    assert "<cto>" in shown.toPlainText()


def test_deleting_an_added_rule_asks_first(qtbot, dialog, monkeypatch) -> None:
    page = dialog.scoring
    from leaddesk.core.scoring import ScoreRule

    page.select_row(page.model.append(ScoreRule("", "Mine", RuleKind.FREE_MAIL, -1)))
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Cancel
    )
    page.delete_button.click()
    assert page.model.rules()[-1].label == "Mine"
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    page.delete_button.click()
    assert {rule.key for rule in page.model.rules()} == DEFAULT_RULE_KEYS


def test_cut_offs_change_the_temperature_the_board_suggests(qtbot, runner, ctx, make_lead):
    ceo = make_lead("Ada", job_title="CEO", email="ada@acme-industries.com")  # 25
    window = MainWindow(runner)
    qtbot.addWidget(window)
    delegate = window.board.delegate
    assert (
        suggested_temperature(card_score(window, ceo), delegate.score_settings) is Temperature.COLD
    )

    dialog = SettingsDialog(runner, window)
    qtbot.addWidget(dialog)
    dialog.scoring.warm_cutoff.setValue(20)
    dialog.scoring.hot_cutoff.setValue(60)
    save(qtbot, dialog)

    with ctx.db.reading() as connection:
        assert load_score_settings(connection).warm_cutoff == 20
    assert (
        suggested_temperature(card_score(window, ceo), delegate.score_settings) is Temperature.WARM
    )


def test_warm_above_hot_is_explained_and_nothing_is_saved(qtbot, runner, dialog, ctx):
    dialog.scoring.warm_cutoff.setValue(80)
    assert dialog.scoring.cutoff_problem.isVisibleTo(dialog)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert runner.errors == ["The warm cut-off must not be above the hot cut-off."]
    assert dialog.isVisible()
    with ctx.db.reading() as connection:
        assert load_score_settings(connection).warm_cutoff == 40


def test_cancelling_the_rescore_saves_no_scoring_change(
    qtbot, runner, dialog, ctx, make_lead, monkeypatch
):
    from leaddesk.ui.background import BackgroundJob

    ceo = make_lead("Ada", job_title="CEO", email="ada@acme-industries.com")
    start = BackgroundJob.start

    def cancel_at_once(job: BackgroundJob) -> None:
        job.cancel()  # as if Cancel was pressed before the first chunk
        start(job)

    monkeypatch.setattr(BackgroundJob, "start", cancel_at_once)
    model = dialog.scoring.model
    model.setData(model.index(row_of(dialog, "decision_maker_title"), POINTS), 60)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: runner.errors != [], timeout=5000)

    assert runner.errors == ["Rescoring was stopped, so the scoring changes were not saved."]
    assert stored_score(ctx, ceo) == 25
    assert dialog.isVisible()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled())
    # The edit is still there to save again.
    assert dialog.scoring.has_changes()


def test_team_add_rename_deactivate_and_me(qtbot, runner, ctx, make_lead) -> None:
    make_lead("Ada", owner="Sam Seller")
    dialog = SettingsDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.team
    dialog.show_tab("team")
    assert [page.model.member(row).name for row in range(page.model.rowCount())] == ["Sam Seller"]
    page.ask_name = lambda: "  Priya   Patel "
    page.add_button.click()
    page.table.selectRow(0)
    assert page.model.setData(page.model.index(0, 0), "Sam Sellers")
    page.me_button.click()
    assert not page.active_button.isEnabled()  # you cannot deactivate yourself
    page.table.selectRow(1)
    page.active_button.click()
    save(qtbot, dialog)

    with ctx.db.reading() as connection:
        members = {member.name: member for member in team(connection)}
        me = my_owner_id(connection)
    assert set(members) == {"Sam Sellers", "Priya Patel"}
    assert not members["Priya Patel"].active
    assert me == members["Sam Sellers"].id


def test_lists_page_saves_reasons_and_region(qtbot, dialog, ctx) -> None:
    page = dialog.lists
    page.reasons.item(0).setText("Too small")
    page.reasons.setCurrentRow(page.reasons.count() - 1)
    page.remove_reason()
    page.region.setCurrentIndex(page.region.findData("DE"))
    assert "Germany" in page.region.currentText()
    save(qtbot, dialog)
    with ctx.db.reading() as connection:
        values = read_settings(connection)
    assert values["default_region"] == "DE"
    assert values["disqualification_reasons"][0] == "Too small"
    assert "Other" not in values["disqualification_reasons"]


def test_an_empty_reason_list_is_refused_and_the_dialog_stays(qtbot, runner, dialog) -> None:
    dialog.lists.reasons.clear()
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert runner.errors == ["Keep at least one disqualification reason."]
    assert dialog.isVisible()
    assert dialog.tabs.currentWidget() is dialog.lists


def test_the_settings_menu_entry_uses_the_platform_shortcut(qtbot, runner) -> None:
    from PySide6.QtGui import QKeySequence

    window = MainWindow(runner)
    qtbot.addWidget(window)
    platform_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
    # Where the platform has no Preferences key (Linux, Windows), Ctrl+, stands in.
    expected = platform_keys[0] if platform_keys else QKeySequence("Ctrl+,")
    assert not window.settings_action.shortcut().isEmpty()
    assert window.settings_action.shortcut() == expected
    edit_menu = next(
        action.menu() for action in window.menuBar().actions() if action.text() == "&Edit"
    )
    assert window.settings_action in edit_menu.actions()


def test_cancel_saves_nothing(qtbot, dialog, ctx) -> None:
    model = dialog.scoring.model
    model.setData(model.index(0, POINTS), 1)
    dialog.lists.reasons.item(0).setText("Changed")
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    with ctx.db.reading() as connection:
        assert load_rules(connection)[0].points == 20
        assert read_settings(connection)["disqualification_reasons"][0] == "No budget"


def test_the_reminders_page_is_a_tab_and_saved_with_ok(qtbot, dialog, ctx) -> None:
    from leaddesk.ui.settings.reminders_page import RemindersSettingsPage

    titles = [dialog.tabs.tabText(index) for index in range(dialog.tabs.count())]
    assert titles == ["&Scoring", "&Team", "&Lists", "&Reminders", "&Backups", "&Appearance"]
    assert isinstance(dialog.reminders, RemindersSettingsPage)
    saved: list[bool] = []
    dialog.reminders.save = lambda: saved.append(True) or True
    save(qtbot, dialog)
    assert saved == [True]
