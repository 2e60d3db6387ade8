"""Email and website checks: common addresses pass, broken ones say why in one sentence."""

from __future__ import annotations

import pytest

from leaddesk.core.validation import (
    FREE_MAIL_DOMAINS,
    email_domain,
    email_problem,
    is_free_mail,
    website_problem,
)


def is_one_sentence(message: str) -> bool:
    body = message.rstrip(".")
    return message.endswith(".") and body and ". " not in body and "\n" not in message


@pytest.mark.parametrize(
    "email",
    [
        "anna@acme.io",
        "Anna.Smith@Example.COM",
        "first.last+newsletter@mail.example.co.uk",
        "o'brien@example.ie",
        "x@a-b.de",
        "user_name-1@sub.domain.example.org",
        "1234@example.com",
    ],
)
def test_common_valid_addresses_have_no_problem(email: str) -> None:
    assert email_problem(email) is None


@pytest.mark.parametrize(
    "email",
    [
        "jürgen@bäckerei-schäfer.de",  # internationalised domain
        "josé@example.com",  # unicode local part
        "用户@例子.广告",
        "анна@пример.рф",
    ],
)
def test_internationalised_addresses_are_accepted(email: str) -> None:
    assert email_problem(email) is None


@pytest.mark.parametrize("empty", [None, ""])
def test_a_missing_email_is_not_a_problem(empty: str | None) -> None:
    assert email_problem(empty) is None


@pytest.mark.parametrize(
    "email",
    [
        "plainaddress",
        "anna@@acme.io",
        "anna smith@acme.io",
        "anna@acme.io, bob@acme.io",
        "@acme.io",
        "anna@",
        "anna@acme",  # no top-level domain
        "anna..smith@acme.io",
        ".anna@acme.io",
        "anna.@acme.io",
        "anna@-acme.io",
        "anna@acme..io",
        "anna@" + "a" * 320 + ".com",
    ],
)
def test_broken_addresses_get_a_one_sentence_reason(email: str) -> None:
    problem = email_problem(email)
    assert problem is not None
    assert is_one_sentence(problem), problem


def test_an_over_long_address_says_so() -> None:
    problem = email_problem("a" * 310 + "@example.com")
    assert problem is not None
    assert "320" in problem


def test_a_missing_or_doubled_at_sign_is_explained() -> None:
    assert "@" in (email_problem("anna@@acme.io") or "")
    assert "@" in (email_problem("anna.acme.io") or "")


def test_the_library_answer_is_consistent_on_repeat() -> None:
    # The slow path is memoised; the second answer must equal the first.
    first = email_problem("jürgen@bäckerei")
    assert first is not None
    assert email_problem("jürgen@bäckerei") == first


@pytest.mark.parametrize(
    ("email", "domain"),
    [
        ("anna@Acme.IO", "acme.io"),
        ("anna@acme.io ", "acme.io"),
        ('"a@b"@example.com', "example.com"),
        ("no-at-sign", None),
        ("anna@", None),
        (None, None),
    ],
)
def test_email_domain(email: str | None, domain: str | None) -> None:
    assert email_domain(email) == domain


@pytest.mark.parametrize(
    ("email", "free"),
    [
        ("anna@gmail.com", True),
        ("Anna@GMail.com", True),
        ("hans@web.de", True),
        ("jean@orange.fr", True),
        ("anna@acme.io", False),
        ("anna@gmail.com.acme.io", False),
        ("anna@notgmail.com", False),
        (None, False),
        ("", False),
    ],
)
def test_free_mail_detection(email: str | None, free: bool) -> None:
    assert is_free_mail(email) is free


def test_free_mail_domains_are_lower_case_domains() -> None:
    assert all(domain == domain.lower() and "." in domain for domain in FREE_MAIL_DOMAINS)


@pytest.mark.parametrize(
    "url",
    [
        "example.com",
        "www.example.co.uk",
        "https://example.com",
        "http://example.com/page?x=1#top",
        "HTTPS://Example.COM/About",
        "https://shop.example.com:8443/cart",
        "  https://example.com  ",
        "https://www.müller.de",  # internationalised domain
        "bäckerei-schäfer.de/kontakt",
        "https://xn--mller-kva.de",  # the same in punycode
        "http://пример.рф",
    ],
)
def test_website_addresses_people_type_are_accepted(url: str) -> None:
    assert website_problem(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "not a website",
        "example",
        "http://",
        "https://exa mple.com",
        "ftp://example.com",
        "mailto:anna@example.com",
        "anna@example.com",
        "https://-example.com",
        "http://localhost:8000",
    ],
)
def test_things_that_are_not_websites_are_explained(url: str) -> None:
    problem = website_problem(url)
    assert problem == "The website should look like example.com or https://example.com/page."


@pytest.mark.parametrize("empty", [None, ""])
def test_a_missing_website_is_not_a_problem(empty: str | None) -> None:
    assert website_problem(empty) is None
