"""Who is the same person: an email decides; a phone or a name only where no email contradicts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from leaddesk.core.dedupe import (
    NO_NAME,
    MatchReason,
    PersonKeys,
    choose,
    compare,
    person_name,
)


def keys(
    email: str | None = None,
    phone: str | None = None,
    company: str | None = None,
    first: str = "",
    last: str = "",
) -> PersonKeys:
    return PersonKeys(email, phone, company, person_name(first, last))


SWITCHBOARD = "+442079460000"


def test_the_same_email_is_the_same_person_whatever_else_differs():
    assert compare(keys("a@acme.example", "+1"), keys("a@acme.example", "+2")) is (
        MatchReason.SAME_EMAIL
    )


def test_colleagues_behind_one_switchboard_are_only_possible_duplicates():
    anna = keys("anna@acme.example", SWITCHBOARD, "acme", "Anna", "Berg")
    bo = keys("bo@acme.example", SWITCHBOARD, "acme", "Bo", "Lind")
    reason = compare(bo, anna)
    assert reason is MatchReason.PHONE_OTHER_EMAIL
    assert not reason.same_person
    assert choose(bo, [(1, anna)]).same is None
    assert choose(bo, [(1, anna)]).possible == 1


def test_a_close_name_with_another_email_is_only_a_possible_duplicate():
    one = keys("j.schaefer@acme.example", None, "acme", "Jürgen", "Schäfer")
    other = keys("juergen@acme.example", None, "acme", "Jurgen", "Schafer")
    assert compare(other, one) is MatchReason.NAME_OTHER_EMAIL


def test_a_phone_decides_when_one_side_has_no_email():
    with_email = keys("anna@acme.example", SWITCHBOARD)
    without = keys(None, SWITCHBOARD)
    assert compare(without, with_email) is MatchReason.PHONE_NO_EMAIL_IN_ROW
    assert compare(with_email, without) is MatchReason.PHONE_NO_EMAIL_ON_LEAD
    assert compare(without, without) is MatchReason.PHONE_NO_EMAIL
    assert MatchReason.PHONE_NO_EMAIL_IN_ROW.same_person


def test_a_close_name_at_the_same_company_decides_only_without_an_email():
    lead = keys(None, None, "acme", "Jürgen", "Schäfer")
    assert compare(keys(None, None, "acme", "Jurgen", "Schaefer"), lead) is (
        MatchReason.NAME_NO_EMAIL
    )
    assert compare(keys(None, None, "other", "Jurgen", "Schaefer"), lead) is None
    assert compare(keys(None, None, None, "Jurgen", "Schaefer"), lead) is None


def test_a_row_without_email_on_a_shared_phone_is_settled_by_the_name():
    anna = keys("anna@acme.example", SWITCHBOARD, "acme", "Anna", "Berg")
    bo = keys("bo@acme.example", SWITCHBOARD, "acme", "Bo", "Lind")
    row = keys(None, SWITCHBOARD, "acme", "Bo", "Lind")
    decision = choose(row, [(1, anna), (2, bo)])
    assert (decision.same, decision.reason) == (2, MatchReason.PHONE_NO_EMAIL_IN_ROW)
    # Nobody by that name: not merged into a colleague picked at random.
    stranger = choose(keys(None, SWITCHBOARD, "acme", "Cleo", "Park"), [(1, anna), (2, bo)])
    assert (stranger.same, stranger.possible) == (None, 1)
    assert stranger.reason is MatchReason.PHONE_SEVERAL_PEOPLE


def test_leads_that_may_all_be_one_person_take_the_first():
    old = keys(None, SWITCHBOARD, first="Anna")
    newer = keys("anna@acme.example", SWITCHBOARD, first="Anna")
    decision = choose(keys(None, SWITCHBOARD), [(1, old), (2, newer)])
    assert decision.same == 1


def test_an_email_match_wins_over_an_earlier_phone_match():
    by_phone = keys(None, SWITCHBOARD)
    by_email = keys("anna@acme.example", None)
    decision = choose(keys("anna@acme.example", SWITCHBOARD), [(1, by_phone), (2, by_email)])
    assert (decision.same, decision.reason) == (2, MatchReason.SAME_EMAIL)


def test_nothing_in_common_is_nothing():
    assert compare(keys("a@x.example"), keys(None, "+1")) is None
    assert choose(keys("a@x.example"), []).reason is None
    assert keys().name == NO_NAME


emails = st.sampled_from(["anna@acme.example", "bo@acme.example", "cleo@beta.example", None])
phones = st.sampled_from([SWITCHBOARD, "+4930123", None])
companies = st.sampled_from(["acme", "beta", None])
names = st.sampled_from([("Anna", "Berg"), ("Ana", "Berg"), ("Bo", "Lind"), ("", "")])
person_keys = st.builds(
    lambda email, phone, company, name: keys(email, phone, company, *name),
    emails,
    phones,
    companies,
    names,
)


@given(row=person_keys, candidates=st.lists(person_keys, max_size=6))
def test_two_different_emails_are_never_the_same_person(
    row: PersonKeys, candidates: list[PersonKeys]
) -> None:
    for candidate in candidates:
        reason = compare(row, candidate)
        if row.email and candidate.email and row.email != candidate.email:
            assert reason is None or not reason.same_person
    decision = choose(row, list(enumerate(candidates)))
    if decision.same is not None:
        chosen = candidates[decision.same]
        assert not (row.email and chosen.email and row.email != chosen.email)
        assert decision.reason is not None
        assert decision.reason.same_person
    elif decision.possible is not None:
        assert decision.reason is not None
        assert not decision.reason.same_person
