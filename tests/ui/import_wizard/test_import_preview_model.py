"""The preview of the mapping step: a well-behaved model that marks bad cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from leaddesk.ui.import_wizard.preview_model import STATUS_COLUMN, VERDICT_ROLE, ImportPreviewModel
from leaddesk.ui.import_wizard.session import ImportSession, Verdict, preview_fields
from leaddesk.ui.import_wizard.widgets import problem_background
from leaddesk.ui.theme import _dark_palette, _light_palette

TOOLTIP = Qt.ItemDataRole.ToolTipRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole


def _model(path: Path) -> tuple[ImportPreviewModel, ImportSession]:
    session = ImportSession()
    assert session.open(path)
    mapping, _preset = session.initial_mapping([])
    model = ImportPreviewModel()
    model.set_rows(preview_fields(mapping), session.preview(mapping))
    return model, session


def test_model_passes_qtmodeltester_before_and_after_a_new_mapping(qtmodeltester, bad_csv):
    model, session = _model(bad_csv)
    qtmodeltester.check(model)

    fewer, _ = session.initial_mapping([])
    fewer = fewer.with_target(5, None)  # no deal value
    model.set_rows(preview_fields(fewer), session.preview(fewer))
    qtmodeltester.check(model)
    assert model.column_of("deal_value") is None


def test_an_empty_model_is_valid(qtmodeltester):
    qtmodeltester.check(ImportPreviewModel())


def test_columns_are_the_fields_filled_and_rows_are_file_lines(bad_csv):
    model, _session = _model(bad_csv)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "Status",
        "First name",
        "Last name",
        "Email",
        "Phone",
        "Created date",
        "Deal value",
        "Company",
    ]
    lines = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    assert lines == ["2", "3", "4", "5", "6"]
    # Values as they will be stored: international phone, cents as money.
    assert model.index(0, model.column_of("phone")).data() == "+351210000000"
    assert model.index(0, model.column_of("deal_value")).data() == "1,234.50"


def test_bad_cells_are_tinted_with_the_reason_as_tooltip(bad_csv):
    model, _session = _model(bad_csv)
    date = model.index(2, model.column_of("created_at"))
    assert date.data() == "not a date"  # the text as typed, since it cannot be read
    assert "not a date this app can read" in date.data(TOOLTIP)
    assert "kept in the notes" in date.data(TOOLTIP)
    assert date.data(VERDICT_ROLE) is Verdict.NOTE
    assert isinstance(date.data(BACKGROUND), QColor)

    email = model.index(3, model.column_of("email"))
    assert email.data(VERDICT_ROLE) is Verdict.WARNING
    assert "not a valid email address" in email.data(TOOLTIP)

    fine = model.index(0, model.column_of("email"))
    assert fine.data(BACKGROUND) is None
    assert fine.data(TOOLTIP) is None


def test_status_column_counts_notes_and_explains_rejections(bad_csv):
    model, _session = _model(bad_csv)
    statuses = [model.index(r, STATUS_COLUMN).data() for r in range(model.rowCount())]
    # Only the row naming no one is rejected; unreadable values are kept in the notes.
    assert statuses == ["OK", "Rejected", "Note", "Warning", "Note"]
    assert (model.rejected_count(), model.noted_count(), model.warning_count()) == (1, 2, 1)
    assert model.index(1, STATUS_COLUMN).data(TOOLTIP) == "The row has no name, email or phone."
    assert model.index(4, STATUS_COLUMN).data(TOOLTIP).startswith("Deal Value: ")
    assert model.index(4, STATUS_COLUMN).data(TOOLTIP).endswith("It was kept in the notes.")


def _luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red())
        + 0.7152 * channel(color.green())
        + 0.0722 * channel(color.blue())
    )


def _contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("palette", [_light_palette, _dark_palette], ids=["light", "dark"])
@pytest.mark.parametrize("verdict", [Verdict.REJECTED, Verdict.WARNING, Verdict.NOTE])
def test_tints_keep_text_legible_and_stand_out_on_both_palettes(qapp, palette, verdict):
    colours = palette()
    tint = problem_background(colours, verdict)
    text = colours.color(QPalette.ColorRole.Text)
    base = colours.color(QPalette.ColorRole.Base)
    assert _contrast(text, tint) >= 4.5  # WCAG AA for normal text
    assert _contrast(base, tint) >= 1.15  # visibly different from an unmarked cell
