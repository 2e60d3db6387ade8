"""The headers LeadDesk recognises, and the target each one proposes.

Owns the synonym tables: the headers of the exports small teams actually have
(HubSpot, Pipedrive, Salesforce API names and labels, Zoho, Outlook, Google
Contacts, LinkedIn), common German, French and Spanish spreadsheet headers, the
vendor prefixes that do not change a header's meaning, and the headers known to
carry nothing a lead should take. Headers are compared by ``header_key``:
accents, case, spaces and punctuation do not matter, so "E-Mail", "e_mail" and
"EMAIL" are the same header.

Whether a column's values confirm what its header proposes is ``column_values``';
which column gets a target when several propose it is ``mapping``'s.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from leaddesk.core.csv_import.targets import (
    CREATED_AT,
    EMAIL_OPT_OUT,
    FIRST_CONTACTED,
    FULL_NAME,
    KEEP_IN_NOTES,
)


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
    # When someone first called, emailed or met the lead. HubSpot's "Date of first
    # engagement" is the owner's first call, email or meeting; Salesforce's "First
    # Call/Email Date/Time" each are a first contact by one channel. Not HubSpot's
    # "First Conversion Date": that is the lead's own first form, not a contact.
    # A spreadsheet's single "Date contacted" is read as when the lead was
    # contacted (rank 2: a column saying "first" wins).
    FIRST_CONTACTED: (
        (1, ("First contacted", "First Contacted Date", "First Contacted On", "First Contact")),
        (1, ("First Contact Date", "Date of first contact", "Date first contacted")),
        (1, ("First Contacted At", "Date of first engagement", "First Engagement Date")),
        (1, ("Erstkontakt", "Erster Kontakt", "Datum Erstkontakt", "Erstkontakt am")),
        (1, ("Premier contact", "Date du premier contact", "Date de premier contact")),
        (1, ("Primer contacto", "Fecha de primer contacto", "Fecha del primer contacto")),
        (2, ("First Call Date/Time", "FirstCallDateTime", "First Call Date")),
        (2, ("First Email Date/Time", "FirstEmailDateTime", "First Email Date")),
        (2, ("Date contacted", "Contacted on", "Contacted", "Contacted Date", "Contact Date")),
        (2, ("Date of contact", "Kontaktiert am", "Contacté le", "Contactado el")),
    ),
    # The last contact: LeadDesk keeps no such field (its activities say it), but the
    # date proves the lead was worked (see is_last_contact_header), and the text is
    # kept in the notes.
    KEEP_IN_NOTES: (
        (1, ("Last Contacted", "Last Contact", "Last Contact Date", "Last Contacted Date")),
        (1, ("Last Contacted On", "Date last contacted", "Date of last contact")),
        (1, ("Last activity date", "Last Activity", "LastActivityDate", "Last engagement date")),
        (1, ("Letzter Kontakt", "Zuletzt kontaktiert", "Dernier contact", "Último contacto")),
        (1, ("Date du dernier contact", "Fecha de último contacto")),
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
_LAST_CONTACT_KEYS = frozenset(
    key for key, (target, _rank) in _INDEX.items() if target == KEEP_IN_NOTES
)
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


def header_candidate(header: str) -> tuple[str, int] | None:
    """The target a header proposes and its rank (lower wins), or None for no target.

    Looked up in the known headers, then without a vendor prefix ("Person - Email"
    is "Email", one rank worse), then by a word inside it (rank 5).
    """
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


def is_last_contact_header(header: str) -> bool:
    """Whether a column's header says when the lead was last contacted.

    'Last Contacted', 'Person - Last activity date': a date there means someone
    already worked the lead, so an import gives it no speed-to-lead countdown.
    """
    key = header_key(header)
    if key in _LAST_CONTACT_KEYS:
        return True
    return any(
        key.startswith(prefix) and key[len(prefix) :] in _LAST_CONTACT_KEYS for prefix in _PREFIXES
    )


def is_other_contact_header(header: str, target: str | None) -> bool:
    """Whether a column not filling the first contact still dates a contact.

    A last contact ('Last Contacted'), or a first contact the mapping took from
    another column: Salesforce exports carry a first call and a first email
    date, and only one column fills the field. A date in either means someone
    already contacted the lead.
    """
    if target == FIRST_CONTACTED:
        return False
    if is_last_contact_header(header):
        return True
    found = header_candidate(header)
    return found is not None and found[0] == FIRST_CONTACTED
