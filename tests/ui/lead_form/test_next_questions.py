"""NextQuestionsBox: the questions that matter next, each a link to its field."""

from __future__ import annotations

from PySide6.QtCore import Qt

from leaddesk.ui.lead_form.form import LeadForm
from leaddesk.ui.lead_form.next_questions import NextQuestionsBox

# A cold lead with a name and an email: who they are and whether they fit come next.
COLD = {"first_name": "Ada", "email": "ada@example.com", "temperature": "cold", "stage": "lead"}


def _click(qtbot, box: NextQuestionsBox, row: int) -> None:
    item = box.questions.item(row)
    center = box.questions.visualItemRect(item).center()
    qtbot.mouseClick(box.questions.viewport(), Qt.MouseButton.LeftButton, pos=center)


def test_it_lists_the_missing_fields_that_matter_next(qtbot):
    box = NextQuestionsBox()
    qtbot.addWidget(box)
    box.show_for(COLD)
    assert box.fields()[:2] == ["job_title", "company_size"]
    assert box.questions.item(0).text().startswith("→  ")
    assert not box.done.isVisibleTo(box)


def test_clicking_a_question_asks_for_its_field(qtbot):
    box = NextQuestionsBox()
    qtbot.addWidget(box)
    box.show_for(COLD)
    box.show()
    qtbot.waitExposed(box)
    with qtbot.waitSignal(box.field_requested) as blocker:
        _click(qtbot, box, 1)
    assert blocker.args == [box.fields()[1]]


def test_enter_on_a_question_asks_for_its_field(qtbot):
    box = NextQuestionsBox()
    qtbot.addWidget(box)
    box.show_for(COLD)
    box.questions.setCurrentRow(0)
    with qtbot.waitSignal(box.field_requested) as blocker:
        box.questions.itemActivated.emit(box.questions.item(0))
    assert blocker.args == ["job_title"]


def test_in_the_form_a_click_focuses_the_field(qtbot, runner, make_lead):
    form = LeadForm(runner)
    qtbot.addWidget(form)
    form.load(make_lead("Ada", "cold", email="ada@example.com"))
    form.resize(1000, 700)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    box = form.questions_box
    assert box.fields()[0] == "job_title"
    with qtbot.waitSignal(box.field_requested) as blocker:
        _click(qtbot, box, 0)
    assert blocker.args == ["job_title"]
    qtbot.waitUntil(lambda: form.edits["job_title"].hasFocus())
