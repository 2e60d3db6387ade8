"""Progressive profiling: which tiers a lead has reached, how complete each is,
what to ask next, and which fields a move hotter should ask for.

The tiers are DOMAIN.md's (capture, cold, warm, hot, closed; see
``leaddesk.core.fields.Tier``). A lead *reaches* a tier through its temperature
or its lifecycle stage, whichever is further along:

========================  =======  ===============================
tier                      by temp  by stage
========================  =======  ===============================
capture, cold             always   always
warm                      warm     MQL
hot                       hot      SQL, Opportunity (BANT is asked
                                   while sales qualifies the lead)
closed                    --       Customer, Disqualified
========================  =======  ===============================

Each tier has a few *key fields*: the ones completeness counts and a move into
the tier asks for. Optional extras (campaign, who else decides, ...) are on the
form but do not make a lead look incomplete.

"Next questions" are the missing key fields that matter for the lead's next
step, most useful first: a way to reach the lead before anything else, then the
questions of the tier the lead is in (a warm lead: need, budget range,
timeline), then anything missing from the tiers reached (nearest first), then
the first questions of the tier that comes next (a cold lead whose fit is known
is asked about its need).

Values are read by field name (``deal_value``), falling back to the storage
column (``deal_value_cents``), so a dict from the form, a database row mapping
and a ``leaddesk list --json`` record all work. A value counts as filled unless
it is None, blank text, or consent "unknown"; ``False`` ("budget not
confirmed") is an answer and counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from leaddesk.core.fields import FIELDS_BY_NAME, Consent, Stage, Temperature, Tier

TIER_ORDER: tuple[Tier, ...] = (Tier.CAPTURE, Tier.COLD, Tier.WARM, Tier.HOT, Tier.CLOSED)

TIER_LABELS: dict[Tier, str] = {
    Tier.CAPTURE: "Contact",
    Tier.COLD: "Fit (cold)",
    Tier.WARM: "Need (warm)",
    Tier.HOT: "Deal (hot)",
    Tier.CLOSED: "Outcome (closed)",
}

_TEMPERATURE_TIER: dict[Temperature, Tier] = {
    Temperature.COLD: Tier.COLD,
    Temperature.WARM: Tier.WARM,
    Temperature.HOT: Tier.HOT,
}
_STAGE_TIER: dict[Stage, Tier] = {
    Stage.LEAD: Tier.COLD,
    Stage.MQL: Tier.WARM,
    Stage.SQL: Tier.HOT,
    Stage.OPPORTUNITY: Tier.HOT,
    Stage.CUSTOMER: Tier.CLOSED,
    Stage.DISQUALIFIED: Tier.CLOSED,
}

# A hot lead's questions are both its key fields and what a move to hot asks for.
_HOT_QUESTIONS = (
    "budget_confirmed",
    "decision_maker",
    "expected_close_date",
    "deal_value",
    "next_step",
)
# What completeness counts, per tier. The closed tier depends on the outcome
# (see key_fields).
KEY_FIELDS: dict[Tier, tuple[str, ...]] = {
    Tier.CAPTURE: ("first_name", "last_name", "email", "phone", "company", "source", "consent"),
    Tier.COLD: ("job_title", "website", "country", "industry", "company_size", "preferred_channel"),
    Tier.WARM: ("need", "product_interest", "budget_range", "current_solution", "competitors"),
    Tier.HOT: _HOT_QUESTIONS,
    Tier.CLOSED: ("won_date", "won_value"),
}
_DISQUALIFIED_KEY_FIELDS = ("disqualification_reason",)
# Every key field of a lead, by whether it is disqualified (see key_fields).
_ALL_KEY_FIELDS: dict[bool, tuple[str, ...]] = {
    disqualified: tuple(
        dict.fromkeys(
            name
            for tier, names in KEY_FIELDS.items()
            for name in (
                _DISQUALIFIED_KEY_FIELDS if tier is Tier.CLOSED and disqualified else names
            )
        )
    )
    for disqualified in (False, True)
}

# What a move into a tier asks for: the questions that tier exists to answer.
GATE_FIELDS: dict[Tier, tuple[str, ...]] = {
    Tier.CAPTURE: (),
    Tier.COLD: (),
    Tier.WARM: ("need", "product_interest", "budget_range"),
    Tier.HOT: _HOT_QUESTIONS,
    Tier.CLOSED: (),
}

# Most useful first, for a lead whose furthest tier is the key. "Timeline" for a
# warm lead is the expected close date: when they mean to decide.
_PRIORITIES: dict[Tier, tuple[str, ...]] = {
    Tier.CAPTURE: ("email", "phone", "company", "first_name", "last_name"),
    Tier.COLD: ("job_title", "company_size", "industry", "country", "website"),
    Tier.WARM: ("need", "budget_range", "expected_close_date", "product_interest"),
    Tier.HOT: (
        "budget_confirmed",
        "decision_maker",
        "expected_close_date",
        "next_step",
        "deal_value",
    ),
    Tier.CLOSED: ("won_value", "won_date"),
}

MAX_QUESTIONS = 4

QUESTION_PROMPTS: dict[str, str] = {
    "first_name": "What is their name?",
    "last_name": "What is their last name?",
    "email": "What is their email address?",
    "phone": "What is their phone number?",
    "company": "Which company are they with?",
    "source": "How did they find us?",
    "consent": "May we contact them?",
    "job_title": "What is their role?",
    "website": "What is their website?",
    "country": "Where are they based?",
    "industry": "Which industry are they in?",
    "company_size": "How many people work there?",
    "preferred_channel": "How do they like to be contacted?",
    "need": "What problem are they trying to solve?",
    "product_interest": "Which product are they interested in?",
    "budget_range": "What budget do they have in mind?",
    "current_solution": "What do they use today?",
    "competitors": "Who else are they looking at?",
    "budget_confirmed": "Is the budget confirmed?",
    "decision_maker": "Are they the decision maker?",
    "expected_close_date": "When do they want to decide?",
    "deal_value": "What is the deal worth?",
    "next_step": "What next step did you agree?",
    "won_date": "When was it won?",
    "won_value": "What was the deal worth in the end?",
    "disqualification_reason": "Why is the lead disqualified?",
}


@dataclass(frozen=True, slots=True)
class Question:
    """A missing field worth asking about, with how to ask it."""

    field: str
    label: str
    prompt: str
    tier: Tier


@dataclass(frozen=True, slots=True)
class Gate:
    """What a move asks for before it is made.

    ``fields`` are the missing key fields of the target tier, which the user may
    fill or skip; ``required`` must be answered or the move is not made (the
    reason a lead is disqualified).
    """

    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    target_tier: Tier | None = None

    def __bool__(self) -> bool:
        return bool(self.fields or self.required)


def tier_rank(tier: Tier) -> int:
    return TIER_ORDER.index(tier)


def _enum_or(value: Any, enum: type[Temperature] | type[Stage], default: Any) -> Any:
    try:
        return enum(str(value).lower()) if value else default
    except ValueError:
        return default


def level(temperature: Any = None, stage: Any = None) -> Tier:
    """The furthest tier reached by a temperature and a stage (either may be None)."""
    by_temperature = _TEMPERATURE_TIER[_enum_or(temperature, Temperature, Temperature.COLD)]
    by_stage = _STAGE_TIER[_enum_or(stage, Stage, Stage.LEAD)]
    return max(by_temperature, by_stage, key=tier_rank)


def reached_tiers(values: Mapping[str, Any]) -> tuple[Tier, ...]:
    """The tiers a lead has reached, in order (capture and cold always)."""
    furthest = level(values.get("temperature"), values.get("stage"))
    return TIER_ORDER[: tier_rank(furthest) + 1]


def is_filled(values: Mapping[str, Any], name: str) -> bool:
    value = values.get(name)
    if value is None and (field := FIELDS_BY_NAME.get(name)) is not None:
        value = values.get(field.column_name)
    if value is None:
        return False
    if isinstance(value, str):
        stripped = value.strip()
        return bool(stripped) and not (name == "consent" and stripped.lower() == Consent.UNKNOWN)
    return True


def key_fields(tier: Tier, values: Mapping[str, Any]) -> tuple[str, ...]:
    """The key fields of ``tier`` for this lead (a disqualified lead closes with a reason)."""
    return _key_fields(tier, _is_disqualified(values))


def _is_disqualified(values: Mapping[str, Any]) -> bool:
    return _enum_or(values.get("stage"), Stage, None) is Stage.DISQUALIFIED


def _key_fields(tier: Tier, disqualified: bool) -> tuple[str, ...]:
    if tier is Tier.CLOSED and disqualified:
        return _DISQUALIFIED_KEY_FIELDS
    return KEY_FIELDS[tier]


def tier_completeness(tier: Tier, values: Mapping[str, Any]) -> float:
    """Filled key fields of ``tier`` over all of them, 0.0 to 1.0."""
    names = key_fields(tier, values)
    if not names:
        return 1.0
    return sum(is_filled(values, name) for name in names) / len(names)


def lead_completeness(values: Mapping[str, Any]) -> dict[str, float]:
    """Completeness of a lead: one fraction (0.0-1.0) per tier, plus ``overall``.

    Keys are the tier names ("capture", "cold", "warm", "hot", "closed") and
    "overall": the filled key fields of the tiers the lead has reached over all
    key fields of those tiers. Every tier is reported, reached or not, so a
    script can see how much of a cold lead's warm tier is already known.
    ``values`` is any mapping of lead fields by name or storage column (a
    ``leaddesk list --json`` record works as it is).
    """
    # Each key field judged once, and the fractions worked out once per shape of
    # lead: listing 100,000 leads asks this of each.
    disqualified = _is_disqualified(values)
    furthest = level(values.get("temperature"), values.get("stage"))
    candidates = _ALL_KEY_FIELDS[disqualified]
    filled = frozenset(name for name in candidates if is_filled(values, name))
    return dict(_completeness_of(filled, furthest, disqualified))


@lru_cache(maxsize=4096)
def _completeness_of(
    filled: frozenset[str], furthest: Tier, disqualified: bool
) -> tuple[tuple[str, float], ...]:
    """lead_completeness of a lead with these key fields filled, as (key, fraction) pairs."""
    fields_of = {tier: _key_fields(tier, disqualified) for tier in TIER_ORDER}
    result = [
        (tier.value, round(sum(name in filled for name in names) / len(names), 4) if names else 1.0)
        for tier, names in fields_of.items()
    ]
    reached = [name for tier in TIER_ORDER[: tier_rank(furthest) + 1] for name in fields_of[tier]]
    done = sum(name in filled for name in reached)
    result.append(("overall", round(done / len(reached), 4) if reached else 1.0))
    return tuple(result)


def completeness(values: Mapping[str, Any]) -> float:
    """The single figure a card shows: completeness of the tiers reached."""
    return lead_completeness(values)["overall"]


def _question(name: str) -> Question:
    field = FIELDS_BY_NAME[name]
    return Question(name, field.label, QUESTION_PROMPTS.get(name, f"{field.label}?"), field.tier)


def next_questions(values: Mapping[str, Any], limit: int = MAX_QUESTIONS) -> tuple[Question, ...]:
    """The few missing fields that matter for the lead's next step, most useful first."""
    furthest = level(values.get("temperature"), values.get("stage"))
    candidates: list[str] = []
    # Nobody can follow up a lead they cannot reach.
    if not is_filled(values, "email") and not is_filled(values, "phone"):
        candidates.append("email")
    if furthest is Tier.CLOSED:
        # The deal is over: only its outcome is still worth recording.
        outcome = key_fields(Tier.CLOSED, values)
        candidates.extend(name for name in _PRIORITIES[Tier.CLOSED] if name in outcome)
        candidates.extend(outcome)
    else:
        candidates.extend(_PRIORITIES[furthest])
        # Then what is missing nearest the lead's tier: a hot lead's need before its website.
        for tier in reversed(TIER_ORDER[1 : tier_rank(furthest) + 1]):
            candidates.extend(key_fields(tier, values))
        following = TIER_ORDER[tier_rank(furthest) + 1]
        if following is not Tier.CLOSED:
            candidates.extend(_PRIORITIES[following])
    chosen: list[str] = []
    for name in candidates:
        if name not in chosen and not is_filled(values, name):
            chosen.append(name)
        if len(chosen) >= limit:
            break
    return tuple(_question(name) for name in chosen)


def move_gate(
    values: Mapping[str, Any],
    *,
    temperature: Any = None,
    stage: Any = None,
) -> Gate:
    """What moving the lead to ``temperature`` and/or ``stage`` should ask for.

    A move that reaches a further tier asks for the target tier's missing key
    fields. Disqualified always requires a reason; Customer asks for the won
    value. A move that is not hotter asks for nothing.
    """
    target_stage = _enum_or(stage, Stage, None)
    if target_stage is Stage.DISQUALIFIED:
        required = (
            () if is_filled(values, "disqualification_reason") else ("disqualification_reason",)
        )
        return Gate(required=required, target_tier=Tier.CLOSED)
    if target_stage is Stage.CUSTOMER:
        fields = tuple(name for name in ("won_value",) if not is_filled(values, name))
        return Gate(fields=fields, target_tier=Tier.CLOSED)
    current = level(values.get("temperature"), values.get("stage"))
    target = level(
        temperature if temperature is not None else values.get("temperature"),
        stage if stage is not None else values.get("stage"),
    )
    if tier_rank(target) <= tier_rank(current):
        return Gate()
    fields = tuple(name for name in GATE_FIELDS[target] if not is_filled(values, name))
    return Gate(fields=fields, target_tier=target)
