"""Words with a fixed meaning in CSV cells: yes/no, temperature, stage, consent, source.

Also the choice lists (channel, disqualification reason) and the rules for
merging an imported stage or consent into an existing lead. See ``values`` for
the parsers' conventions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from leaddesk.core.csv_import.values import CellValueError, fold_key, lookup_word, word_table
from leaddesk.core.fields import Consent, Stage, Temperature

_BOOLEANS = word_table(
    {
        True: (
            "true",
            "yes",
            "y",
            "1",
            "x",
            "ja",
            "j",
            "oui",
            "sí",
            "si",
            "wahr",
            "vrai",
            "verdadero",
            "checked",
            "on",
            "t",
            "✓",
            "✔",
            "-1",
        ),
        False: (
            "false",
            "no",
            "n",
            "0",
            "nein",
            "non",
            "falso",
            "faux",
            "unchecked",
            "off",
            "f",
        ),
    }
)


def parse_bool(text: str) -> bool:
    """Yes or no in the words spreadsheets and CRMs use ('TRUE', 'ja', 'x', '0' ...)."""
    found = lookup_word(_BOOLEANS, text)
    if found is None:
        raise CellValueError(f"'{text.strip()}' is not yes or no.")
    return found


_TEMPERATURES = word_table(
    {
        Temperature.HOT: ("hot", "hot lead", "heiß", "heiss", "chaud", "caliente", "a", "high"),
        Temperature.WARM: ("warm", "warm lead", "tiède", "tibio", "templado", "b", "medium"),
        Temperature.COLD: ("cold", "cold lead", "kalt", "froid", "frío", "frio", "c", "low"),
    }
)
_TEMPERATURE_WORD = re.compile(r"\b(hot|warm|cold)\b", re.IGNORECASE)


def parse_temperature(text: str) -> Temperature:
    """'Hot lead', Salesforce Rating 'Warm', 'kalt', or a label list holding one."""
    found = lookup_word(_TEMPERATURES, text)
    if found is not None:
        return found
    # Pipedrive label lists: "VIP, Hot lead".
    for label in re.split(r"[,;|/]", text):
        found = lookup_word(_TEMPERATURES, label)
        if found is not None:
            return found
    word = _TEMPERATURE_WORD.search(text)
    if word:
        return Temperature(word.group(1).lower())
    raise CellValueError(f"'{text.strip()}' is not a temperature (hot, warm or cold).")


class StageReading(NamedTuple):
    stage: Stage
    disqualification_reason: str | None = None


_LEAD, _MQL, _SQL = StageReading(Stage.LEAD), StageReading(Stage.MQL), StageReading(Stage.SQL)
_OPPORTUNITY, _CUSTOMER = StageReading(Stage.OPPORTUNITY), StageReading(Stage.CUSTOMER)


def _disqualified(reason: str | None = None) -> StageReading:
    return StageReading(Stage.DISQUALIFIED, reason)


WORKED_STATUS_WORDS: tuple[str, ...] = (
    "attempted to contact",
    "attempting contact",
    "contacted",
    "working - contacted",
    "working",
    "in progress",
    "connected",
    "nurturing",
    "nurture",
    "kontaktiert",
    "in bearbeitung",
    "contacté",
    "en cours",
    "contactado",
    "en curso",
    "en progreso",
)
"""Status words (a CRM's "Lead Status") that say someone already worked the lead, though
its lifecycle stage is still the first one: read as that stage, and the agenda's
speed-to-lead countdown leaves such a lead out."""

_STAGES: dict[str, StageReading] = word_table(
    {
        _LEAD: (
            "lead",
            "new",
            "open",
            "subscriber",
            "other",
            "open - not contacted",
            "not contacted",
            *WORKED_STATUS_WORDS,
            "neu",
            "offen",
            "nouveau",
            "ouvert",
            "nuevo",
            "abierto",
            "prospect",
        ),
        _MQL: ("mql", "marketingqualifiedlead", "marketing qualified lead", "marketing qualified"),
        _SQL: (
            "sql",
            "salesqualifiedlead",
            "sales qualified lead",
            "sales qualified",
            "qualified",
            "working - qualified",
            "qualifiziert",
            "qualifié",
            "cualificado",
            "calificado",
        ),
        _OPPORTUNITY: (
            "opportunity",
            "open deal",
            "deal",
            "proposal",
            "negotiation",
            "quote sent",
            "angebot",
            "verhandlung",
            "opportunité",
            "oportunidad",
            "propuesta",
        ),
        _CUSTOMER: (
            "customer",
            "evangelist",
            "won",
            "closed won",
            "closed - won",
            "converted",
            "closed - converted",
            "kunde",
            "gewonnen",
            "client",
            "gagné",
            "cliente",
            "ganado",
        ),
        _disqualified(): (
            "disqualified",
            "unqualified",
            "lost",
            "closed lost",
            "closed - lost",
            "closed - not converted",
            "not converted",
            "dead",
            "verloren",
            "disqualifiziert",
            "perdu",
            "disqualifié",
            "perdido",
            "descalificado",
            "closed",
        ),
        _disqualified("Bad timing"): ("bad timing", "falscher zeitpunkt"),
        _disqualified("Duplicate"): ("duplicate", "duplikat", "doublon", "duplicado"),
        _disqualified("Invalid contact"): ("junk", "invalid", "spam", "bounced"),
        _disqualified("No need"): ("not interested", "kein interesse", "pas intéressé"),
        _disqualified("Unresponsive"): ("unresponsive", "no response", "keine antwort"),
        _disqualified("No budget"): ("no budget", "kein budget"),
        _disqualified("Competitor"): ("competitor", "lost to competitor"),
    }
)


def parse_stage(text: str) -> StageReading:
    """The lifecycle stage of a HubSpot lifecycle value or a status word.

    'salesqualifiedlead' -> SQL; 'Open - Not Contacted' -> Lead; 'Closed -
    Converted' -> Customer; 'Unqualified' -> Disqualified (with a reason when
    the word names one, e.g. 'Bad timing').
    """
    found = lookup_word(_STAGES, text)
    if found is None:
        allowed = ", ".join(stage.label for stage in Stage)
        raise CellValueError(f"'{text.strip()}' is not a known stage ({allowed}).")
    return found


_CONSENT_WORDS = word_table(
    {
        Consent.GRANTED: (
            "granted",
            "yes",
            "y",
            "true",
            "1",
            "x",
            "subscribed",
            "opted in",
            "opt-in",
            "opt in",
            "marketing contact",
            "consent given",
            "given",
            "ja",
            "oui",
            "sí",
            "si",
            "abonniert",
            "angemeldet",
            "einverstanden",
            "inscrit",
            "abonné",
            "suscrito",
        ),
        Consent.DENIED: (
            "denied",
            "no",
            "n",
            "false",
            "0",
            "unsubscribed",
            "opted out",
            "opt-out",
            "opt out",
            "refused",
            "do not contact",
            "nein",
            "non",
            "abgemeldet",
            "widerrufen",
            "désabonné",
            "désinscrit",
            "dado de baja",
            "refusé",
            "rechazado",
        ),
        # "No consent" (Pipedrive) and "Non-marketing contact" (HubSpot) say nobody
        # asked, not that the person refused: no objection is recorded.
        Consent.UNKNOWN: (
            "unknown",
            "no consent",
            "non-marketing contact",
            "nonmarketing contact",
            "pending",
            "archived",
            "unbekannt",
            "inconnu",
            "desconocido",
            "not set",
        ),
    }
)


def parse_consent(text: str) -> Consent:
    """Consent from a consent or marketing-status column ('Subscribed', 'yes', ...)."""
    found = lookup_word(_CONSENT_WORDS, text)
    if found is None:
        raise CellValueError(f"'{text.strip()}' does not say whether the lead consented.")
    return found


def parse_opt_out(text: str) -> Consent:
    """Consent from an opted-out column such as Salesforce's HasOptedOutOfEmail.

    The meaning is inverted: opted out -> DENIED. Not opted out only says no
    objection was recorded, which is not a consent, so it reads as UNKNOWN.
    """
    try:
        return Consent.DENIED if parse_bool(text) else Consent.UNKNOWN
    except CellValueError:
        pass
    found = lookup_word(_CONSENT_WORDS, text)
    if found is None:
        raise CellValueError(f"'{text.strip()}' does not say whether the lead opted out.")
    return found


_SOURCES_BY_WORD = word_table(
    {
        "Website form": (
            "website form",
            "website",
            "web",
            "web form",
            "form",
            "contact form",
            "direct traffic",
            "formular",
            "webseite",
            "site web",
            "formulaire",
            "sitio web",
            "formulario",
        ),
        "Referral": ("referral", "referrals", "empfehlung", "recommandation", "referido"),
        "Event": (
            "event",
            "events",
            "trade show",
            "tradeshow",
            "conference",
            "webinar",
            "seminar",
            "messe",
            "veranstaltung",
            "salon",
            "événement",
            "evento",
            "feria",
        ),
        "Cold outreach": (
            "cold outreach",
            "outbound",
            "cold call",
            "cold calling",
            "cold email",
            "purchased list",
            "kaltakquise",
            "prospection",
            "prospección",
        ),
        "Email marketing": ("email marketing", "email", "e-mail", "newsletter", "mailing"),
        "Organic search": ("organic search", "seo", "search", "google", "suchmaschine"),
        "Paid search": ("paid search", "ppc", "sea", "adwords", "google ads", "cpc"),
        "Social media": (
            "social media",
            "organic social",
            "paid social",
            "social",
            "linkedin",
            "facebook",
            "twitter",
            "x",
            "instagram",
            "xing",
            "redes sociales",
            "réseaux sociaux",
        ),
        "Phone": ("phone", "phone inquiry", "telephone", "call", "telefon", "anruf", "téléphone"),
        "Partner": ("partner", "partners", "reseller", "partenaire", "socio"),
        "Import": ("import", "list import", "integration", "crm ui"),
        "Other": (
            "other",
            "offline sources",
            "offline",
            "other campaigns",
            "sonstige",
            "andere",
            "autre",
            "otro",
            "otros",
        ),
    }
)


def parse_source(text: str) -> str:
    """One of LeadDesk's sources for a vendor's source value ('EMAIL_MARKETING', ...)."""
    found = lookup_word(_SOURCES_BY_WORD, text)
    if found is None:
        raise CellValueError(
            f"'{text.strip()}' is not one of the known sources; it was kept as typed.",
            kept=text.strip(),
        )
    return found


def choice_parser(choices: Sequence[str], label: str) -> Callable[[str], str]:
    by_key = {fold_key(choice): choice for choice in choices}

    def parse_choice(text: str) -> str:
        found = by_key.get(fold_key(text))
        if found is None:
            raise CellValueError(
                f"'{text.strip()}' is not a known {label}; it was kept as typed.",
                kept=text.strip(),
            )
        return found

    return parse_choice


def merge_stage(existing: Stage | None, incoming: Stage | None) -> Stage | None:
    """The stage after an update: an import never moves a lead back in the funnel."""
    if incoming is None or (existing is not None and incoming.rank <= existing.rank):
        return existing
    return incoming


def merge_consent(existing: Consent | None, incoming: Consent | None) -> Consent | None:
    """The consent after an update from a file.

    A file that knows nothing (UNKNOWN) changes nothing, and a denial is never
    lifted by a file: only a person may lift it, since an export cannot prove
    that its 'subscribed' is newer than the objection.
    """
    if incoming is None or incoming is Consent.UNKNOWN or existing is Consent.DENIED:
        return existing
    return incoming
