"""The lead form's score, computed live from what the form holds (shown in its ScoreBox)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from leaddesk.core.fields import Consent, Temperature
from leaddesk.core.scoring import LeadFacts, score_lead

if TYPE_CHECKING:
    from leaddesk.ui.lead_form.form import LeadForm


def show_score(form: LeadForm, values: Mapping[str, Any]) -> None:
    """Score ``values`` with the stored activity facts; show the result and keep it."""
    size = values.get("company_size")
    consent = values.get("consent") or Consent.UNKNOWN.value
    base = form._base_facts
    facts = LeadFacts(
        job_title=values.get("job_title"),
        company_size=size if isinstance(size, int) else None,
        country=values.get("country"),
        email=values.get("email"),
        consent=Consent(consent),
        activity_counts=base.activity_counts,
        last_activity_at=base.last_activity_at,
        created_at=base.created_at or form._runner.ctx.clock.now(),
    )
    result = score_lead(facts, form._rules, form._score_settings, now=form._runner.ctx.clock.now())
    form.last_score = result
    form.score_box.show_result(result, values.get("temperature") or Temperature.COLD.value)
