"""Suggesting which column fills which lead field, and the one-target-per-column rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaddesk.core.csv_import.mapping import (
    CREATED_AT,
    EMAIL_OPT_OUT,
    FULL_NAME,
    KEEP_IN_NOTES,
    ColumnMapping,
    suggest_mapping,
)


def _targets(headers: list[str]) -> dict[str, str | None]:
    mapping = suggest_mapping(headers)
    return dict(zip(mapping.headers, mapping.targets, strict=True))


def test_hubspot_headers() -> None:
    assert _targets(
        [
            "Record ID",
            "First Name",
            "Last Name",
            "Email",
            "Phone Number",
            "Mobile Phone Number",
            "Contact owner",
            "Lead Status",
            "Lifecycle Stage",
            "Original Source",
            "Create Date",
            "Job Title",
            "Company Name",
            "Marketing contact status",
            "Website URL",
            "Country/Region",
            "Industry",
            "Number of Employees",
        ]
    ) == {
        "Record ID": None,
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email": "email",
        "Phone Number": "phone",
        "Mobile Phone Number": None,  # the main phone number wins
        "Contact owner": "owner",
        "Lead Status": None,  # the lifecycle stage is the better stage column
        "Lifecycle Stage": "stage",
        "Original Source": "source",
        "Create Date": CREATED_AT,
        "Job Title": "job_title",
        "Company Name": "company",
        "Marketing contact status": "consent",
        "Website URL": "website",
        "Country/Region": "country",
        "Industry": "industry",
        "Number of Employees": "company_size",
    }


def test_pipedrive_headers_use_the_full_name() -> None:
    targets = _targets(
        [
            "Person - Name",
            "Person - Email - Work",
            "Person - Phone - Mobile",
            "Person - Organization",
            "Person - Label(s)",
            "Person - Notes",
            "Person - Marketing status",
            "Person - Person created",
            "Person - Job title",
        ]
    )
    assert targets == {
        "Person - Name": FULL_NAME,
        "Person - Email - Work": "email",
        "Person - Phone - Mobile": "phone",
        "Person - Organization": "company",
        "Person - Label(s)": "temperature",
        "Person - Notes": "notes",
        "Person - Marketing status": "consent",
        "Person - Person created": CREATED_AT,
        "Person - Job title": "job_title",
    }


@pytest.mark.parametrize(
    "headers",
    [
        [
            "FirstName",
            "LastName",
            "Company",
            "Email",
            "Phone",
            "MobilePhone",
            "Title",
            "LeadSource",
            "Status",
            "Rating",
            "HasOptedOutOfEmail",
            "CreatedDate",
            "Description",
        ],
        [
            "First Name",
            "Last Name",
            "Company",
            "Email",
            "Phone",
            "Mobile",
            "Title",
            "Lead Source",
            "Lead Status",
            "Rating",
            "Email Opt Out",
            "Created Date",
            "Description",
        ],
    ],
)
def test_salesforce_api_names_and_labels_map_alike(headers: list[str]) -> None:
    assert suggest_mapping(headers).targets == (
        "first_name",
        "last_name",
        "company",
        "email",
        "phone",
        None,
        "job_title",
        "source",
        "stage",
        "temperature",
        EMAIL_OPT_OUT,
        CREATED_AT,
        "notes",
    )


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            [
                "Vorname",
                "Nachname",
                "E-Mail",
                "Telefon",
                "Firma",
                "Position",
                "Quelle",
                "Erstellt am",
                "Budget",
            ],
            [
                "first_name",
                "last_name",
                "email",
                "phone",
                "company",
                "job_title",
                "source",
                CREATED_AT,
                "budget_range",
            ],
        ),
        (
            ["Prénom", "Nom", "Courriel", "Téléphone", "Société", "Poste"],
            ["first_name", "last_name", "email", "phone", "company", "job_title"],
        ),
        (
            ["NOMBRE", "apellidos", "Correo electrónico", "Teléfono", "Empresa", "Cargo"],
            ["first_name", "last_name", "email", "phone", "company", "job_title"],
        ),
        (
            [
                "Given Name",
                "Family Name",
                "E-mail 1 - Value",
                "Phone 1 - Value",
                "Organization 1 - Name",
                "Organization 1 - Title",
            ],
            ["first_name", "last_name", "email", "phone", "company", "job_title"],
        ),
        (
            [
                "First Name",
                "Middle Name",
                "Last Name",
                "E-mail Address",
                "Business Phone",
                "Mobile Phone",
                "Company",
                "Job Title",
            ],
            ["first_name", None, "last_name", "email", "phone", None, "company", "job_title"],
        ),
        (
            [
                "First Name",
                "Last Name",
                "URL",
                "Email Address",
                "Company",
                "Position",
                "Connected On",
            ],
            ["first_name", "last_name", None, "email", "company", "job_title", CREATED_AT],
        ),
    ],
)
def test_spreadsheet_and_contact_exports(headers: list[str], expected: list[str | None]) -> None:
    assert list(suggest_mapping(headers).targets) == expected


def test_full_name_is_ignored_when_first_name_exists() -> None:
    assert _targets(["Name", "First Name", "Last Name"])["Name"] is None
    assert _targets(["Full Name", "Email"])["Full Name"] == FULL_NAME


def test_unmapped_headers_are_reported_in_file_order() -> None:
    mapping = suggest_mapping(["Email", "Favourite colour", "Record ID"])
    assert mapping.unmapped_headers == ("Favourite colour", "Record ID")


def test_reassigning_a_target_frees_the_column_that_had_it() -> None:
    mapping = suggest_mapping(["Phone", "Mobile"]).with_target(1, "phone")
    assert mapping.targets == (None, "phone")
    with pytest.raises(ValueError, match="one column"):
        ColumnMapping(("a", "b"), ("email", "email"))


@given(st.lists(st.text(max_size=20), max_size=15))
def test_suggestions_never_fill_a_target_twice(headers: list[str]) -> None:
    # Ignore and "Keep in notes" take any number of columns; a field takes one.
    targets = [t for t in suggest_mapping(headers).targets if t not in (None, KEEP_IN_NOTES)]
    assert len(targets) == len(set(targets))


def test_several_columns_may_be_kept_in_the_notes() -> None:
    mapping = ColumnMapping(("A", "B", "Email"), (KEEP_IN_NOTES, KEEP_IN_NOTES, "email"))
    assert mapping.with_target(2, KEEP_IN_NOTES).targets == (KEEP_IN_NOTES,) * 3
    assert mapping.with_target(0, "email").targets == ("email", KEEP_IN_NOTES, None)
    with pytest.raises(ValueError, match="one column only"):
        ColumnMapping(("A", "B"), ("email", "email"))
