"""The lead form's header: the lead's name and company, how complete its profile is, and
when the lead was first contacted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from leaddesk.core.fields import display_name
from leaddesk.ui.lead_form.activity_boxes import local_time


class FormHeader(QWidget):
    """Title (the name), subtitle (job title · company), the overall completeness and,
    for a lead contacted already, when that first happened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formHeader")
        self.title = QLabel()
        self.title.setObjectName("leadTitle")
        # The name and company as typed, never read as markup.
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        title_font = QFont(self.title.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        self.title.setFont(title_font)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("leadSubtitle")
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle.setWordWrap(True)
        self.overall = QLabel()
        self.overall.setObjectName("overallCompleteness")
        self.overall.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.overall.setMinimumWidth(
            self.overall.fontMetrics().horizontalAdvance("Profile 100% complete") + 4
        )
        self.overall.setToolTip("Key fields filled in the tiers this lead has reached")
        # Read-only: set by the first call or email logged, or by an import's
        # "First contacted" column. Hidden while there is none, so a lead
        # waiting for its first call looks as it always did.
        self.first_contact = QLabel()
        self.first_contact.setObjectName("firstContacted")
        self.first_contact.setTextFormat(Qt.TextFormat.PlainText)
        self.first_contact.setToolTip(
            "When the lead was first called or emailed; it has no speed-to-lead countdown"
        )
        self.first_contact.hide()
        # Title and completeness on one line, the subtitle below.
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title, 0, 0)
        layout.addWidget(self.overall, 0, 1)
        layout.addWidget(self.subtitle, 1, 0, 1, 2)
        layout.addWidget(self.first_contact, 2, 0, 1, 2)
        layout.setColumnStretch(0, 1)

    def show_lead(self, values: Mapping[str, Any], *, is_new: bool) -> None:
        """The lead's name ("New lead" before one is typed) and its job title and company."""
        name = display_name(values.get("first_name"), values.get("last_name"), values.get("email"))
        self.title.setText("New lead" if is_new and name == "(no name)" else name)
        parts = [values.get("job_title"), values.get("company")]
        self.subtitle.setText(" · ".join(str(part) for part in parts if part) or " ")

    def show_completeness(self, fraction: float) -> None:
        """How complete the profile is over the tiers the lead has reached (0..1)."""
        self.overall.setText(f"Profile {round(fraction * 100)}% complete")

    def show_first_contact(self, moment: dt.datetime | None) -> None:
        """When the lead was first contacted, in local time; nothing for None."""
        self.first_contact.setText(f"First contacted {local_time(moment)}" if moment else "")
        self.first_contact.setVisible(moment is not None)
