"""Start-up: one window per database, and the window brought forward when asked."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from leaddesk.errors import UserError
from leaddesk.ui import app as app_module
from leaddesk.ui.app import WindowShell, run_app
from leaddesk.ui.safety.single_instance import Answer


@pytest.fixture
def no_event_loop(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    started: list[str] = []
    monkeypatch.setattr(QApplication, "exec", lambda *_args: started.append("loop") or 0)
    return started


def test_a_second_start_exits_at_once_when_the_first_window_came_forward(
    qapp, ctx, monkeypatch, no_event_loop
):
    monkeypatch.setattr(app_module, "claim", lambda _url: Answer.RAISED)
    monkeypatch.setattr(app_module, "WindowShell", lambda *_args: pytest.fail("no window"))
    assert run_app(ctx) == 0
    assert no_event_loop == []


def test_a_database_open_in_a_window_that_does_not_answer_is_one_sentence(
    qapp, ctx, monkeypatch, no_event_loop
):
    shown: list[str] = []
    monkeypatch.setattr(app_module, "claim", lambda _url: Answer.SILENT)
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    with pytest.raises(UserError) as refused:
        run_app(ctx)
    assert str(refused.value) == shown[0]
    assert "is open in another LeadDesk window that does not answer" in shown[0]
    assert ctx.db.display_url in shown[0]
    assert no_event_loop == []


# The offscreen platform cannot raise a window; a desktop can (seen on Xvfb + openbox).
@pytest.mark.qt_log_ignore("does not support raise")
def test_the_window_comes_forward_from_minimised(qtbot, runner):
    shell = WindowShell(runner, interactive=False)
    window = shell.window
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    shell.bring_forward()
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert window.isVisible()
