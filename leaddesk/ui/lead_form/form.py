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

The form puts together parts that own their widgets and talk by signals:
FormHeader (header), PipelineRow (pipeline_row), NextQuestionsBox
(next_questions), FieldSections (sections), LiveScoreBox (live_score) and the
activity boxes (activity_boxes), arranged by form_layout. Its state rules (what
changed, taking changes made elsewhere, what to save) are plain functions in
form_state; lead_store reads the lead, its history and the settings the form
follows, and saves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.fields import FIELDS_BY_NAME, Consent, Stage, Temperature
from leaddesk.core.profiling import lead_completeness, move_gate
from leaddesk.core.scoring import LeadFacts
from leaddesk.operations.activities import log_activity
from leaddesk.operations.changes import Changes
from leaddesk.ui.lead_form.activity_boxes import FollowUpsBox, StageHistoryBox, TimelineBox
from leaddesk.ui.lead_form.duplicate_warning import DuplicateWarning
from leaddesk.ui.lead_form.field_editors import (
    ChoiceEditor,
    FieldEditor,
    LongTextEditor,
    TextEditor,
    make_editor,
)
from leaddesk.ui.lead_form.field_layout import SECTION_FIELDS
from leaddesk.ui.lead_form.form_layout import activity_side, error_line, profile_side
from leaddesk.ui.lead_form.form_state import (
    LoadedLead,
    changed_values,
    consent_text,
    outside_changes,
    plan_save,
    save_problem,
    take_outside_changes,
)
from leaddesk.ui.lead_form.gate_dialog import ask_gate
from leaddesk.ui.lead_form.header import FormHeader
from leaddesk.ui.lead_form.lead_store import (
    StoredLead,
    read_default_owner,
    read_form_settings,
    read_history,
    read_lead,
    store_lead,
)
from leaddesk.ui.lead_form.live_score import LiveScoreBox
from leaddesk.ui.lead_form.next_questions import NextQuestionsBox
from leaddesk.ui.lead_form.pipeline_row import PipelineRow
from leaddesk.ui.lead_form.sections import FieldSections
from leaddesk.ui.runner import OperationRunner

# What duplicates are recognised by (leaddesk.storage.duplicates).
_IDENTITY_FIELDS = frozenset({"first_name", "last_name", "email", "phone", "company"})
# The pipeline row's fields, in the order the form fills them.
_PIPELINE_FIELDS = ("owner", "temperature", "stage")


class LeadForm(QWidget):
    """View and edit one lead (or a new one); ``save()`` stores it through the operations."""

    saved = Signal(int)
    # The user asked to see another lead (a duplicate's *Open* link).
    open_requested = Signal(int)
    dirty_changed = Signal(bool)

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
        # Only _show_loaded sets these two, so they always tell the same lead.
        self.lead_id: int | None = None
        self._loaded = LoadedLead()
        self._loading = False
        self._dirty = False
        self._settings = read_form_settings(self._runner)

        self._build()
        self._recompute_timer = QTimer(self)
        self._recompute_timer.setSingleShot(True)
        self._recompute_timer.setInterval(0)
        self._recompute_timer.timeout.connect(self.recompute)
        runner.changed.connect(self._on_changed)
        self.new()

    # -- building ------------------------------------------------------------

    def _build(self) -> None:
        self._build_editors()
        self.header = FormHeader()
        self.pipeline = PipelineRow(self._settings.owners)
        self.pipeline.edited.connect(self._on_edited)
        self.pipeline.chosen.connect(self._pipeline_chosen)
        self.error = error_line(self.palette())
        # "this looks like a lead you already have", checked as identity fields change
        self.duplicates = DuplicateWarning(self._runner, self)
        self.saved.connect(self.duplicates.record_for)
        self.duplicates.merge_requested.connect(self._merge_with)
        self.duplicates.open_requested.connect(self.open_requested.emit)
        self.questions_box = NextQuestionsBox()
        self.questions_box.field_requested.connect(self.focus_field)
        self.field_sections = FieldSections(
            self.editors, self.notes_editor, columns=1 if self.compact else 2
        )
        self.profile_scroll = profile_side(self.pipeline, self.questions_box, self.field_sections)

        self.score_box = LiveScoreBox(self._runner.ctx.clock.now)
        self.score_box.set_rules(self._settings.rules, self._settings.score_settings)
        self.score_box.accept_requested.connect(self.accept_suggestion)
        self.follow_ups_box = FollowUpsBox(self._runner)
        self.history_box = StageHistoryBox()
        self.timeline_box = TimelineBox()
        self.timeline_box.log_requested.connect(self.log)
        self.activity_scroll = activity_side(
            self.score_box, self.follow_ups_box, self.history_box, self.timeline_box
        )
        self._name_parts()
        self._lay_out()

    def _build_editors(self) -> None:
        """An editor per field of the sections, and the notes."""
        self.editors: dict[str, FieldEditor] = {}
        self.edits: dict[str, QLineEdit] = {}
        for names in SECTION_FIELDS.values():
            for name in names:
                choices = self._settings.reasons if name == "disqualification_reason" else None
                editor = make_editor(
                    name, self, choices=choices, default_region=self._settings.region
                )
                self.editors[name] = editor
                if isinstance(editor, TextEditor):
                    self.edits[name] = editor.line
                editor.changed.connect(self._on_edited)
                if name == "consent":
                    # What the consent allows and since when, under the field.
                    self.consent_info = QLabel()
                    self.consent_info.setObjectName("consentInfo")
                    self.consent_info.setWordWrap(True)
                    editor.box.addWidget(self.consent_info)
        self.notes_editor = make_editor("notes", self)
        self.editors["notes"] = self.notes_editor
        self.notes_editor.changed.connect(self._on_edited)
        assert isinstance(self.notes_editor, LongTextEditor)
        self.notes = self.notes_editor.edit
        self.notes.setPlaceholderText("What was said, what they need, anything worth remembering")
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 14)

    def _name_parts(self) -> None:
        """The parts' widgets that tests and callers reach for, by their old names."""
        self.temperature = self.pipeline.temperature
        self.stage = self.pipeline.stage
        self.owner = self.pipeline.owner
        self.questions = self.questions_box.questions
        self.sections = self.field_sections.sections
        self.score = self.score_box.score
        self.accept_suggestion_button = self.score_box.accept_button
        self.reasons = self.score_box.reasons
        self.history = self.history_box.history
        self.log_kind = self.timeline_box.kind
        self.log_time = self.timeline_box.time
        self.log_text = self.timeline_box.text
        self.log_button = self.timeline_box.button
        self.timeline = self.timeline_box.timeline

    def _lay_out(self) -> None:
        """Header, error line and duplicate warning over the profile and activity sides:
        side by side in the dialog, as two tabs in the compact side panel."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
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

    # -- loading -------------------------------------------------------------

    def _show_loaded(self, loaded: LoadedLead) -> None:
        self._loaded = loaded
        self.lead_id = loaded.lead_id

    def new(self, initial: Mapping[str, Any] | None = None) -> None:
        """An empty form for a new lead, with ``initial`` values filled in."""
        self._show_loaded(LoadedLead())
        self.score_box.set_base_facts(LeadFacts(created_at=self._runner.ctx.clock.now()))
        values: dict[str, Any] = {
            "temperature": Temperature.COLD.value,
            "stage": Stage.LEAD.value,
            "consent": Consent.UNKNOWN.value,
        }
        # Your leads are yours unless you choose someone else (Settings → Team).
        values["owner"] = read_default_owner(self._runner)
        values.update(initial or {})
        self._fill(values)
        self.header.show_first_contact(None)
        self._load_history()
        self._set_dirty(False)
        self.recompute()
        self._check_duplicates()

    def load(self, lead_id: int) -> None:
        """Show lead ``lead_id`` as stored (unsaved edits are dropped)."""
        stored = read_lead(self._runner, lead_id)
        if stored is None:
            raise LookupError(f"There is no lead with id {lead_id}.")
        fields = stored.fields
        self._show_loaded(
            LoadedLead(
                lead_id=lead_id,
                version=stored.version,
                stored=dict(fields),
                stored_phone=fields["phone"],
                consent_date=fields["consent_date"],
            )
        )
        self.score_box.set_base_facts(stored.facts or LeadFacts())
        self._fill(fields)
        self.header.show_first_contact(stored.first_contacted_at)
        # Edits are measured against the values as the editors read them.
        self._show_loaded(replace(self._loaded, original=self.values()))
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
            for name in _PIPELINE_FIELDS:
                self.pipeline.set_value(name, values.get(name))
        finally:
            self._loading = False
        self.field_sections.fold_to(self.values())

    def _load_history(self) -> None:
        self.timeline_box.reset_time(self._runner.ctx.clock.now())
        self.follow_ups_box.show_lead(self.lead_id)
        if self.lead_id is None:
            self.timeline_box.show_entries(None)
            self.history_box.show_changes(None)
            return
        entries, changes = read_history(self._runner, self.lead_id)
        self.timeline_box.show_entries(entries)
        self.history_box.show_changes(changes)

    # -- values --------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form holds now, as lead field values (owner as a name)."""
        values = {name: editor.value() for name, editor in self.editors.items()}
        values.update(self.pipeline.values())
        if self._loaded.consent_date is not None:
            values["consent_date"] = self._loaded.consent_date
        return values

    def changed_values(self) -> dict[str, Any]:
        return changed_values(self.values(), self._loaded.original)

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
        if self.error.isVisible():
            self._clear_fixed_error()
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
        completeness = lead_completeness(values)
        self.field_sections.show_progress(values, completeness)
        self.header.show_completeness(completeness["overall"])
        self.questions_box.show_for(values)
        self.consent_info.setText(
            consent_text(values, self._loaded.original.get("consent"), self._loaded.consent_date)
        )
        self.header.show_lead(values, is_new=self.lead_id is None)
        self.score_box.show_for(values)

    def accept_suggestion(self) -> None:
        """Set the temperature the score suggests (asking what a move hotter needs)."""
        result = self.score_box.last_result
        if result is None:
            return
        target = result.suggested_temperature.value
        self.pipeline.pick("temperature", target)
        if not self._pipeline_chosen("temperature", target):
            return
        if self.lead_id is not None:
            self.save()

    # -- pipeline moves --------------------------------------------------------

    def _pipeline_chosen(self, which: str, chosen: str) -> bool:
        """The user picked a temperature or stage: ask what a move hotter needs.

        Cancel puts the previous choice back; returns whether the change stands.
        """
        previous = self.pipeline.settled(which)
        if chosen == previous:
            return True
        values = self.values()
        values[which] = previous
        gate = move_gate(values, **{which: chosen})
        if gate:
            label = self.pipeline.picked_label(which)
            answer = ask_gate(self._runner, values, gate, label, self)
            if answer is None:
                self.pipeline.put_back(which)
                return False
            for name, value in answer.items():
                self.editors[name].set_value(value)
        self.pipeline.settle(which)
        won_date = self.editors["won_date"]
        if which == "stage" and chosen == Stage.CUSTOMER and won_date.is_empty():
            won_date.set_value(self._runner.ctx.clock.now().astimezone().date())
        self.field_sections.open_reached(self.values())
        self._on_edited()
        return True

    # -- questions -------------------------------------------------------------

    def focus_field(self, name: str) -> None:
        """Open the field's section, scroll to it and put the cursor in it."""
        editor = self.editors.get(name)
        if editor is None:
            return
        self.field_sections.open_tier(FIELDS_BY_NAME[name].tier)
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

    def _clear_fixed_error(self) -> None:
        # A refused save's message goes as soon as the value is fixed, not at the next
        # save: a red "needs a name" under a typed name reads as a second problem.
        if any(editor.problem() for editor in self.editors.values()):
            return
        if save_problem(self.values()) is None:
            self._show_error("")
            for editor in self.editors.values():
                editor.refresh_message()

    def save(self) -> bool:
        """Store the form; False (with the reason shown) when it cannot be stored yet."""
        for editor in self.editors.values():
            editor.refresh_message()
        blocked = [name for name, editor in self.editors.items() if editor.problem()]
        if blocked:
            self._show_error("Some values cannot be saved yet; they are marked below.")
            self.focus_field(blocked[0])
            return False
        values = self.values()
        if problem := save_problem(values):
            if problem.field_message:
                self.editors[problem.field].show_message(problem.field_message, "error")
            self._show_error(problem.message)
            self.focus_field(problem.field)
            return False
        plan = plan_save(values, self._loaded, self._runner.ctx.clock.now())
        for name, value in plan.fills.items():
            self.editors[name].set_value(value)
        if plan.nothing_to_save:
            self._set_dirty(False)
            return True
        outcome = store_lead(self._runner, self.lead_id, self._loaded.version, plan)
        if outcome.lead_id is None:
            self._show_error(outcome.error)
            return False
        self._show_error("")
        self.load(outcome.lead_id)
        self.saved.emit(outcome.lead_id)
        return True

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

    # -- changes made elsewhere ----------------------------------------------------

    def _refresh_from_database(self) -> None:
        """After a change elsewhere: reload, keeping unsaved edits when there are any."""
        if self.lead_id is None:
            return
        if not self._dirty:
            try:
                self.load(self.lead_id)
            except LookupError:
                self.new()
            return
        stored = read_lead(self._runner, self.lead_id)
        if stored is None:
            return
        if stored.facts is not None:
            self.score_box.set_base_facts(stored.facts)
        # Not a field the user edits: shown as stored whatever is being typed.
        self.header.show_first_contact(stored.first_contacted_at)
        if stored.version != self._loaded.version:
            self._take_changes_from_elsewhere(stored)
        self._load_history()
        self.recompute()

    def _take_changes_from_elsewhere(self, stored: StoredLead) -> None:
        """Fields changed elsewhere (a drag on the board, a first contact) join the edits.

        Only when none of them is a field the user is editing: then the form shows
        the new values and saves against the new version. A field changed in both
        places is left to the save, which says the lead was changed elsewhere.
        """
        changes = outside_changes(self._loaded, stored.fields, self.values())
        if not changes.can_take:
            return
        self._loading = True
        try:
            for name, value in changes.moved.items():
                self._show_value(name, value)
        finally:
            self._loading = False
        self._show_loaded(
            take_outside_changes(
                self._loaded, changes, self.values(), stored.fields, stored.version
            )
        )
        self._set_dirty(bool(self.changed_values()))

    def _show_value(self, name: str, value: Any) -> None:
        """One field as stored, in whichever part shows it."""
        if name in self.editors:
            self.editors[name].set_value(value)
        elif name in _PIPELINE_FIELDS:
            self.pipeline.set_value(name, value)
        elif name == "consent_date":
            self._show_loaded(replace(self._loaded, consent_date=value))

    def _on_changed(self, changes: Changes) -> None:
        if changes.settings:
            # Also for a new lead being typed: its lists are the settings' too.
            self._settings = read_form_settings(self._runner)
            self.score_box.set_rules(self._settings.rules, self._settings.score_settings)
            reasons = self.editors["disqualification_reason"]
            if isinstance(reasons, ChoiceEditor):
                reasons.set_choices(self._settings.reasons)
            # Team members added or removed (Settings → Team, an import).
            self.pipeline.set_owner_choices(self._settings.owners)
        if self.lead_id is None:
            return
        if self.lead_id in changes.deleted:
            self.new()
            return
        if self.lead_id in changes.leads or changes.settings:
            QTimer.singleShot(0, self, self._refresh_from_database)
