"""The lead form's score, computed live from what the form holds, with every rule that fired."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from leaddesk.core.fields import Consent, Temperature
from leaddesk.core.scoring import (
    DEFAULT_RULES,
    LeadFacts,
    ScoreResult,
    ScoreRule,
    ScoreSettings,
    score_lead,
)
from leaddesk.ui.lead_form.activity_boxes import ScoreBox


def live_facts(values: Mapping[str, Any], base: LeadFacts, now: dt.datetime) -> LeadFacts:
    """The facts to score: the fields as the form holds them, the activity as stored (``base``)."""
    size = values.get("company_size")
    consent = values.get("consent") or Consent.UNKNOWN.value
    return LeadFacts(
        job_title=values.get("job_title"),
        company_size=size if isinstance(size, int) else None,
        country=values.get("country"),
        email=values.get("email"),
        consent=Consent(consent),
        activity_counts=base.activity_counts,
        last_activity_at=base.last_activity_at,
        created_at=base.created_at or now,
    )


class LiveScoreBox(ScoreBox):
    """The score box that scores the form's values itself, with the team's rules.

    ``accept_requested`` (from ScoreBox) asks for the suggested temperature;
    ``last_result`` is what it showed last.
    """

    def __init__(self, now: Callable[[], dt.datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._rules: list[ScoreRule] = list(DEFAULT_RULES)
        self._settings = ScoreSettings()
        self._base = LeadFacts()
        self.last_result: ScoreResult | None = None

    def set_rules(self, rules: Sequence[ScoreRule], settings: ScoreSettings) -> None:
        """The team's rules and thresholds (Settings → Scoring), from the next ``show_for``."""
        self._rules = list(rules)
        self._settings = settings

    def set_base_facts(self, facts: LeadFacts) -> None:
        """What the form does not hold: the lead's activity and when it was created."""
        self._base = facts

    def show_for(self, values: Mapping[str, Any]) -> ScoreResult:
        """Score ``values`` with the stored activity facts; show the result and keep it."""
        now = self._now()
        facts = live_facts(values, self._base, now)
        result = score_lead(facts, self._rules, self._settings, now=now)
        self.last_result = result
        self.show_result(result, values.get("temperature") or Temperature.COLD.value)
        return result
