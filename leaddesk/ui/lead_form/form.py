"""The progressive lead form: one widget for the side panel and the dialog.

Fields come in sections by DOMAIN.md's tiers (contact, fit, need, deal,
outcome). The tiers a lead has reached are open, later ones folded, each with a
completeness meter; "Next questions to ask" names the few missing fields that
matter for the lead's next step and follows what is typed. Beside the fields:
the score with every rule that fired (live, as fields change), the stage
history, the activity timeline with a small "Log" control, and the lead's
follow-ups.

Nothing is saved until Save; a value that cannot be stored is marked and the
save refused, one that looks wrong (an email, a phone number that cannot be
read) is marked, explained and kept as typed.

Parts live beside this module: field_layout (which field goes where), header,
pipeline_row, next_questions, live_score, saving, outside_changes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import FIELDS_BY_NAME, Consent, Stage, Temperature, Tier
from leaddesk.core.profiling import TIER_ORDER, reached_tiers
from leaddesk.core.scoring import (
    DEFAULT_RULES,
    LeadFacts,
    ScoreResult,
    ScoreRule,
    ScoreSettings,
)
from leaddesk.operations.activities import log_activity
from leaddesk.operations.changes import Changes
from leaddesk.operations.owners import default_owner_name
from leaddesk.operations.scoring import lead_facts, load_rules, load_score_settings
from leaddesk.storage.lead_history import lead_activities, lead_stage_history
from leaddesk.storage.lead_rows import lead_fields
from leaddesk.storage.queries import lead_row, owner_names
from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.lead_form.activity_boxes import ScoreBox, StageHistoryBox, TimelineBox
from leaddesk.ui.lead_form.duplicate_warning import DuplicateWarning
from leaddesk.ui.lead_form.field_editors import (
    ChoiceEditor,
    FieldEditor,
    LongTextEditor,
    TextEditor,
    make_editor,
)
from leaddesk.ui.lead_form.field_layout import SECTION_FIELDS, WIDE_FIELDS
from leaddesk.ui.lead_form.header import build_header_labels, header_layout, show_meters, show_title
from leaddesk.ui.lead_form.live_score import show_score
from leaddesk.ui.lead_form.next_questions import build_questions_box, show_next_questions
from leaddesk.ui.lead_form.outside_changes import refresh_from_database
from leaddesk.ui.lead_form.pipeline_row import build_pipeline_row, pipeline_chosen
from leaddesk.ui.lead_form.saving import save_form
from leaddesk.ui.lead_form.sections import TierSection
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.theme import error_color

log = logging.getLogger(__name__)

# What duplicates are recognised by (leaddesk.storage.duplicates).
_IDENTITY_FIELDS = frozenset({"first_name", "last_name", "email", "phone", "company"})


class LeadForm(QWidget):
    """View and edit one lead (or a new one); ``save()`` stores it through the operations."""

    saved = Signal(int)
    # The user asked to see another lead (a duplicate's *Open* link).
    open_requested = Signal(int)
    dirty_changed = Signal(bool)

    # Built by header.build_header_labels, pipeline_row.build_pipeline_row and
    # next_questions.build_questions_box.
    title: QLabel
    subtitle: QLabel
    overall: QLabel
    temperature: QComboBox
    stage: QComboBox
    owner_editor: ChoiceEditor
    owner: QComboBox
    questions: QListWidget
    questions_done: QLabel

    def __init__(
        self,
        runner: OperationRunner,
        parent: QWidget | None = None,
        *,
        compact: bool = False,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.compact = compact
        self.setObjectName("leadFormWidget")
        self.lead_id: int | None = None
        self._version: int | None = None
        self._original: dict[str, Any] = {}
        self._loading = False
        self._dirty = False
        self._temperature_value = Temperature.COLD.value
        self._stage_value = Stage.LEAD.value
        self._rules: list[ScoreRule] = list(DEFAULT_RULES)
        self._score_settings = ScoreSettings()
        self._base_facts = LeadFacts()
        self._reasons: list[str] = []
        self._region: str | None = None
        self.last_score: ScoreResult | None = None
        self._consent_date: dt.datetime | None = None
        self._stored_phone: str | None = None
        # The lead's fields as last read from the database (to see what changed elsewhere).
        self._stored: dict[str, Any] = {}

        self._read_settings()
        self._build()
        self._recompute_timer = QTimer(self)
        self._recompute_timer.setSingleShot(True)
        self._recompute_timer.setInterval(0)
        self._recompute_timer.timeout.connect(self.recompute)
        runner.changed.connect(self._on_changed)
        self.new()

    # -- building ------------------------------------------------------------

    def _read_settings(self) -> None:
        with self._runner.ctx.db.reading() as connection:
            settings = read_settings(connection)
            self._rules = load_rules(connection) or list(DEFAULT_RULES)
            self._score_settings = load_score_settings(connection)
            self._owners = [name for _id, name in owner_names(connection)]
        self._reasons = list(settings["disqualification_reasons"])
        self._region = settings["default_region"] or None

    def _build(self) -> None:
        self.editors: dict[str, FieldEditor] = {}
        self.edits: dict[str, QLineEdit] = {}
        for names in SECTION_FIELDS.values():
            for name in names:
                choices = self._reasons if name == "disqualification_reason" else None
                editor = make_editor(name, self, choices=choices, default_region=self._region)
                self.editors[name] = editor
                if isinstance(editor, TextEditor):
                    self.edits[name] = editor.line
                editor.changed.connect(self._on_edited)
        self.notes_editor = make_editor("notes", self)
        self.editors["notes"] = self.notes_editor
        self.notes_editor.changed.connect(self._on_edited)
        assert isinstance(self.notes_editor, LongTextEditor)
        self.notes = self.notes_editor.edit
        self.notes.setPlaceholderText("What was said, what they need, anything worth remembering")
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 14)
        self.source = self.editors["source"].input
        self.consent = self.editors["consent"].input

        build_header_labels(self)

        pipeline = build_pipeline_row(self)

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {error_color(self.palette()).name()}; font-weight: bold;")
        self.error.hide()

        # "this looks like a lead you already have", checked as identity fields change
        self.duplicates = DuplicateWarning(self._runner.ctx.db, self)
        self.duplicates.merge_requested.connect(self._merge_with)
        self.duplicates.open_requested.connect(self.open_requested.emit)

        questions_box = build_questions_box(self)

        # sections
        self.sections: dict[Tier, TierSection] = {}
        # One label width for every section, so the fields line up down the form.
        label_width = min(
            125,
            max(
                self.fontMetrics().horizontalAdvance(FIELDS_BY_NAME[name].label)
                for names in SECTION_FIELDS.values()
                for name in names
            ),
        )
        columns = 1 if self.compact else 2
        sections_widget = QWidget()
        sections_layout = QVBoxLayout(sections_widget)
        sections_layout.setContentsMargins(0, 0, 0, 0)
        sections_layout.setSpacing(4)
        for tier in TIER_ORDER:
            section = TierSection(tier)
            for name in SECTION_FIELDS[tier]:
                editor = self.editors[name]
                wide = isinstance(editor, LongTextEditor) or name in WIDE_FIELDS
                if name == "consent":
                    self.consent_info = QLabel()
                    self.consent_info.setObjectName("consentInfo")
                    self.consent_info.setWordWrap(True)
                    editor.box.addWidget(self.consent_info)
                section.add_field(
                    FIELDS_BY_NAME[name].label,
                    editor.container,
                    columns=columns,
                    label_width=label_width,
                    wide=wide,
                )
            self.sections[tier] = section
            sections_layout.addWidget(section)
        notes_box = QGroupBox("Notes")
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.setContentsMargins(8, 4, 8, 8)
        notes_layout.addWidget(self.notes_editor.container)
        sections_layout.addWidget(notes_box)

        profile = QWidget()
        profile.setObjectName("profilePanel")
        profile_layout = QVBoxLayout(profile)
        profile_layout.setContentsMargins(0, 0, 6, 0)
        profile_layout.addLayout(pipeline)
        profile_layout.addWidget(questions_box)
        profile_layout.addWidget(sections_widget)
        profile_layout.addStretch(1)
        self.profile_scroll = self._scrolling(profile)

        activity = QWidget()
        activity.setObjectName("activityPanel")
        activity_layout = QVBoxLayout(activity)
        activity_layout.setContentsMargins(6, 0, 6, 0)
        self.score_box = ScoreBox()
        self.score_box.accept_requested.connect(self.accept_suggestion)
        self.history_box = StageHistoryBox()
        self.timeline_box = TimelineBox()
        self.timeline_box.log_requested.connect(self.log)
        # The parts tests and callers reach for.
        self.score = self.score_box.score
        self.suggestion = self.score_box.suggestion
        self.accept_suggestion_button = self.score_box.accept_button
        self.reasons = self.score_box.reasons
        self.history = self.history_box.history
        self.log_kind = self.timeline_box.kind
        self.log_time = self.timeline_box.time
        self.log_text = self.timeline_box.text
        self.log_button = self.timeline_box.button
        self.timeline = self.timeline_box.timeline
        activity_layout.addWidget(self.score_box)
        activity_layout.addWidget(self._build_follow_ups_box())
        activity_layout.addWidget(self.history_box)
        activity_layout.addWidget(self.timeline_box, 1)
        self.activity_scroll = self._scrolling(activity)

        header = header_layout(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.error)
        layout.addWidget(self.duplicates)
        if self.compact:
            self.tabs = QTabWidget()
            self.tabs.setObjectName("leadFormTabs")
            self.tabs.addTab(self.profile_scroll, "Profile")
            self.tabs.addTab(self.activity_scroll, "Score && activity")
            layout.addWidget(self.tabs, 1)
        else:
            splitter = QSplitter(Qt.Orientation.Horizontal)
            splitter.setObjectName("leadFormSplitter")
            splitter.setChildrenCollapsible(False)
            splitter.addWidget(self.profile_scroll)
            splitter.addWidget(self.activity_scroll)
            splitter.setStretchFactor(0, 3)
            splitter.setStretchFactor(1, 2)
            layout.addWidget(splitter, 1)

    def _scrolling(self, widget: QWidget) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidget(widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    def _build_follow_ups_box(self) -> QGroupBox:
        box = QGroupBox("Follow-ups")
        box.setObjectName("followUpsBox")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 4, 8, 8)
        self.follow_ups: Any = None
        try:
            # Built by the agenda; the form works without it.
            from leaddesk.ui.agenda.follow_ups_widget import FollowUpsWidget

            self.follow_ups = FollowUpsWidget(self._runner, box)
        except Exception:
            log.exception("the follow-ups widget could not be built")
            self.follow_ups = None
        if self.follow_ups is not None:
            layout.addWidget(self.follow_ups)
        self.follow_ups_box = box
        box.hide()  # shown for a saved lead
        return box

    # -- loading -------------------------------------------------------------

    def new(self, initial: Mapping[str, Any] | None = None) -> None:
        """An empty form for a new lead, with ``initial`` values filled in."""
        self.lead_id = None
        self._version = None
        self._original = {}
        self._base_facts = LeadFacts(created_at=self._runner.ctx.clock.now())
        self._consent_date = None
        values: dict[str, Any] = {
            "temperature": Temperature.COLD.value,
            "stage": Stage.LEAD.value,
            "consent": Consent.UNKNOWN.value,
        }
        with self._runner.ctx.db.reading() as connection:
            # Your leads are yours unless you choose someone else (Settings → Team).
            values["owner"] = default_owner_name(connection)
        values.update(initial or {})
        self._fill(values)
        self._load_history()
        self._set_dirty(False)
        self.recompute()
        self._check_duplicates()

    def load(self, lead_id: int) -> None:
        """Show lead ``lead_id`` as stored (unsaved edits are dropped)."""
        with self._runner.ctx.db.reading() as connection:
            row = lead_row(connection, lead_id)
            facts = lead_facts(connection, [lead_id]).get(lead_id, LeadFacts())
        if row is None:
            raise LookupError(f"There is no lead with id {lead_id}.")
        mapping = row._mapping
        self.lead_id = lead_id
        self._version = mapping["version"]
        self._base_facts = facts
        self._consent_date = mapping["consent_date"]
        self._stored_phone = mapping["phone"]
        values = lead_fields(mapping)
        self._stored = dict(values)
        self._fill(values)
        self._original = self.values()
        self._load_history()
        self._set_dirty(False)
        self.error.hide()
        self.recompute()
        self._check_duplicates()

    def _fill(self, values: Mapping[str, Any]) -> None:
        self._loading = True
        try:
            for name, editor in self.editors.items():
                editor.set_value(values.get(name))
                editor.refresh_message()
            self.owner_editor.set_value(values.get("owner"))
            self._temperature_value = str(values.get("temperature") or Temperature.COLD.value)
            self._stage_value = str(values.get("stage") or Stage.LEAD.value)
            self.temperature.setCurrentIndex(
                max(0, self.temperature.findData(self._temperature_value))
            )
            self.stage.setCurrentIndex(max(0, self.stage.findData(self._stage_value)))
        finally:
            self._loading = False
        reached = reached_tiers(self.values())
        for tier, section in self.sections.items():
            section.set_expanded(tier in reached)

    def _load_history(self) -> None:
        self.timeline_box.reset_time(self._runner.ctx.clock.now())
        if self.follow_ups is not None:
            # A follow-up needs a lead to belong to: none before the first save.
            self.follow_ups_box.setVisible(self.lead_id is not None)
            try:
                self.follow_ups.set_lead(self.lead_id)
                # Its rows change its size; the scroll area must not squeeze it below that.
                self.follow_ups.setMinimumHeight(self.follow_ups.minimumSizeHint().height())
            except Exception:
                log.exception("the follow-ups widget could not show lead %s", self.lead_id)
        if self.lead_id is None:
            self.timeline_box.show_entries(None)
            self.history_box.show_changes(None)
            return
        with self._runner.ctx.db.reading() as connection:
            entries = lead_activities(connection, self.lead_id)
            changes = lead_stage_history(connection, self.lead_id)
        self.timeline_box.show_entries(entries)
        self.history_box.show_changes(changes)

    # -- values --------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form holds now, as lead field values (owner as a name)."""
        values = {name: editor.value() for name, editor in self.editors.items()}
        values["owner"] = self.owner_editor.value()
        values["temperature"] = self.temperature.currentData()
        values["stage"] = self.stage.currentData()
        if self._consent_date is not None:
            values["consent_date"] = self._consent_date
        return values

    def changed_values(self) -> dict[str, Any]:
        values = self.values()
        return {name: value for name, value in values.items() if self._original.get(name) != value}

    def is_dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def _on_edited(self) -> None:
        if self._loading:
            return
        changed = self.changed_values()
        self._set_dirty(bool(changed))
        self._recompute_timer.start()
        if _IDENTITY_FIELDS & changed.keys() or self.lead_id is None:
            self._check_duplicates()

    def _check_duplicates(self) -> None:
        values = self.values()
        self.duplicates.check({name: values.get(name) for name in _IDENTITY_FIELDS}, self.lead_id)

    def _merge_with(self, other_id: int) -> None:
        """The duplicate banner's *Merge…*: save what was typed, then merge the two."""
        from leaddesk.ui.merge_dialog import merge_with_duplicate

        if merge_with_duplicate(self._runner, self, other_id, self) is not None:
            self.duplicates.check_now()

    # -- live profile and score ------------------------------------------------

    def recompute(self) -> None:
        """Meters, next questions, header and score from what the form holds now."""
        self._recompute_timer.stop()
        values = self.values()
        show_meters(self, values)

        show_next_questions(self, values)

        self._update_consent_info(values)
        show_title(self, values)
        show_score(self, values)

    def _update_consent_info(self, values: Mapping[str, Any]) -> None:
        consent = values.get("consent") or Consent.UNKNOWN.value
        if consent == Consent.UNKNOWN:
            text = "Ask before sending marketing email."
        else:
            when = self._consent_date if consent == self._original.get("consent") else None
            verb = "Granted" if consent == Consent.GRANTED else "Denied: no marketing actions"
            text = verb + (f" since {when.astimezone():%d %b %Y}" if when else "")
            if values.get("consent_source"):
                text += f" (via {values['consent_source']})"
        self.consent_info.setText(text)

    def accept_suggestion(self) -> None:
        """Set the temperature the score suggests (asking what a move hotter needs)."""
        if self.last_score is None:
            return
        target = self.last_score.suggested_temperature.value
        index = self.temperature.findData(target)
        self.temperature.setCurrentIndex(index)
        if not self._pipeline_chosen("temperature"):
            return
        if self.lead_id is not None:
            self.save()

    # -- pipeline moves --------------------------------------------------------

    def _pipeline_chosen(self, which: str) -> bool:
        """The user picked a temperature or stage: ask what a move hotter needs.

        Cancel puts the previous choice back; returns whether the change stands.
        """
        return pipeline_chosen(self, which)

    # -- questions -------------------------------------------------------------

    def _question_clicked(self, item: QListWidgetItem) -> None:
        name = item.data(Qt.ItemDataRole.UserRole)
        if name:
            self.focus_field(name)

    def focus_field(self, name: str) -> None:
        """Open the field's section, scroll to it and put the cursor in it."""
        editor = self.editors.get(name)
        if editor is None:
            return
        tier = FIELDS_BY_NAME[name].tier
        if tier in self.sections:
            self.sections[tier].set_expanded(True)
        if self.compact:
            self.tabs.setCurrentWidget(self.profile_scroll)
        editor.focus()
        # Bound to the form: a timer must not outlive the widgets it touches.
        QTimer.singleShot(
            0, self, lambda: self.profile_scroll.ensureWidgetVisible(editor.container)
        )

    # -- saving ----------------------------------------------------------------

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def save(self) -> bool:
        """Store the form; False (with the reason shown) when it cannot be stored yet."""
        return save_form(self)

    def revert(self) -> None:
        """Drop unsaved edits."""
        if self.lead_id is None:
            self.new()
        else:
            self.load(self.lead_id)

    # -- activities --------------------------------------------------------------

    def log(self, kind: str, when: dt.datetime | None, text: str) -> None:
        """Log an activity from the timeline's Log row (``when`` None: now)."""
        if self.lead_id is None:
            return
        # One undo step: "Undo Log call on Anna Schäfer" (see leaddesk/ui/undo.py).
        step = f"Log {str(kind).replace('_', ' ')} on {{leads}}"
        result = self._runner.run_undoable(
            step, [self.lead_id], log_activity, self.lead_id, kind, text, when
        )
        if result is None:
            return
        self.log_text.clear()
        self._refresh_from_database()

    def _refresh_from_database(self) -> None:
        """After a change elsewhere: reload, keeping unsaved edits when there are any."""
        refresh_from_database(self)

    def _on_changed(self, changes: Changes) -> None:
        if changes.settings:
            # Also for a new lead being typed: its lists are the settings' too.
            self._read_settings()
            reasons = self.editors["disqualification_reason"]
            if isinstance(reasons, ChoiceEditor):
                reasons.set_choices(self._reasons)
            # Team members added or removed (Settings → Team, an import).
            self.owner_editor.set_choices(self._owners)
        if self.lead_id is None:
            return
        if self.lead_id in changes.deleted:
            self.new()
            return
        if self.lead_id in changes.leads or changes.settings:
            QTimer.singleShot(0, self, self._refresh_from_database)
