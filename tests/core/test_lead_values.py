"""Cleaning lead values before a save: trimming, blanks, enums, kinds, identity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from leaddesk.core.fields import LEAD_FIELDS, Consent, Stage, Temperature
from leaddesk.core.lead_values import (
    LeadValuesError,
    clean_lead_values,
    identity_problem,
    soft_problems,
)


def problems_of(values: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(LeadValuesError) as caught:
        clean_lead_values(values)
    return caught.value.problems


def test_text_is_trimmed_and_blanks_become_none() -> None:
    cleaned = clean_lead_values(
        {
            "first_name": "  Anna ",
            "last_name": "\tSchäfer\n",
            "company": "   ",
            "campaign": "",
            "notes": "  line one\nline two  ",
        }
    )
    assert cleaned == {
        "first_name": "Anna",
        "last_name": "Schäfer",
        "company": None,
        "campaign": None,
        "notes": "line one\nline two",
    }


def test_inner_whitespace_and_accents_are_kept() -> None:
    cleaned = clean_lead_values({"company": "Bäckerei  Müller & Söhne"})
    assert cleaned["company"] == "Bäckerei  Müller & Söhne"


def test_email_is_trimmed_and_lower_cased() -> None:
    assert clean_lead_values({"email": "  Anna.Smith@Example.COM "}) == {
        "email": "anna.smith@example.com"
    }


def test_only_given_fields_are_returned() -> None:
    assert clean_lead_values({}) == {}
    assert set(clean_lead_values({"phone": "+44 20 7946 0004"})) == {"phone"}


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("temperature", "HOT", Temperature.HOT),
        ("temperature", " warm ", Temperature.WARM),
        ("temperature", Temperature.COLD, Temperature.COLD),
        ("stage", "SQL", Stage.SQL),
        ("stage", "Opportunity", Stage.OPPORTUNITY),
        ("consent", "Denied", Consent.DENIED),
        ("consent", "granted", Consent.GRANTED),
    ],
)
def test_enums_parse_case_insensitively(name: str, raw: Any, expected: Any) -> None:
    value = clean_lead_values({name: raw})[name]
    assert value is expected


@pytest.mark.parametrize(
    ("name", "raw", "label", "allowed"),
    [
        ("temperature", "boiling", "Temperature", "cold, warm, hot"),
        ("stage", "prospect", "Stage", "lead, mql, sql, opportunity, customer, disqualified"),
        ("consent", "maybe", "Consent", "unknown, granted, denied"),
    ],
)
def test_unknown_enum_values_are_refused_with_a_sentence_naming_the_field(
    name: str, raw: str, label: str, allowed: str
) -> None:
    message = problems_of({name: raw})[name]
    assert message.startswith(label)
    assert allowed in message
    assert f"'{raw}'" in message
    assert message.endswith(".")


@pytest.mark.parametrize("name", ["temperature", "stage", "consent"])
@pytest.mark.parametrize("blank", ["", "   ", None])
def test_enums_cannot_be_blank(name: str, blank: str | None) -> None:
    message = problems_of({name: blank})[name]
    assert "cannot be empty" in message
    assert message.split()[0] in {"Temperature", "Stage", "Consent"}


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("company_size", "50"),  # text where a number belongs
        ("company_size", -1),
        ("company_size", 12.5),
        ("company_size", True),
        ("deal_value", 1999.99),  # money is whole cents
        ("deal_value", "1,000"),
        ("won_value", False),
        ("owner", 2.5),  # an owner is a team member's id or name
        ("owner", True),
        ("budget_confirmed", "yes"),
        ("decision_maker", 1),
        ("expected_close_date", "2026-12-01"),
        ("expected_close_date", dt.datetime(2026, 12, 1, tzinfo=dt.UTC)),
        ("won_date", 20261201),
        ("consent_date", dt.datetime(2026, 12, 1, 9, 0)),  # naive: zone unknown
        ("consent_date", dt.date(2026, 12, 1)),
        ("first_name", 42),
        ("email", ["a@b.com"]),
        ("notes", b"bytes"),
    ],
)
def test_values_of_the_wrong_kind_are_refused(name: str, raw: Any) -> None:
    problems = problems_of({name: raw})
    assert set(problems) == {name}
    label = next(field.label for field in LEAD_FIELDS if field.name == name)
    assert problems[name].startswith(f"{label}: ")
    assert problems[name].endswith(".")


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("company_size", 0),
        ("company_size", 250),
        ("deal_value", 123456),
        ("deal_value", -500),  # a credit note is still money
        ("owner", 3),
        ("owner", "Sam Seller"),
        ("budget_confirmed", False),
        ("decision_maker", True),
        ("expected_close_date", dt.date(2026, 12, 1)),
        ("won_date", dt.date(2027, 1, 31)),
        ("consent_date", dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
        ("enquiry", "Hello,\nplease call me back.\n\nThanks"),
    ],
)
def test_values_of_the_right_kind_are_kept_as_they_are(name: str, raw: Any) -> None:
    assert clean_lead_values({name: raw}) == {name: raw}


def test_unknown_fields_are_refused() -> None:
    problems = problems_of({"first_name": "Anna", "favourite_colour": "blue"})
    assert problems == {"favourite_colour": "'favourite_colour' is not a lead field."}


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(LeadValuesError) as caught:
        clean_lead_values({"temperature": "boiling", "company_size": "many", "shoe_size": 42})
    assert set(caught.value.problems) == {"temperature", "company_size", "shoe_size"}
    # The exception's message is the sentences one after another.
    message = str(caught.value)
    for sentence in caught.value.problems.values():
        assert sentence in message


def test_lead_values_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Temperature"):
        clean_lead_values({"temperature": "boiling"})


# --- identity -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"first_name": "Anna"},
        {"last_name": "Schäfer"},
        {"email": "anna@acme.io"},
        {"phone": "+44 20 7946 0004"},
        {"email": "not valid but still identifies"},
    ],
)
def test_a_name_an_email_or_a_phone_identifies_a_lead(values: dict[str, str]) -> None:
    assert identity_problem(values) is None


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"company": "Acme", "job_title": "CEO", "website": "acme.io"},
        {"first_name": None, "last_name": "", "email": None, "phone": None},
    ],
)
def test_a_lead_without_name_email_or_phone_has_an_identity_problem(
    values: dict[str, Any],
) -> None:
    problem = identity_problem(values)
    assert problem == "A lead needs at least a name, an email address or a phone number."


# --- soft problems ----------------------------------------------------------------------


def test_soft_problems_report_a_bad_email_and_website_without_blocking() -> None:
    values = {"first_name": "Anna", "email": "anna@@acme.io", "website": "not a website"}
    assert clean_lead_values(values)["email"] == "anna@@acme.io"  # stored, not refused
    problems = soft_problems(values)
    assert set(problems) == {"email", "website"}
    assert "@" in problems["email"]
    assert "example.com" in problems["website"]


def test_good_or_missing_email_and_website_have_no_soft_problems() -> None:
    assert soft_problems({"email": "anna@acme.io", "website": "https://acme.io"}) == {}
    assert soft_problems({"first_name": "Anna"}) == {}
    assert soft_problems({"email": None, "website": None}) == {}
