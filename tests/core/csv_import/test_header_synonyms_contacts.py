"""Which headers mean the first contact, which the last, and what a file's columns become."""

from __future__ import annotations

import pytest

from leaddesk.core.csv_import.header_synonyms import (
    header_candidate,
    is_last_contact_header,
    is_other_contact_header,
)
from leaddesk.core.csv_import.mapping import (
    CREATED_AT,
    FIRST_CONTACTED,
    KEEP_IN_NOTES,
    ColumnMapping,
    suggest_mapping,
)
from leaddesk.core.csv_import.mapping_explanation import explain_mapping
from tests.core.csv_import.csv_samples import sampled_file


@pytest.mark.parametrize(
    ("header", "rank"),
    [
        ("First contacted", 1),
        ("First Contact Date", 1),
        ("Date of first engagement", 1),  # HubSpot: the owner's first call, email or meeting
        ("Erstkontakt am", 1),
        ("Date du premier contact", 1),
        ("Fecha de primer contacto", 1),
        ("First Call Date/Time", 2),  # Salesforce: the first contact by one channel
        ("FirstEmailDateTime", 2),
        ("Date contacted", 2),  # a spreadsheet's one contact date
        ("Contacted on", 2),
        ("Lead - First contacted", 2),  # a vendor prefix costs one rank
    ],
)
def test_first_contact_headers_propose_first_contacted(header: str, rank: int) -> None:
    assert header_candidate(header) == (FIRST_CONTACTED, rank)
    assert not is_last_contact_header(header)


@pytest.mark.parametrize(
    "header",
    [
        "Last Contacted",  # HubSpot
        "Person - Last activity date",  # Pipedrive
        "LastActivityDate",  # Salesforce
        "Date of last contact",
        "Letzter Kontakt",
    ],
)
def test_last_contact_headers_are_kept_in_the_notes_not_taken_for_the_first(header: str) -> None:
    found = header_candidate(header)
    assert found is not None
    assert found[0] == KEEP_IN_NOTES
    assert is_last_contact_header(header)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # HubSpot's first form the lead sent: the lead's doing, not a contact.
        ("First Conversion Date", None),
        ("Contact Created Date", (CREATED_AT, 2)),
        ("Contact", ("full_name", 1)),
        ("First Email", ("email", 5)),  # an address, as before
    ],
)
def test_neighbouring_headers_keep_their_meaning(
    header: str, expected: tuple[str, int] | None
) -> None:
    assert header_candidate(header) == expected


def test_a_hubspot_export_maps_the_first_engagement_and_keeps_the_last_contact() -> None:
    headers, samples = sampled_file("first_contact/hubspot_engagement.csv")
    targets = dict(zip(headers, suggest_mapping(headers, samples).targets, strict=True))
    assert targets["Date of first engagement"] == FIRST_CONTACTED
    assert targets["Last Contacted"] == KEEP_IN_NOTES
    assert targets["Create Date"] == CREATED_AT
    assert targets["First Conversion Date"] is None


def test_a_salesforce_export_maps_the_first_call() -> None:
    headers, samples = sampled_file("first_contact/salesforce_first_call.csv")
    targets = dict(zip(headers, suggest_mapping(headers, samples).targets, strict=True))
    assert targets["FirstCallDateTime"] == FIRST_CONTACTED
    assert targets["CreatedDate"] == CREATED_AT


def test_a_header_saying_first_wins_over_a_plain_contact_date() -> None:
    headers = ["Email", "Date contacted", "First contacted"]
    samples = [["a@b.example"], ["2026-03-02"], ["2026-03-01"]]
    # The other contact date is not lost: kept in the notes.
    assert suggest_mapping(headers, samples).targets == ("email", KEEP_IN_NOTES, FIRST_CONTACTED)


def test_a_first_email_beside_a_first_call_is_kept_and_said_why() -> None:
    headers = ["Email", "FirstCallDateTime", "FirstEmailDateTime"]
    samples = [["a@b.example", "c@d.example"], ["2026-10-03T10:04:00", ""], ["", "2026-10-04"]]
    mapping = suggest_mapping(headers, samples)
    assert mapping.targets == ("email", FIRST_CONTACTED, KEEP_IN_NOTES)
    why = explain_mapping(mapping, samples)[2].text
    assert "comes from “FirstCallDateTime”" in why
    assert "no speed-to-lead countdown" in why
    assert "kept in each lead's notes" in why
    assert is_other_contact_header("FirstEmailDateTime", KEEP_IN_NOTES)
    assert is_other_contact_header("FirstEmailDateTime", None)  # ignored: its dates still count
    assert not is_other_contact_header("FirstCallDateTime", FIRST_CONTACTED)


def test_several_last_contact_columns_are_all_kept_in_the_notes() -> None:
    headers = ["Email", "Last Contacted", "Last activity date"]
    samples = [["a@b.example"], ["2026-03-02"], ["2026-03-05"]]
    assert suggest_mapping(headers, samples).targets == ("email", KEEP_IN_NOTES, KEEP_IN_NOTES)


def test_an_ignored_last_contact_column_is_explained_as_a_last_contact_only() -> None:
    mapping = ColumnMapping(("Email", "Notes", "Last Contacted"), ("email", KEEP_IN_NOTES, None))
    why = explain_mapping(mapping, [["a@b.example"], ["hi"], ["2026-03-02"]])[2].text
    assert "A last contact is no first contact" in why
    assert "still means the lead was already contacted" not in why
