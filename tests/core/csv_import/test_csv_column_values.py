"""Columns matched by their header and confirmed by their values (issue #11)."""

from __future__ import annotations

import pytest

from leaddesk.core.csv_import.column_values import column_fit, is_honorific
from leaddesk.core.csv_import.export_headers import LEADDESK_EXPORT_HEADERS
from leaddesk.core.csv_import.mapping import CREATED_AT, KEEP_IN_NOTES, suggest_mapping
from tests.core.csv_import.csv_samples import sampled_file


def _targets(name: str) -> dict[str, str | None]:
    headers, samples = sampled_file(name)
    mapping = suggest_mapping(headers, samples)
    return dict(zip(mapping.headers, mapping.targets, strict=True))


# --- the values confirm or refuse what the header proposes ---------------------------


@pytest.mark.parametrize(
    ("target", "values", "read"),
    [
        ("temperature", ["Hot", "Warm", "Tier 1", "A"], 3),
        ("temperature", ["* myContacts ::: Friends", "Customer, VIP"], 0),
        ("stage", ["Open - Not Contacted", "Recycled", "Qualified"], 2),
        ("consent", ["Subscribed", "Weekly digest"], 1),
        (CREATED_AT, ["2026-03-01T10:00:00.000+0000", "07/31/2026", "soon"], 2),
        ("deal_value", ["1.234,50", "lots", "5,000"], 2),
        ("company_size", ["50", "1,200", "many"], 2),
        ("email", ["* Work", "a@b.example"], 1),
        ("phone", ["Mobile", "+49 30 1234567", "(555) 201-0001 ext. 12"], 2),
        ("job_title", ["Mr.", "Dr.", "Head of Sales"], 1),
        ("company", ["anything", "goes"], 2),
    ],
)
def test_column_fit_counts_the_values_the_field_reads(
    target: str, values: list[str], read: int
) -> None:
    fit = column_fit(target, [*values, "", "  ", "n/a"])  # empties are not judged
    assert (fit.read, fit.total) == (read, len(values))


def test_a_column_fit_quotes_a_few_unreadable_values_once() -> None:
    fit = column_fit("temperature", ["Tier 1", "Tier 1", "Tier 2", "Tier 3", "Tier 4"])
    assert fit.unreadable == ("Tier 1", "Tier 2", "Tier 3")
    assert not fit.confirmed


@pytest.mark.parametrize("text", ["Mr.", "mrs", "Ms", "Dr.", "Prof. Dr.", "Herr", "Frau", "M."])
def test_honorifics_are_recognised(text: str) -> None:
    assert is_honorific(text)


@pytest.mark.parametrize("text", ["Director", "Dr. of Marketing", "CEO", "", "Mrs Robinson"])
def test_job_titles_are_not_honorifics(text: str) -> None:
    assert not is_honorific(text)


# --- vendor files with their own columns ----------------------------------------------


def test_a_salesforce_rating_of_tiers_is_kept_in_the_notes_not_a_temperature() -> None:
    targets = _targets("salesforce_rating_tiers.csv")
    assert targets["Rating"] == KEEP_IN_NOTES
    # Mostly known words: the stage stays; 'Recycled' will be kept in that lead's notes.
    assert targets["Status"] == "stage"
    assert targets["Title"] == "job_title"  # Salesforce's Title is the job title
    assert targets["CreatedDate"] == CREATED_AT


def test_google_contacts_labels_and_type_columns_are_not_mapped_by_their_header() -> None:
    targets = _targets("google_contacts_labels.csv")
    assert targets["Labels"] == KEEP_IN_NOTES
    assert targets["E-mail 1 - Type"] is None
    assert targets["Phone 1 - Type"] is None
    assert (targets["E-mail 1 - Value"], targets["Phone 1 - Value"]) == ("email", "phone")
    assert targets["Organization 1 - Title"] == "job_title"


def test_pipedrive_labels_that_are_not_temperatures_are_kept_in_the_notes() -> None:
    targets = _targets("pipedrive_labels.csv")
    assert targets["Person - Label(s)"] == KEEP_IN_NOTES
    assert targets["Person - Marketing status"] == "consent"
    assert targets["Deal - Value"] == "deal_value"


def test_an_honorific_title_never_takes_the_job_title() -> None:
    assert _targets("outlook_title_job_title.csv")["Title"] is None
    assert _targets("outlook_title_job_title.csv")["Job Title"] == "job_title"
    assert _targets("honorific_title_only.csv")["Title"] is None


def test_a_job_title_column_beats_title_even_without_values() -> None:
    mapping = suggest_mapping(["Title", "First Name", "Job Title", "Email"])
    assert mapping.targets == (None, "first_name", "job_title", "email")


def test_the_better_fitting_column_wins_among_equal_headers() -> None:
    headers = ["Email", "Rating", "Temperature"]
    samples = [["a@b.example"] * 3, ["Hot", "Tier 1", "Cold"], ["Hot", "Warm", "Cold"]]
    mapping = suggest_mapping(headers, samples)
    assert mapping.targets == ("email", None, "temperature")


@pytest.mark.parametrize(
    "name",
    [
        "hubspot_contacts.csv",
        "pipedrive_people.csv",
        "salesforce_leads.csv",
        "outlook_contacts.csv",
        "google_contacts.csv",
        "linkedin_connections.csv",
        "excel_de_semicolon_cp1252.csv",
        "excel_unicode_text_utf16.csv",
        "pipe_delimited.csv",
        "old_mac_cr.csv",
    ],
)
def test_vendor_files_whose_values_fit_map_as_by_their_headers(name: str) -> None:
    headers, samples = sampled_file(name)
    assert suggest_mapping(headers, samples) == suggest_mapping(headers)


def test_a_restore_of_our_own_export_is_mapped_by_header_whatever_it_holds() -> None:
    headers = LEADDESK_EXPORT_HEADERS
    samples = [["garbage"] for _ in headers]
    assert suggest_mapping(headers, samples) == suggest_mapping(headers)
