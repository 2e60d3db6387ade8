"""The duplicate banner: appears while a duplicate is typed, offers open and merge."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from sqlalchemy import select

from leaddesk.storage.queries import count_leads
from leaddesk.storage.schema import leads
from leaddesk.ui.lead_form.dialog import LeadFormDialog
from leaddesk.ui.lead_form.duplicate_warning import DuplicateWarning
from leaddesk.ui.merge_dialog import MergeDialog


@pytest.fixture
def warning(qtbot, runner) -> Iterator[DuplicateWarning]:
    """The banner inside a shown form-like parent, as the form embeds it."""
    host = QWidget()
    qtbot.addWidget(host)
    banner = DuplicateWarning(runner)
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


def test_the_new_lead_form_warns_at_once_and_merges_on_request(qtbot, runner, ctx, make_lead):
    existing = make_lead("Anna", last_name="Schäfer", email="anna@nordlicht.example")
    dialog = LeadFormDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    banner = dialog.findChild(DuplicateWarning)
    assert banner.isHidden()

    qtbot.keyClicks(dialog.edits["first_name"], "Anna")
    qtbot.keyClicks(dialog.edits["email"], "Anna@Nordlicht.example")
    qtbot.waitUntil(banner.isVisible, timeout=2000)
    assert "Anna Schäfer" in banner.label.text()
    assert "same email" in banner.label.text()

    seen: list[tuple[int, int]] = []

    def answer() -> None:
        merge = QApplication.activeModalWidget()
        if not isinstance(merge, MergeDialog):
            QTimer.singleShot(10, answer)
            return
        seen.append((merge.keep_id, merge.other_id))
        merge.merge_button.click()

    QTimer.singleShot(0, answer)
    banner.label.linkActivated.emit(f"merge:{existing}")

    (created,) = [other for _keep, other in seen]
    assert seen == [(existing, created)]
    with ctx.db.reading() as connection:
        trashed = connection.execute(
            select(leads.c.deleted_at).where(leads.c.id == created)
        ).scalar()
    assert trashed is not None
    assert count_leads_now(ctx) == 1


def test_editing_a_lead_into_a_duplicate_warns(qtbot, runner, make_lead):
    make_lead("Bo", phone="+44 20 7946 0004")
    other = make_lead("Robert")
    dialog = LeadFormDialog(runner, other)
    qtbot.addWidget(dialog)
    dialog.show()
    banner = dialog.findChild(DuplicateWarning)
    qtbot.wait(300)
    assert banner.isHidden()  # a lead with no duplicate

    dialog.edits["phone"].setText("+44 (20) 7946-0004")
    qtbot.waitUntil(banner.isVisible, timeout=2000)
    assert "same phone" in banner.label.text()


def count_leads_now(ctx) -> int:
    with ctx.db.reading() as connection:
        return count_leads(connection)


def test_a_colleague_with_another_email_is_shown_as_a_possible_duplicate(warning, make_lead):
    make_lead("Anna", email="anna@acme.example", phone="+44 20 7946 0000", company="Acme")
    warning.check({"first_name": "Bo", "email": "bo@acme.example", "phone": "+442079460000"})
    warning.check_now()
    assert warning.isVisible()
    text = warning.label.text()
    assert "Possibly the same person (another email):" in text
    assert "already have" not in text
    assert "same phone, but a different email" in text
    assert "merge:" in text  # the merge flow is still one click away
