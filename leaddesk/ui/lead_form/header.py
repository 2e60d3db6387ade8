"""The lead form's header: the lead's name and company, and how complete its profile is.

The completeness meters of the tier sections follow the same values (see show_meters).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel

from leaddesk.core.fields import display_name
from leaddesk.core.profiling import is_filled, key_fields, lead_completeness, reached_tiers

if TYPE_CHECKING:
    from leaddesk.ui.lead_form.form import LeadForm


def build_header_labels(form: LeadForm) -> None:
    """The title (name), subtitle (job title · company) and overall completeness labels."""
    form.title = QLabel()
    form.title.setObjectName("leadTitle")
    # The name and company as typed, never read as markup.
    form.title.setTextFormat(Qt.TextFormat.PlainText)
    title_font = QFont(form.title.font())
    title_font.setBold(True)
    title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
    form.title.setFont(title_font)
    form.subtitle = QLabel()
    form.subtitle.setObjectName("leadSubtitle")
    form.subtitle.setTextFormat(Qt.TextFormat.PlainText)
    form.subtitle.setWordWrap(True)
    form.overall = QLabel()
    form.overall.setObjectName("overallCompleteness")
    form.overall.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.overall.setMinimumWidth(
        form.overall.fontMetrics().horizontalAdvance("Profile 100% complete") + 4
    )


def header_layout(form: LeadForm) -> QGridLayout:
    """The header labels laid out: title and completeness on one line, subtitle below."""
    header = QGridLayout()
    header.addWidget(form.title, 0, 0)
    header.addWidget(form.overall, 0, 1)
    header.addWidget(form.subtitle, 1, 0, 1, 2)
    header.setColumnStretch(0, 1)
    return header


def show_meters(form: LeadForm, values: Mapping[str, Any]) -> None:
    """Each section's completeness meter and the overall figure, for ``values``."""
    completeness = lead_completeness(values)
    reached = reached_tiers(values)
    for tier, section in form.sections.items():
        names = key_fields(tier, values)
        filled = sum(is_filled(values, name) for name in names)
        section.set_progress(completeness[tier.value], filled, len(names), tier in reached)
    form.overall.setText(f"Profile {round(completeness['overall'] * 100)}% complete")
    form.overall.setToolTip("Key fields filled in the tiers this lead has reached")


def show_title(form: LeadForm, values: Mapping[str, Any]) -> None:
    """The lead's name ("New lead" before one is typed) and its job title and company."""
    name = display_name(values.get("first_name"), values.get("last_name"), values.get("email"))
    form.title.setText(name if form.lead_id is not None or name != "(no name)" else "New lead")
    parts = [values.get("job_title"), values.get("company")]
    form.subtitle.setText(" · ".join(str(part) for part in parts if part) or " ")
