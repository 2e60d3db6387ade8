"""A section of the agenda as it looks: its header's count stays a pill."""

from __future__ import annotations

from PySide6.QtGui import QColor

from leaddesk.ui.agenda.section_widgets import SectionHeader


def test_a_tall_section_header_keeps_its_count_a_pill(qtbot):
    header = SectionHeader("Overdue", QColor("#d32f2f"))
    qtbot.addWidget(header)
    header.set_count(33)
    header.resize(360, 400)  # spare height, as when the sections below are folded
    header.show()
    qtbot.waitExposed(header)

    line = header.count.fontMetrics().height()
    assert header.count.height() <= line + 8
    # Centred on the title's line, not stretched over the header.
    assert abs(header.count.geometry().center().y() - header.title.geometry().center().y()) <= 2
