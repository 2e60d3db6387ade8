"""The vocabulary of a lead: temperatures, stages, consent and every field.

Fields are declared once here (name, label, tier, kind) and everything else --
storage, the lead form, export columns, import targets, the JSON the CLI
prints -- reads this registry instead of keeping its own list.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Temperature(StrEnum):
    """The board's columns: how much interest a lead has shown."""

    COLD = "cold"
    WARM = "warm"
    HOT = "hot"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Stage(StrEnum):
    """Lifecycle stage, the second axis of the board."""

    LEAD = "lead"
    MQL = "mql"
    SQL = "sql"
    OPPORTUNITY = "opportunity"
    CUSTOMER = "customer"
    DISQUALIFIED = "disqualified"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]

    @property
    def rank(self) -> int:
        """Position in the funnel; Disqualified ranks last so it is never 'behind'."""
        return list(Stage).index(self)


_STAGE_LABELS = {
    Stage.LEAD: "Lead",
    Stage.MQL: "MQL",
    Stage.SQL: "SQL",
    Stage.OPPORTUNITY: "Opportunity",
    Stage.CUSTOMER: "Customer",
    Stage.DISQUALIFIED: "Disqualified",
}


class Consent(StrEnum):
    """Whether the lead agreed to be contacted."""

    UNKNOWN = "unknown"
    GRANTED = "granted"
    DENIED = "denied"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ActivityKind(StrEnum):
    """Something that happened with a lead. Signals feed the score."""

    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    NOTE = "note"
    PRICING_VISIT = "pricing_visit"
    CASE_STUDY_DOWNLOAD = "case_study_download"
    WEBINAR = "webinar"
    DEMO_REQUEST = "demo_request"
    QUOTE_REQUEST = "quote_request"
    EMAIL_OPENED = "email_opened"
    EMAIL_REPLIED = "email_replied"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_contact(self) -> bool:
        """A call, email or meeting counts as contacting the lead (speed-to-lead)."""
        return self in (ActivityKind.CALL, ActivityKind.EMAIL, ActivityKind.MEETING)


# How a follow-up can have been done: completing one logs one of these kinds on the
# lead. A note says the lead was not contacted; signals (a webinar, a demo request)
# are the lead's doing, so they never complete the salesperson's follow-up. The
# agenda's "Done — …" menu and `leaddesk done --kind` both offer these, in this order.
DONE_KINDS: tuple[ActivityKind, ...] = (
    ActivityKind.CALL,
    ActivityKind.EMAIL,
    ActivityKind.MEETING,
    ActivityKind.NOTE,
)


class Tier(StrEnum):
    """When a field is usually learned (progressive profiling)."""

    CAPTURE = "capture"
    COLD = "cold"
    WARM = "warm"
    HOT = "hot"
    CLOSED = "closed"


class FieldKind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    MONEY = "money"
    INTEGER = "integer"
    CHOICE = "choice"
    OWNER = "owner"


@dataclass(frozen=True, slots=True)
class LeadField:
    """One editable, importable and exportable attribute of a lead."""

    name: str
    label: str
    tier: Tier
    kind: FieldKind = FieldKind.TEXT
    choices: tuple[str, ...] = ()
    # The storage column when it differs: money is kept as integer cents, the
    # owner as a reference to the team member.
    column: str = ""

    @property
    def column_name(self) -> str:
        return self.column or self.name


DISQUALIFICATION_REASONS: tuple[str, ...] = (
    "No budget",
    "No need",
    "No authority",
    "Bad timing",
    "Unresponsive",
    "Competitor",
    "Invalid contact",
    "Duplicate",
    "Other",
)

SOURCES: tuple[str, ...] = (
    "Website form",
    "Referral",
    "Event",
    "Cold outreach",
    "Email marketing",
    "Organic search",
    "Paid search",
    "Social media",
    "Phone",
    "Partner",
    "Import",
    "Other",
)

PREFERRED_CHANNELS: tuple[str, ...] = ("Email", "Phone", "Video call", "In person", "Chat")

LEAD_FIELDS: tuple[LeadField, ...] = (
    # capture
    LeadField("first_name", "First name", Tier.CAPTURE),
    LeadField("last_name", "Last name", Tier.CAPTURE),
    LeadField("email", "Email", Tier.CAPTURE, FieldKind.EMAIL),
    LeadField("phone", "Phone", Tier.CAPTURE, FieldKind.PHONE),
    LeadField("company", "Company", Tier.CAPTURE),
    LeadField("source", "Source", Tier.CAPTURE, FieldKind.CHOICE, SOURCES),
    LeadField("campaign", "Campaign", Tier.CAPTURE),
    LeadField("enquiry", "First message", Tier.CAPTURE, FieldKind.LONG_TEXT),
    LeadField("consent", "Consent", Tier.CAPTURE, FieldKind.CHOICE, tuple(Consent)),
    LeadField("consent_date", "Consent date", Tier.CAPTURE, FieldKind.DATETIME),
    LeadField("consent_source", "Consent source", Tier.CAPTURE),
    # cold
    LeadField("job_title", "Job title", Tier.COLD),
    LeadField("website", "Website", Tier.COLD, FieldKind.URL),
    LeadField("country", "Country / region", Tier.COLD),
    LeadField("industry", "Industry", Tier.COLD),
    LeadField("company_size", "Company size", Tier.COLD, FieldKind.INTEGER),
    LeadField(
        "preferred_channel", "Preferred channel", Tier.COLD, FieldKind.CHOICE, PREFERRED_CHANNELS
    ),
    # warm
    LeadField("need", "Need / pain", Tier.WARM, FieldKind.LONG_TEXT),
    LeadField("product_interest", "Product interest", Tier.WARM),
    LeadField("budget_range", "Budget range", Tier.WARM),
    LeadField("current_solution", "Current solution", Tier.WARM),
    LeadField("competitors", "Competitors considered", Tier.WARM),
    # hot (BANT)
    LeadField("budget_confirmed", "Budget confirmed", Tier.HOT, FieldKind.BOOL),
    LeadField("decision_maker", "Decision maker", Tier.HOT, FieldKind.BOOL),
    LeadField("other_deciders", "Who else decides", Tier.HOT),
    LeadField("expected_close_date", "Expected close date", Tier.HOT, FieldKind.DATE),
    LeadField("deal_value", "Deal value", Tier.HOT, FieldKind.MONEY, column="deal_value_cents"),
    LeadField("next_step", "Next step agreed", Tier.HOT),
    # closed
    LeadField("won_date", "Won date", Tier.CLOSED, FieldKind.DATE),
    LeadField("won_value", "Won value", Tier.CLOSED, FieldKind.MONEY, column="won_value_cents"),
    LeadField(
        "disqualification_reason",
        "Disqualification reason",
        Tier.CLOSED,
        FieldKind.CHOICE,
        DISQUALIFICATION_REASONS,
    ),
    # pipeline state (not a profiling tier, but editable, importable, exportable)
    LeadField("owner", "Owner", Tier.CAPTURE, FieldKind.OWNER, column="owner_id"),
    LeadField("temperature", "Temperature", Tier.CAPTURE, FieldKind.CHOICE, tuple(Temperature)),
    LeadField("stage", "Stage", Tier.CAPTURE, FieldKind.CHOICE, tuple(Stage)),
    LeadField("notes", "Notes", Tier.CAPTURE, FieldKind.LONG_TEXT),
)

FIELDS_BY_NAME: dict[str, LeadField] = {field.name: field for field in LEAD_FIELDS}

# A lead must be identifiable by at least one of these.
IDENTIFYING_FIELDS: tuple[str, ...] = ("first_name", "last_name", "email", "phone")


def display_name(first_name: str | None, last_name: str | None, email: str | None = None) -> str:
    """The name a card shows: the person's name, else the email, else a placeholder."""
    name = " ".join(part for part in (first_name, last_name) if part)
    return name or email or "(no name)"


def initials(name: str | None) -> str:
    """Two-letter initials for an owner badge ('Sam Seller' -> 'SS', 'Cher' -> 'CH')."""
    words = [word for word in (name or "").replace("-", " ").split() if word[:1].isalpha()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


class BoardGrouping(StrEnum):
    """What the board's columns stand for."""

    TEMPERATURE = "temperature"
    STAGE = "stage"

    @property
    def values(self) -> tuple[Temperature, ...] | tuple[Stage, ...]:
        return tuple(Temperature) if self is BoardGrouping.TEMPERATURE else tuple(Stage)

    def parse(self, value: str) -> Temperature | Stage:
        return Temperature(value) if self is BoardGrouping.TEMPERATURE else Stage(value)
