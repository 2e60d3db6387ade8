"""Realistic demo leads: for trying LeadDesk out, screenshots and benchmarks."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from typing import Any

from sqlalchemy import func, select

from leaddesk.core.fields import ActivityKind, Consent, Stage, Temperature
from leaddesk.core.normalize import company_key, normalize_email, normalize_phone
from leaddesk.operations.changes import Changes, Outcome
from leaddesk.operations.context import OperationContext
from leaddesk.operations.leads import owner_id_for
from leaddesk.operations.scoring import rescore_leads
from leaddesk.storage.lead_times import refresh_lead_times_where
from leaddesk.storage.schema import activities, follow_ups, leads, stage_history

FIRST_NAMES = (
    "Anna", "Émile", "Jürgen", "María", "Søren", "Fatima", "Wojciech", "Keiko", "Ulrike",
    "Quentin", "Hana", "Lars", "Noël", "Oğuz", "Renée", "Dmitri", "Xiu", "Yusuf", "Björn",
    "Grzegorz", "Ana", "Mary-Jane", "Chidi", "Priya", "Tomás", "Ingrid", "Mateo", "Sakura",
    "Liam", "Olivia", "Noah", "Amélie", "Zoë", "Kwame", "Aisha", "Pedro", "Siobhán", "Elif",
)  # fmt: skip
LAST_NAMES = (
    "Schäfer", "Gómez", "Östlund", "Rossi", "Nakamura", "Kowalski", "Håkansson", "Weiß",
    "Papadopoulos", "Fernández", "Quiñones", "Takács", "Eriksen", "Almeida", "Berg", "Ibáñez",
    "Jóhannsdóttir", "Okafor", "Sharma", "Dubois", "Novák", "O'Brien", "van der Berg", "Müller",
    "Costa", "Lindqvist", "Yilmaz", "Nguyen", "Smith", "Martin", "García", "Kim", "Leclerc",
)  # fmt: skip
COMPANIES = (
    ("Acme, Inc.", "acme.example.com", "United States", "Manufacturing", 250),
    ("Nordlicht GmbH", "nordlicht.example.de", "Germany", "Energy", 80),
    ("Sakura Trading K.K.", "sakura-trading.example.jp", "Japan", "Wholesale", 1200),
    ("Blue \"Sky\" Partners", "bluesky.example.com", "United Kingdom", "Consulting", 35),
    ("Tatra Logistics s.r.o.", "tatra.example.sk", "Slovakia", "Logistics", 400),
    ("Café Olé S.L.", "cafeole.example.es", "Spain", "Hospitality", 12),
    ("Brightside Ltd", "brightside.example.co.uk", "United Kingdom", "Software", 60),
    ("Pixel & Pine", "pixelpine.example.com", "Canada", "Design", 8),
    ("Øresund Foods", "oresund.example.dk", "Denmark", "Food", 150),
    ("Helix Biotech", "helix.example.com", "United States", "Biotech", 900),
    ("Maison Durand", "durand.example.fr", "France", "Retail", 45),
    ("Kiwi Outdoor Co.", "kiwioutdoor.example.nz", "New Zealand", "Retail", 20),
    ("Vértice Ingeniería", "vertice.example.mx", "Mexico", "Engineering", 300),
    ("Northwind Traders", "northwind.example.com", "United States", "Wholesale", 70),
    ("Polaris Analytics", "polaris.example.se", "Sweden", "Software", 110),
    ("Gupta & Sons", "guptasons.example.in", "India", "Textiles", 500),
)  # fmt: skip
JOB_TITLES = (
    "CEO", "Founder", "Owner", "Head of Operations", "VP Sales", "Marketing Manager",
    "Purchasing Director", "Office Assistant", "Engineer", "IT Manager", "CFO",
    "Product Manager", "Student", "Sales Representative", "Operations Lead", "Managing Director",
)  # fmt: skip
DECISION_MAKER_TITLES = ("CEO", "Founder", "Owner", "VP Sales", "Managing Director", "CFO")
SOURCES = (
    "Website form", "Referral", "Event", "Cold outreach", "Email marketing", "Organic search",
    "Paid search", "Social media", "Phone", "Partner",
)  # fmt: skip
FREE_MAIL = ("gmail.com", "outlook.com", "yahoo.com", "web.de")
TEAM = ("Sam Seller", "Priya Patel", "Jonas Weber", "Lucía Torres")
PHONE_SHAPES = ("+44 20 7946 {:04d}", "+49 30 1234{:03d}", "(555) 201-{:04d}", "+1 415 555 {:04d}")
ENQUIRIES = (
    "Asked for a quote for 20 seats.",
    "Met at the trade fair; wants a call back next month.",
    "Downloaded the pricing guide.",
    "Interested in the annual plan.\nPrefers email.",
    "Referred by a customer.",
    "",
)
NEEDS = (
    "Spreadsheets no longer scale",
    "Leads get lost between sales reps",
    "Needs faster response to web enquiries",
    "Replacing an ageing CRM",
)

_TEMPERATURE_WEIGHTS = ((Temperature.COLD, 45), (Temperature.WARM, 35), (Temperature.HOT, 20))
_STAGES_BY_TEMPERATURE = {
    Temperature.COLD: ((Stage.LEAD, 70), (Stage.MQL, 20), (Stage.DISQUALIFIED, 10)),
    Temperature.WARM: ((Stage.MQL, 50), (Stage.SQL, 40), (Stage.LEAD, 10)),
    Temperature.HOT: ((Stage.SQL, 35), (Stage.OPPORTUNITY, 50), (Stage.CUSTOMER, 15)),
}
_DEFINING_SIGNALS: dict[Temperature, tuple[tuple[ActivityKind, ...], ...]] = {
    Temperature.COLD: (),
    Temperature.WARM: (
        (ActivityKind.WEBINAR, ActivityKind.CASE_STUDY_DOWNLOAD),
        (ActivityKind.EMAIL_REPLIED, ActivityKind.WEBINAR),
    ),
    Temperature.HOT: (
        (ActivityKind.DEMO_REQUEST, ActivityKind.QUOTE_REQUEST),
        (ActivityKind.PRICING_VISIT,),
        (ActivityKind.EMAIL_REPLIED, ActivityKind.CASE_STUDY_DOWNLOAD),
    ),
}
_SIGNALS_BY_TEMPERATURE = {
    Temperature.COLD: (ActivityKind.EMAIL_OPENED, ActivityKind.NOTE),
    Temperature.WARM: (
        ActivityKind.WEBINAR,
        ActivityKind.CASE_STUDY_DOWNLOAD,
        ActivityKind.EMAIL_REPLIED,
        ActivityKind.EMAIL_OPENED,
        ActivityKind.CALL,
    ),
    Temperature.HOT: (
        ActivityKind.DEMO_REQUEST,
        ActivityKind.QUOTE_REQUEST,
        ActivityKind.PRICING_VISIT,
        ActivityKind.MEETING,
        ActivityKind.CALL,
    ),
}


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == "-")


def add_demo_leads(ctx: OperationContext, count: int, seed: int | None = None) -> Outcome[None]:
    """Add ``count`` varied leads with activities and follow-ups, in one transaction."""
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        owner_ids = [owner_id_for(session, name, now) for name in TEAM]
        first_id = (session.execute(select(func.max(leads.c.id))).scalar() or 0) + 1
        top_rank = session.execute(select(func.min(leads.c.board_rank))).scalar() or 0.0
        lead_rows: list[dict[str, Any]] = []
        activity_rows: list[dict[str, Any]] = []
        follow_up_rows: list[dict[str, Any]] = []
        history_rows: list[dict[str, Any]] = []
        for offset in range(count):
            lead_id = first_id + offset
            row, acts, follow_up = _demo_lead(rng, lead_id, owner_ids, now)
            row["board_rank"] = top_rank - count + offset
            lead_rows.append(row)
            activity_rows.extend(acts)
            if follow_up:
                follow_up_rows.append(follow_up)
            history_rows.append(
                {
                    "lead_id": lead_id,
                    "from_stage": None,
                    "to_stage": row["stage"],
                    "changed_at": row["created_at"],
                    "changed_by": ctx.actor,
                }
            )
        connection = session
        for table, rows in (
            (leads, lead_rows),
            (activities, activity_rows),
            (follow_ups, follow_up_rows),
            (stage_history, history_rows),
        ):
            if rows:
                connection.execute(table.insert(), rows)
        ids = range(first_id, first_id + count)
        refresh_lead_times_where(session, leads.c.id.between(first_id, first_id + count - 1))
        rescore_leads(session, ids, now)
    return Outcome(
        Changes(created=frozenset(ids), board=True, description=f"Add {count} demo leads"), None
    )


def _demo_lead(
    rng: random.Random, lead_id: int, owner_ids: list[int], now: dt.datetime
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]:
    # The order of the draws from ``rng`` is what makes a seed repeat the same leads:
    # the helpers below draw in the order this function calls them.
    row, fresh = _lead_row(rng, lead_id, owner_ids, now)
    temperature = Temperature(row["temperature"])
    created_at: dt.datetime = row["created_at"]
    acts = _signals(rng, lead_id, temperature, created_at, now)
    contacts = [act["occurred_at"] for act in acts if ActivityKind(act["kind"]).is_contact]
    if not fresh and not contacts and rng.random() < 0.9:
        first_contact = _first_contact(rng, lead_id, created_at, now)
        acts.append(first_contact)
        contacts.append(first_contact["occurred_at"])
    row["first_contacted_at"] = min(contacts) if contacts else None
    follow_up = None
    closed = Stage(row["stage"]) in (Stage.CUSTOMER, Stage.DISQUALIFIED)
    if not closed and rng.random() < 0.8:
        follow_up = _follow_up(rng, lead_id, row["owner_id"], created_at, now)
    return row, acts, follow_up


def _lead_row(
    rng: random.Random, lead_id: int, owner_ids: list[int], now: dt.datetime
) -> tuple[dict[str, Any], bool]:
    """The lead's columns, and whether it is fresh (arrived in the last hours, uncontacted)."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    company, domain, country, industry, size = rng.choice(COMPANIES)
    if rng.random() < 0.3:
        domain = rng.choice(FREE_MAIL)
    email = f"{_ascii(first)}.{_ascii(last).replace('-', '')}{lead_id}@{domain}"
    phone = rng.choice(PHONE_SHAPES).format(lead_id % 1000)
    temperature = _pick(rng, _TEMPERATURE_WEIGHTS)
    stage = _pick(rng, _STAGES_BY_TEMPERATURE[temperature])
    # A few leads arrived in the last hours and wait for their first reply (the
    # speed-to-lead countdown); the rest are weeks old and mostly contacted.
    fresh = rng.random() < 0.05
    created_at = now - (
        dt.timedelta(minutes=rng.uniform(1, 36 * 60))
        if fresh
        else dt.timedelta(days=rng.uniform(1, 120))
    )
    consent = _pick(rng, ((Consent.GRANTED, 60), (Consent.UNKNOWN, 30), (Consent.DENIED, 10)))
    deal_value = None
    if temperature is not Temperature.COLD or rng.random() < 0.2:
        deal_value = rng.randrange(5, 500) * 10_000
    owner_id = rng.choice(owner_ids)
    row: dict[str, Any] = {
        "id": lead_id,
        "first_name": first,
        "last_name": last,
        "email": email,
        "email_normalized": normalize_email(email),
        "phone": phone,
        "phone_normalized": normalize_phone(phone),
        "company": company,
        "company_key": company_key(company),
        "job_title": rng.choice(
            DECISION_MAKER_TITLES
            if temperature is Temperature.HOT and rng.random() < 0.7
            else JOB_TITLES
        ),
        "source": rng.choice(SOURCES),
        "campaign": rng.choice((None, "Spring webinar", "Trade fair 2026", "Newsletter")),
        "enquiry": rng.choice(ENQUIRIES) or None,
        "consent": consent.value,
        "consent_date": created_at if consent is not Consent.UNKNOWN else None,
        "consent_source": "Web form" if consent is not Consent.UNKNOWN else None,
        "website": f"https://{domain}" if domain not in FREE_MAIL else None,
        "country": country,
        "industry": industry,
        "company_size": size,
        **_qualification(rng, temperature, stage, deal_value, now),
        "owner_id": owner_id,
        "temperature": temperature.value,
        "stage": stage.value,
        "score": 0,
        "created_at": created_at,
        "updated_at": created_at,
        "stage_changed_at": created_at,
        "created_by": "demo",
        "updated_by": "demo",
    }
    return row, fresh


def _qualification(
    rng: random.Random,
    temperature: Temperature,
    stage: Stage,
    deal_value: int | None,
    now: dt.datetime,
) -> dict[str, Any]:
    """What is learned as a lead warms up (need, budget, close date) and how it ended."""
    return {
        "need": rng.choice(NEEDS) if temperature is not Temperature.COLD else None,
        "budget_range": rng.choice((None, "< 5k", "5k-20k", "20k-50k"))
        if temperature is not Temperature.COLD
        else None,
        "deal_value_cents": deal_value,
        "expected_close_date": (now + dt.timedelta(days=rng.randrange(7, 90))).date()
        if temperature is Temperature.HOT
        else None,
        "decision_maker": rng.random() < 0.6 if temperature is Temperature.HOT else None,
        "disqualification_reason": rng.choice(("No budget", "No need", "Unresponsive"))
        if stage is Stage.DISQUALIFIED
        else None,
        "won_date": (now - dt.timedelta(days=rng.randrange(1, 30))).date()
        if stage is Stage.CUSTOMER
        else None,
        "won_value_cents": deal_value if stage is Stage.CUSTOMER else None,
    }


def _signals(
    rng: random.Random,
    lead_id: int,
    temperature: Temperature,
    created_at: dt.datetime,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """Activities that fit the lead's temperature, between its creation and now."""
    acts: list[dict[str, Any]] = []
    signals = _SIGNALS_BY_TEMPERATURE[temperature]
    # What made the lead this warm comes first, so most scores agree with the column.
    kinds = [rng.choice(options) for options in _DEFINING_SIGNALS[temperature]]
    kinds += [rng.choice(signals) for _ in range(rng.randrange(0, 4))]
    for kind in kinds:
        occurred = created_at + (now - created_at) * rng.random()
        acts.append(
            {
                "lead_id": lead_id,
                "kind": kind.value,
                "occurred_at": occurred,
                "text": kind.label,
                "created_at": occurred,
                "created_by": "demo",
            }
        )
    return acts


def _first_contact(
    rng: random.Random, lead_id: int, created_at: dt.datetime, now: dt.datetime
) -> dict[str, Any]:
    """A call or email within two days of the lead's arrival."""
    reached = min(created_at + dt.timedelta(minutes=rng.uniform(3, 48 * 60)), now)
    kind = rng.choice((ActivityKind.CALL, ActivityKind.EMAIL))
    return {
        "lead_id": lead_id,
        "kind": kind.value,
        "occurred_at": reached,
        "text": "First contact",
        "created_at": reached,
        "created_by": "demo",
    }


def _follow_up(
    rng: random.Random,
    lead_id: int,
    owner_id: int,
    created_at: dt.datetime,
    now: dt.datetime,
) -> dict[str, Any]:
    """The next step: overdue for a quarter, later today for some, within two weeks else."""
    bucket = rng.random()
    if bucket < 0.25:
        due = now - dt.timedelta(hours=rng.uniform(2, 24 * 10))
    elif bucket < 0.4:
        due = now + dt.timedelta(hours=rng.uniform(0.5, 8))
    else:
        due = now + dt.timedelta(days=rng.uniform(1, 14))
    return {
        "lead_id": lead_id,
        "due_at": due.replace(second=0, microsecond=0),
        "note": rng.choice(("Call back", "Send proposal", "Check in", "Book a demo")),
        "owner_id": owner_id,
        "created_at": created_at,
        "created_by": "demo",
    }
