"""The duplicate banner: appears while a duplicate is typed, offers open and merge."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from leaddesk.ui.duplicate_warning import DuplicateWarning


@pytest.fixture
def warning(qtbot, runner) -> Iterator[DuplicateWarning]:
    """The banner inside a shown form-like parent, as the form embeds it."""
    host = QWidget()
    qtbot.addWidget(host)
    banner = DuplicateWarning(runner.ctx.db)
    QVBoxLayout(host).addWidget(banner)
    host.show()
    qtbot.waitExposed(host)
    yield banner
    host.close()


def test_hidden_until_the_values_match_a_lead(qtbot, warning, make_lead):
    make_lead("Anna", last_name="Schäfer", email="anna@nordlicht.example", company="Nordlicht")
    assert warning.isHidden()

    warning.check({"first_name": "Someone", "email": "someone@else.example"})
    qtbot.wait(400)
    assert warning.isHidden()

    warning.check({"first_name": "A", "email": "ANNA@nordlicht.example"})
    qtbot.waitUntil(warning.isVisible, timeout=2000)
    text = warning.label.text()
    assert "Anna Schäfer" in text
    assert "(Nordlicht)" in text
    assert "same email" in text

    warning.check({"first_name": "A", "email": "anna@nordlicht.exampl"})
    qtbot.waitUntil(warning.isHidden, timeout=2000)


def test_the_lead_itself_is_not_its_own_duplicate(qtbot, warning, make_lead):
    anna = make_lead("Anna", email="anna@nordlicht.example")
    warning.check({"email": "anna@nordlicht.example"}, exclude_id=anna)
    assert warning.check_now() == []
    assert warning.isHidden()


def test_links_ask_to_merge_or_open_the_other_lead(qtbot, warning, make_lead):
    anna = make_lead("Anna", phone="+44 20 7946 0004")
    warning.check({"phone": "+44 (20) 7946-0004"})
    assert [match.lead_id for match in warning.check_now()] == [anna]
    assert f'href="merge:{anna}"' in warning.label.text()

    with qtbot.waitSignal(warning.merge_requested) as merge:
        warning.label.linkActivated.emit(f"merge:{anna}")
    assert merge.args == [anna]
    with qtbot.waitSignal(warning.open_requested) as opened:
        warning.label.linkActivated.emit(f"open:{anna}")
    assert opened.args == [anna]
