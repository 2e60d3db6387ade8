"""Which fields the lead form shows where: the pipeline row, each tier's section, wide fields."""

from __future__ import annotations

from leaddesk.core.fields import FIELDS_BY_NAME, LEAD_FIELDS, Tier
from leaddesk.core.profiling import TIER_ORDER

# Shown in the pipeline row at the top, not in a tier section.
PIPELINE_FIELDS = ("temperature", "stage", "owner")
# consent_date is set when the consent changes, not typed.
_NOT_EDITED = {"consent_date", "notes", *PIPELINE_FIELDS}
# Each section's fields in the order they pair up in two columns; a field that
# joined the registry later lands at the end of its tier's section.
_LAYOUT: dict[Tier, tuple[str, ...]] = {
    Tier.CAPTURE: (
        "first_name", "last_name", "email", "phone", "company", "source", "campaign",
        "enquiry", "consent", "consent_source",
    ),
    Tier.COLD: ("job_title", "industry", "company_size", "country", "website", "preferred_channel"),
    Tier.WARM: ("need", "product_interest", "budget_range", "current_solution", "competitors"),
    Tier.HOT: (
        "budget_confirmed", "decision_maker", "expected_close_date", "deal_value", "next_step",
        "other_deciders",
    ),
    Tier.CLOSED: ("won_date", "won_value", "disqualification_reason"),
}  # fmt: skip
# Full width in two columns: long text, and values that are long to read.
WIDE_FIELDS = frozenset({"email", "next_step", "other_deciders"})
SECTION_FIELDS: dict[Tier, tuple[str, ...]] = {
    tier: tuple(
        name
        for name in _LAYOUT[tier] + tuple(field.name for field in LEAD_FIELDS if field.tier is tier)
        if name not in _NOT_EDITED and FIELDS_BY_NAME[name].tier is tier
    )
    for tier in TIER_ORDER
}
SECTION_FIELDS = {tier: tuple(dict.fromkeys(names)) for tier, names in SECTION_FIELDS.items()}
