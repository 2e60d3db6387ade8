"""The phone field's placeholder follows the default country, and suggests none without one."""

from __future__ import annotations

from leaddesk.operations.settings import set_default_region
from leaddesk.ui.lead_form.field_editors import (
    NEUTRAL_PHONE_PLACEHOLDER,
    make_editor,
    phone_placeholder,
)
from leaddesk.ui.lead_form.form import LeadForm


def test_without_a_default_country_no_country_is_suggested(qtbot, runner) -> None:
    form = LeadForm(runner)
    qtbot.addWidget(form)
    placeholder = form.edits["phone"].placeholderText()
    assert placeholder == NEUTRAL_PHONE_PLACEHOLDER
    assert "+44" not in placeholder


def test_with_a_default_country_the_placeholder_is_one_of_its_numbers(qtbot, runner, ctx) -> None:
    set_default_region(ctx, "DE")
    form = LeadForm(runner)
    qtbot.addWidget(form)
    placeholder = form.edits["phone"].placeholderText()
    assert placeholder == "e.g. 030 123456"
    # What the placeholder suggests is read as a number of that country.
    editor = form.editors["phone"]
    editor.line.setText(placeholder.removeprefix("e.g. "))
    assert editor.value() == "+4930123456"


def test_every_country_gets_a_placeholder_its_editor_can_read(qtbot) -> None:
    for region in ("US", "FR", "JP", "IN", "BR", "GB"):
        text = phone_placeholder(region)
        assert text.startswith("e.g. "), region
        editor = make_editor("phone", default_region=region)
        editor.line.setText(text.removeprefix("e.g. "))
        assert str(editor.value()).startswith("+"), (region, editor.value())
    assert phone_placeholder(None) == phone_placeholder("") == NEUTRAL_PHONE_PLACEHOLDER
