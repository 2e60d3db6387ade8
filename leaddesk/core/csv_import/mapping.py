"""Which column of a CSV file fills which field of a lead.

``suggest_mapping`` recognises the headers of the exports small teams actually
have (HubSpot, Pipedrive, Salesforce API names and labels, Zoho, Outlook, Google
Contacts, LinkedIn) and common German, French and Spanish spreadsheet headers.
Headers are compared by ``header_key``: accents, case, spaces and punctuation do
not matter, so "E-Mail", "e_mail" and "EMAIL" are the same header.

A mapping can be saved as a named preset (JSON) and is offered again for files
whose headers have the same ``header_signature``; storing presets is done by
the storage layer.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from leaddesk.core.csv_import.column_values import (
    KEPT_AS_TYPED,
    ColumnFit,
    column_fit,
    fallback_target,
    values_called,
)

# The targets are defined beside the value checks; importers find them here too.
from leaddesk.core.csv_import.targets import CREATED_AT as CREATED_AT
from leaddesk.core.csv_import.targets import EMAIL_OPT_OUT as EMAIL_OPT_OUT
from leaddesk.core.csv_import.targets import FULL_NAME as FULL_NAME
from leaddesk.core.csv_import.targets import IMPORT_TARGETS as IMPORT_TARGETS
from leaddesk.core.csv_import.targets import KEEP_IN_NOTES as KEEP_IN_NOTES
from leaddesk.core.csv_import.targets import REPEATABLE_TARGETS
from leaddesk.core.fields import FIELDS_BY_NAME, LEAD_FIELDS

PRESET_FORMAT_VERSION = 1


def header_key(header: str) -> str:
    """A header reduced to lower-case letters and digits, without accents.

    'Prénom' -> 'prenom', 'E-Mail' -> 'email', 'Person - Email - Work' ->
    'personemailwork', 'FirstName' -> 'firstname'.
    """
    return _header_key(header)


@lru_cache(maxsize=1024)
def _header_key(header: str) -> str:
    decomposed = unicodedata.normalize("NFKD", header.casefold())
    return "".join(char for char in decomposed if char.isalnum() and char.isascii())


# Known headers by target. Within one target, a lower rank wins when a file has
# several candidate columns ("Phone Number" beats "Mobile Phone Number").
_KNOWN_HEADERS: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = {
    "first_name": (
        (1, ("First Name", "FirstName", "First", "Given Name", "Forename", "Vorname")),
        (1, ("Prénom", "Nombre", "Nome", "Voornaam", "Person - First name")),
        (2, ("Contact First Name", "Lead First Name")),
    ),
    "last_name": (
        (1, ("Last Name", "LastName", "Last", "Surname", "Family Name", "Nachname")),
        (1, ("Familienname", "Nom", "Nom de famille", "Apellido", "Apellidos")),
        (1, ("Cognome", "Achternaam", "Person - Last name")),
        (2, ("Contact Last Name", "Lead Last Name")),
    ),
    FULL_NAME: (
        (1, ("Full Name", "Name", "Person - Name", "Contact Name", "Lead Name", "Contact")),
        (2, ("Display Name", "Person Name", "Nom complet", "Nombre completo")),
        (2, ("Vollständiger Name", "Kontakt", "Ansprechpartner")),
    ),
    "email": (
        (1, ("Email", "E-mail", "Email Address", "E-mail Address", "Mail", "Courriel")),
        (1, ("E-mail 1 - Value", "Person - Email", "Person - Email - Work", "Work Email")),
        (1, ("Correo electrónico", "Correo", "Adresse e-mail", "Adresse email")),
        (1, ("E-Mail-Adresse", "Email 1")),
        (2, ("Person - Email - Home", "Person - Email - Other", "E-mail 2 - Value")),
        (2, ("Secondary Email", "Home Email", "Private Email", "E-mail 2 Address")),
        (3, ("E-mail 3 Address", "E-mail 3 - Value", "Other Email")),
    ),
    "phone": (
        (1, ("Phone", "Phone Number", "Telephone", "Business Phone", "Work Phone")),
        (1, ("Phone 1 - Value", "Person - Phone", "Person - Phone - Work", "Telefon")),
        (1, ("Telefonnummer", "Téléphone", "Teléfono", "Tel")),
        (1, ("Numéro de téléphone", "Número de teléfono")),
        (2, ("Mobile", "Mobile Phone", "Mobile Phone Number", "MobilePhone", "Cell Phone")),
        (2, ("Person - Phone - Mobile", "Handy", "Mobil", "Mobiltelefon", "Portable")),
        (2, ("Móvil", "Celular", "Phone 2 - Value", "Company Phone", "Business Phone 2")),
        (3, ("Home Phone", "Person - Phone - Home", "Person - Phone - Other", "Other Phone")),
        (3, ("Phone 3 - Value", "Primary Phone", "Home Phone 2")),
    ),
    "company": (
        (1, ("Company", "Company Name", "Organization", "Organisation", "Account Name")),
        (1, ("Organization 1 - Name", "Organization Name", "Person - Organization")),
        (1, ("Firma", "Unternehmen", "Firmenname", "Société", "Entreprise", "Empresa")),
        (1, ("Organisation - Name", "Organization - Name", "Account", "Compañía")),
        (2, ("Employer", "Business", "Organisme")),
    ),
    "source": (
        (1, ("Lead Source", "LeadSource", "Source", "Original Source", "Quelle")),
        (1, ("Herkunft", "Lead-Quelle", "Origine", "Source du lead", "Fuente", "Origen")),
        (1, ("Person - Source", "Lead - Source", "Fuente del lead")),
        (2, ("Original Source Drill-Down 1", "Latest Source", "Channel", "Kanal", "Canal")),
    ),
    "campaign": (
        (1, ("Campaign", "Campaign Name", "Kampagne", "Campagne", "Campaña")),
        (2, ("First Campaign", "UTM Campaign", "utm_campaign")),
    ),
    "enquiry": (
        (1, ("Message", "Enquiry", "Inquiry", "First Message", "Anfrage", "Nachricht")),
        (1, ("Demande", "Consulta", "Mensaje", "Request")),
    ),
    "consent": (
        (1, ("Consent", "Marketing contact status", "Person - Marketing status")),
        (1, ("Marketing status", "Marketing Consent", "Email Consent", "GDPR Consent")),
        (1, ("Einwilligung", "Consentement", "Consentimiento", "Subscription Status")),
        (2, ("Newsletter", "Opt-in", "Opted In", "Email Subscription")),
    ),
    EMAIL_OPT_OUT: (
        (1, ("HasOptedOutOfEmail", "Email Opt Out", "Opted Out of Email")),
        (1, ("Unsubscribed", "Opt Out", "Do Not Email")),
        (2, ("Unsubscribed from all email", "Abgemeldet", "Désabonné", "Dado de baja")),
    ),
    "consent_date": ((1, ("Consent Date", "Consent Given On", "Opt-in Date")),),
    "consent_source": ((1, ("Consent Source",)),),
    "job_title": (
        (1, ("Job Title", "Position", "Job", "Role", "Person - Job title")),
        # Salesforce's job title, but the honorific (Mr., Dr.) in Outlook and Google.
        (2, ("Title",)),
        (1, ("Organization 1 - Title", "Organization Title", "Jobtitel", "Berufsbezeichnung")),
        (1, ("Poste", "Fonction", "Titre", "Cargo", "Puesto", "Designation")),
    ),
    "website": (
        (1, ("Website", "Website URL", "Web Site", "Web Page", "Webseite", "Site web")),
        (1, ("Sitio web", "Company Website", "Organization - Website", "Homepage")),
        (2, ("Website 1 - Value", "Web", "Internetseite")),
    ),
    "country": (
        (1, ("Country", "Country/Region", "Country Region", "Land", "Pays", "País")),
        (2, ("Business Country/Region", "Address 1 - Country", "Mailing Country")),
        (2, ("Billing Country", "Person - Country", "Organization - Country")),
    ),
    "industry": (
        (1, ("Industry", "Branche", "Secteur", "Industrie", "Sector", "Industria")),
        (2, ("Organization - Industry",)),
    ),
    "company_size": (
        (1, ("Number of Employees", "NumberOfEmployees", "No. of Employees", "Employees")),
        (1, ("Company Size", "Mitarbeiter", "Anzahl Mitarbeiter", "Mitarbeiterzahl")),
        (1, ("Effectif", "Nombre d'employés", "Empleados", "Número de empleados")),
        (2, ("Organization - Number of employees", "Size")),
    ),
    "preferred_channel": ((1, ("Preferred Channel", "Preferred Contact Method")),),
    "need": ((1, ("Need", "Pain", "Need / pain", "Bedarf", "Besoin", "Necesidad")),),
    "product_interest": (
        (1, ("Product Interest", "Product", "Interested In", "Produkt", "Produit")),
        (1, ("Producto", "Produktinteresse")),
    ),
    "budget_range": ((1, ("Budget", "Budget Range", "Presupuesto", "Budgetrahmen")),),
    "current_solution": ((1, ("Current Solution", "Current Provider", "Aktuelle Lösung")),),
    "competitors": ((1, ("Competitors", "Competitors Considered", "Wettbewerber")),),
    "budget_confirmed": ((1, ("Budget Confirmed", "Budget bestätigt")),),
    "decision_maker": ((1, ("Decision Maker", "Entscheider", "Décideur")),),
    "other_deciders": ((1, ("Who Else Decides", "Other Deciders", "Other Decision Makers")),),
    "expected_close_date": (
        (1, ("Expected Close Date", "Close Date", "CloseDate", "Closing Date")),
        (2, ("Deal - Expected close date", "Abschlussdatum")),
    ),
    "deal_value": (
        (1, ("Deal Value", "Amount", "Value", "Deal - Value", "Deal Amount")),
        (1, ("Auftragswert", "Wert", "Betrag", "Montant", "Valeur", "Importe", "Valor")),
    ),
    "next_step": (
        (1, ("Next Step", "NextStep", "Next Step Agreed", "Nächster Schritt", "Prochaine étape")),
    ),
    "won_date": ((1, ("Won Date", "Won Time", "Deal - Won time")),),
    "won_value": ((1, ("Won Value", "Won Amount")),),
    "disqualification_reason": (
        (1, ("Disqualification Reason", "Lost Reason", "Deal - Lost reason")),
        (2, ("Unqualified Reason", "Reason", "Verlustgrund", "Motif de perte")),
    ),
    "owner": (
        (1, ("Owner", "Contact owner", "Lead Owner", "Person - Owner", "Account Owner")),
        (1, ("Sales Owner", "Assigned To", "Verantwortlich", "Besitzer", "Propriétaire")),
        (1, ("Responsable", "Propietario", "Betreuer", "Lead Owner Name")),
        (2, ("HubSpot Owner", "Contact Owner Name", "Owner Name")),
    ),
    "temperature": (
        (1, ("Temperature", "Rating", "Lead Rating", "Temperatur", "Température")),
        (1, ("Temperatura", "Lead Temperature")),
        (2, ("Person - Label(s)", "Person - Label", "Label", "Labels")),
    ),
    "stage": (
        (1, ("Stage", "Lifecycle Stage", "Lifecycle", "Lead Stage", "Phase", "Étape")),
        (1, ("Etapa", "Stufe")),
        (2, ("Lead Status", "Status", "Lead - Status", "Statut", "Estado")),
    ),
    "notes": (
        (1, ("Notes", "Note", "Description", "Person - Notes", "Comments", "Comment")),
        (1, ("Notizen", "Notiz", "Bemerkung", "Bemerkungen", "Kommentar", "Remarques")),
        (1, ("Commentaires", "Notas", "Comentarios", "Observaciones")),
    ),
    CREATED_AT: (
        (1, ("Create Date", "Created Date", "CreatedDate", "Created", "Created At")),
        (1, ("Created Time", "Creation Date", "Date Created", "Person - Person created")),
        (1, ("Erstellt am", "Erstellt", "Erstelldatum", "Angelegt am", "Date de création")),
        (1, ("Créé le", "Fecha de creación", "Creado", "Lead - Lead created")),
        (3, ("Connected On", "Date Added")),
    ),
}

# Headers known to carry nothing a lead should take: record ids from other
# systems, and LinkedIn's profile URL (a person's page, not their website).
_KNOWN_IGNORED = ("Record ID", "Id", "OwnerId", "Lead ID", "Contact ID", "URL", "Middle Name")


def _build_index() -> dict[str, tuple[str, int]]:
    index: dict[str, tuple[str, int]] = {}
    for target, groups in _KNOWN_HEADERS.items():
        for rank, headers in groups:
            for header in headers:
                key = header_key(header)
                # Spellings may repeat within a target ("FirstName", "First Name").
                if key in index and index[key][0] != target:
                    raise AssertionError(f"header {header!r} is listed for two targets")
                index[key] = min((target, rank), index.get(key, (target, rank)))
    return index


_INDEX = _build_index()
_IGNORED_KEYS = frozenset(header_key(header) for header in _KNOWN_IGNORED)

# Vendor prefixes that do not change a header's meaning ("Person - Email" is "Email").
_PREFIXES = ("person", "contact", "lead", "kontakt")

# Last resort for headers no list names: a word inside the key, at a worse rank.
_KEYWORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"e?mail"), "email"),
    (re.compile(r"phone|mobile|telef|handy"), "phone"),
    (re.compile(r"firstname|givenname|vorname|prenom"), "first_name"),
    (re.compile(r"lastname|surname|familyname|nachname"), "last_name"),
    (re.compile(r"company|organi[sz]ation|firma|empresa|societe"), "company"),
    (re.compile(r"jobtitle|position"), "job_title"),
    (re.compile(r"website|homepage"), "website"),
)
_KEYWORD_RANK = 5


def _candidate(header: str) -> tuple[str, int] | None:
    key = header_key(header)
    if not key or key in _IGNORED_KEYS:
        return None
    if key in _INDEX:
        return _INDEX[key]
    for prefix in _PREFIXES:
        if key.startswith(prefix) and key[len(prefix) :] in _INDEX:
            target, rank = _INDEX[key[len(prefix) :]]
            return target, rank + 1
    for pattern, target in _KEYWORDS:
        if pattern.search(key):
            return target, _KEYWORD_RANK
    return None


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """For every column of a file, the target it fills (None: the column is ignored)."""

    headers: tuple[str, ...]
    targets: tuple[str | None, ...]

    def __post_init__(self) -> None:
        if len(self.headers) != len(self.targets):
            raise ValueError("a mapping needs exactly one target per header")
        used = [target for target in self.targets if target is not None]
        unknown = set(used) - set(IMPORT_TARGETS)
        if unknown:
            raise ValueError(f"unknown import targets: {sorted(unknown)}")
        single = [target for target in used if target not in REPEATABLE_TARGETS]
        if len(single) != len(set(single)):
            raise ValueError("each target may be filled by one column only")

    def column_of(self, target: str) -> int | None:
        """The column index filling ``target``, or None."""
        try:
            return self.targets.index(target)
        except ValueError:
            return None

    @property
    def unmapped_headers(self) -> tuple[str, ...]:
        """Headers whose column is ignored, in file order (shown to the user)."""
        return tuple(h for h, t in zip(self.headers, self.targets, strict=True) if t is None)

    @property
    def mapped_targets(self) -> frozenset[str]:
        return frozenset(target for target in self.targets if target is not None)

    def with_target(self, column: int, target: str | None) -> ColumnMapping:
        """A copy where ``column`` fills ``target``; a column that filled it before is freed.

        Columns kept in the notes stay so: any number of them may be.
        """
        if target in REPEATABLE_TARGETS:
            targets = list(self.targets)
        else:
            targets = [None if t == target else t for t in self.targets]
        targets[column] = target
        return ColumnMapping(self.headers, tuple(targets))


def suggest_mapping(
    headers: Sequence[str], samples: Sequence[Sequence[str]] | None = None
) -> ColumnMapping:
    """The mapping a user would choose by hand for a file with these headers.

    ``samples[i]`` are the first values of column i (as read; empty cells too).
    With them, a column is only mapped to what its header proposes when its
    values confirm it (``column_fit``): a 'Rating' of 'Tier 1' is no temperature,
    a 'Title' of 'Dr.' no job title. Such a column is kept in the notes or
    ignored (``fallback_target``).

    Each target is filled by at most one column: the best-ranked candidate, then
    the one whose values fit better, then the leftmost. A full-name column is
    only used when there is no first-name column (Salesforce files often carry
    both).
    """
    if is_leaddesk_export(headers):
        # A restore: every column is what its header says, whatever users typed in it.
        samples = None
    candidates: list[tuple[int, float, int, str]] = []
    targets: list[str | None] = [None] * len(headers)
    for column, header in enumerate(headers):
        found = _candidate(header)
        if found is None:
            continue
        target, rank = found
        share = 1.0
        if samples is not None:
            fit = column_fit(target, samples[column] if column < len(samples) else ())
            if not fit.confirmed:
                targets[column] = fallback_target(target)
                continue
            share = fit.share
        candidates.append((rank, -round(share, 2), column, target))
    taken: set[str] = set()
    for _rank, _share, column, target in sorted(candidates):
        if target not in taken:
            targets[column] = target
            taken.add(target)
    if FULL_NAME in taken and "first_name" in taken:
        targets[targets.index(FULL_NAME)] = None
    return ColumnMapping(tuple(headers), tuple(targets))


def target_label(target: str | None) -> str:
    """What a target is called on the mapping page: 'Temperature', 'Keep in notes'."""
    if target is None:
        return "Ignore"
    special = {
        FULL_NAME: "Full name (split)",
        CREATED_AT: "Created date",
        EMAIL_OPT_OUT: "Email opt-out",
        KEEP_IN_NOTES: "Keep in notes",
    }
    return special.get(target) or FIELDS_BY_NAME[target].label


@dataclass(frozen=True, slots=True)
class ColumnReason:
    """Why a column fills what it fills, for the mapping page and a dry run."""

    text: str
    """One or two sentences; empty when there is nothing to say."""
    values_disagree: bool = False
    """Its values are not what its header or the chosen field expects (shown beside it)."""
    hint: str = ""
    """A few words for beside the choice when the values disagree: 'Not temperatures'."""


_NOTHING = ColumnReason("")


def explain_mapping(
    mapping: ColumnMapping, samples: Sequence[Sequence[str]]
) -> tuple[ColumnReason, ...]:
    """For every column of ``mapping``, why it fills what it fills, judged on ``samples``.

    ``samples[i]`` are the first values of column i, as for ``suggest_mapping``.
    """
    reasons: list[ColumnReason] = []
    for column, (header, target) in enumerate(zip(mapping.headers, mapping.targets, strict=True)):
        cells = samples[column] if column < len(samples) else ()
        found = _candidate(header)
        proposed = found[0] if found is not None else None
        if target is None or target == KEEP_IN_NOTES:
            reasons.append(_why_not_mapped(mapping, column, proposed, cells))
        else:
            reasons.append(_why_mapped(target, proposed, column_fit(target, cells)))
    return tuple(reasons)


def _why_not_mapped(
    mapping: ColumnMapping, column: int, proposed: str | None, cells: Sequence[str]
) -> ColumnReason:
    target = mapping.targets[column]
    kept = "Its text is kept in each lead's notes." if target == KEEP_IN_NOTES else ""
    if proposed is None or proposed == target:
        return ColumnReason(kept)
    fit = column_fit(proposed, cells)
    if not fit.confirmed:
        salutations = " (salutations)" if proposed == "job_title" else ""
        return ColumnReason(
            f"The header suggests {target_label(proposed)}, but {_not_read(fit)}, e.g. "
            f"{fit.examples()}{salutations}. {kept}".strip(),
            values_disagree=True,
            hint=f"Values are not {_short_called(proposed)}",
        )
    other = mapping.column_of(proposed)
    if other is not None and other != column:
        return ColumnReason(
            f"{target_label(proposed)} comes from “{mapping.headers[other]}”, "
            f"which fits better. {kept}".strip()
        )
    return ColumnReason(kept)


def _why_mapped(target: str, proposed: str | None, fit: ColumnFit) -> ColumnReason:
    by = "Matched by its header" if proposed == target else "Chosen by hand"
    if fit.total == 0 or fit.read == fit.total:
        typed = fit.total and values_called(target) != "values of this field"
        checked = f"; its first {fit.total} values read as {values_called(target)}" if typed else ""
        return ColumnReason(f"{by}{checked}.")
    kept = (
        "such values are imported as typed, with a warning"
        if target in KEPT_AS_TYPED
        else "such values are kept in the lead's notes and the field stays empty"
    )
    return ColumnReason(
        f"{by}, but {_not_read(fit)}, e.g. {fit.examples()}: {kept}.",
        values_disagree=not fit.confirmed,
        hint="" if fit.confirmed else f"Most values are not {_short_called(target)}",
    )


def _not_read(fit: ColumnFit) -> str:
    """'most of its values do not read as temperatures (4 of 5 sampled)'."""
    unread = fit.total - fit.read
    which = "its values" if unread == fit.total else "most of its values"
    if fit.confirmed:
        which = "some of its values"
    return f"{which} do not read as {values_called(fit.target)} ({unread} of {fit.total} sampled)"


def _short_called(target: str) -> str:
    """'temperatures' for 'temperatures (hot, warm, cold)'."""
    return values_called(target).split(" (")[0]


# --- names ---------------------------------------------------------------------

# Lower-case words that belong to the family name that follows them.
_NAME_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "das",
        "du",
        "la",
        "le",
        "ter",
        "ten",
        "zu",
        "af",
        "al",
        "bin",
        "ibn",
        "st",
        "st.",
    ]
)
_TITLES = frozenset(
    [
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "dr",
        "dr.",
        "prof",
        "prof.",
        "herr",
        "frau",
        "m.",
        "mme",
        "mme.",
        "sr.",
        "sra.",
        "don",
        "doña",
    ]
)


def split_full_name(text: str) -> tuple[str, str]:
    """First and last name of a whole name as people write it.

    'Ana María Castaño' -> ('Ana María', 'Castaño'); 'Castaño, Ana' -> ('Ana',
    'Castaño'); 'Ludwig van der Berg' -> ('Ludwig', 'van der Berg'); 'Cher' ->
    ('Cher', ''); salutations such as 'Dr.' are dropped.
    """
    text = " ".join(text.split())
    if not text:
        return "", ""
    if text.count(",") == 1:
        last, first = (part.strip() for part in text.split(","))
        if first and last:
            return first, last
        text = first or last
    words = text.split(" ")
    while len(words) > 1 and words[0].casefold() in _TITLES:
        words.pop(0)
    if len(words) == 1:
        return words[0], ""
    last_start = len(words) - 1
    while last_start > 1 and words[last_start - 1].casefold() in _NAME_PARTICLES:
        last_start -= 1
    return " ".join(words[:last_start]), " ".join(words[last_start:])


# --- presets -------------------------------------------------------------------


class PresetError(ValueError):
    """A saved preset that cannot be read; the message is one sentence for a user."""


@dataclass(frozen=True, slots=True)
class MappingPreset:
    """A named mapping the user saved, keyed by header name so column order may change."""

    name: str
    signature: str
    columns: tuple[tuple[str, str | None], ...]
    """(header, target) pairs in the order of the file the preset was made from."""


# The columns LeadDesk's export writes after one column per field (headed by
# the field's label): read-only facts, not fields.
EXPORT_SCORE_HEADER = "Score"
EXPORT_CREATED_HEADER = "Created"
EXPORT_NEXT_FOLLOW_UP_HEADER = "Next follow-up"
LEADDESK_EXPORT_HEADERS: tuple[str, ...] = (
    *(field.label for field in LEAD_FIELDS),
    EXPORT_SCORE_HEADER,
    EXPORT_CREATED_HEADER,
    EXPORT_NEXT_FOLLOW_UP_HEADER,
)


def is_leaddesk_export(headers: Sequence[str]) -> bool:
    """Whether a file's header row is the one LeadDesk's own export writes.

    Such a file holds leads as LeadDesk stored them, so importing it is a
    restore: values are taken as they are (phones as typed, for one).
    """
    return tuple(headers) == LEADDESK_EXPORT_HEADERS


def header_signature(headers: Iterable[str]) -> str:
    """Identifies a set of headers, ignoring column order, case, accents and punctuation."""
    keys = sorted(header_key(header) for header in headers)
    digest = hashlib.sha256("\x1f".join(keys).encode("utf-8")).hexdigest()
    return f"v{PRESET_FORMAT_VERSION}:{digest[:32]}"


def make_preset(name: str, mapping: ColumnMapping) -> MappingPreset:
    return MappingPreset(
        name=name.strip(),
        signature=header_signature(mapping.headers),
        columns=tuple(zip(mapping.headers, mapping.targets, strict=True)),
    )


def apply_preset(preset: MappingPreset, headers: Sequence[str]) -> ColumnMapping:
    """The preset's choices for ``headers``; headers it does not know are suggested afresh."""
    chosen = {header_key(header): target for header, target in preset.columns}
    suggested = suggest_mapping(headers)
    keys = [header_key(header) for header in headers]
    # The preset's own choices come first; a suggestion may only take what is left.
    taken = {chosen[key] for key in keys if key in chosen} - {None} - REPEATABLE_TARGETS
    targets: list[str | None] = []
    for key, suggestion in zip(keys, suggested.targets, strict=True):
        if key in chosen:
            target = chosen[key]
            if target in targets and target not in REPEATABLE_TARGETS:
                target = None
        else:
            target = suggestion if suggestion not in taken else None
        targets.append(target)
    return ColumnMapping(tuple(headers), tuple(targets))


def find_preset(presets: Iterable[MappingPreset], headers: Iterable[str]) -> MappingPreset | None:
    """The first saved preset made for a file with these headers."""
    signature = header_signature(headers)
    return next((preset for preset in presets if preset.signature == signature), None)


def preset_to_json(preset: MappingPreset) -> str:
    return json.dumps(
        {
            "version": PRESET_FORMAT_VERSION,
            "name": preset.name,
            "signature": preset.signature,
            "columns": [{"header": header, "target": target} for header, target in preset.columns],
        },
        ensure_ascii=False,
    )


def preset_from_json(text: str) -> MappingPreset:
    """A preset saved by ``preset_to_json``; raises PresetError when it is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        raise PresetError("The mapping preset is not valid JSON.") from None
    if not isinstance(data, Mapping) or not isinstance(data.get("columns"), list):
        raise PresetError("The mapping preset has no list of columns.")
    columns: list[tuple[str, str | None]] = []
    for column in data["columns"]:
        header = column.get("header") if isinstance(column, Mapping) else None
        target = column.get("target") if isinstance(column, Mapping) else None
        if not isinstance(header, str) or not (target is None or target in IMPORT_TARGETS):
            raise PresetError(f"The mapping preset has an invalid column entry: {column!r}.")
        columns.append((header, target))
    targets = [t for _, t in columns if t is not None and t not in REPEATABLE_TARGETS]
    if len(targets) != len(set(targets)):
        raise PresetError("The mapping preset fills the same field from two columns.")
    name = data.get("name")
    signature = data.get("signature")
    headers = [header for header, _ in columns]
    return MappingPreset(
        name=name if isinstance(name, str) else "",
        signature=signature if isinstance(signature, str) else header_signature(headers),
        columns=tuple(columns),
    )


def mapping_from_json(text: str, headers: Sequence[str]) -> ColumnMapping:
    """A mapping given as JSON (a saved preset, or ``{"Header": "target", ...}``)."""
    try:
        data = json.loads(text)
    except ValueError:
        raise PresetError("The mapping is not valid JSON.") from None
    if isinstance(data, Mapping) and "columns" not in data:
        columns = tuple(data.items())
        for header, target in columns:
            if not (target is None or target in IMPORT_TARGETS):
                raise PresetError(f"'{target}' for column '{header}' is not a lead field.")
        preset = MappingPreset("", header_signature(data), columns)
    else:
        preset = preset_from_json(text)
    return apply_preset(preset, headers)
