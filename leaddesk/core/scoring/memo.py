"""``ScoreMemo``: the new-lead score of an import, memoised on what it reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from itertools import compress
from operator import itemgetter, methodcaller, not_
from typing import cast

from leaddesk.core.csv_import.value_contacts import domain_problem, domain_problems
from leaddesk.core.validation import FREE_MAIL_DOMAINS, SIMPLE_EMAIL, email_problem, is_free_mail

# NewLeadScorer.score_new_lead: (job title, company size, country, email,
# consent, created at) -> score.
NewLeadScore = Callable[
    [str | None, int | None, str | None, str | None, str, dt.datetime | None], int
]
# (valid, free mail, not empty) of an email: all that score_new_lead reads of it.
EmailClass = tuple[bool, bool, bool]
# A lead as the memo knows it: its facts, the email replaced by its class.
_Key = tuple[str | None, int | None, str | None, str, dt.datetime | None, EmailClass]


class ScoreMemo:
    """``score_new_lead`` memoised on what it reads of a lead.

    It reads the email only as whether it is valid, free mail, and not empty
    (see NewLeadScorer.score_new_lead), so the memo is keyed on those three and
    the other facts; a miss asks ``score_new_lead`` itself. Addresses the fast
    pattern accepts are valid without asking email_problem.
    """

    LIMIT = 65_536

    def __init__(self, score_new_lead: NewLeadScore) -> None:
        self._score_new_lead = score_new_lead
        self._memo: dict[_Key, int] = {}

    def scores(
        self,
        job_titles: Sequence[str | None],
        company_sizes: Sequence[int | None],
        countries: Sequence[str | None],
        emails: Sequence[str | None],
        consents: Sequence[str],
        since: Sequence[dt.datetime | None],
    ) -> list[int]:
        """The score of each new lead, given column by column.

        The email classes are worked out with map() over whole columns, not per lead.
        """
        texts: Sequence[str] = (
            cast(Sequence[str], emails) if None not in emails else [e or "" for e in emails]
        )
        # Addresses the fast pattern accepts (within the length limit): the
        # domain decides free mail. The others are the odd ones.
        odd = list(compress(range(len(texts)), map(not_, map(SIMPLE_EMAIL.fullmatch, texts))))
        if texts and max(map(len, texts)) > _EMAIL_MAX:
            odd = sorted({*odd, *(i for i, text in enumerate(texts) if len(text) > _EMAIL_MAX)})
        domains = map(str.lower, map(_DOMAIN, map(_AT_SPLIT, texts)))
        classes: list[EmailClass] = list(map(_CLASS_OF_FREE.__getitem__, map(_FREE, domains)))
        if odd:
            self._odd_classes(classes, emails, odd)
        keys = list(
            zip(job_titles, company_sizes, countries, consents, since, classes, strict=True)
        )
        points: list[int | None] = list(map(self._memo.get, keys))
        if None in points:
            memo = self._memo
            for index, found in enumerate(points):
                if found is None:
                    # Asked again: an earlier row of this chunk may have been scored.
                    key = keys[index]
                    known = memo.get(key)
                    points[index] = (
                        known if known is not None else self._remember(key, emails[index])
                    )
        # No None is left: each miss was scored above.
        return cast(list[int], points)

    @staticmethod
    def _odd_classes(
        classes: list[EmailClass], emails: Sequence[str | None], odd: list[int]
    ) -> None:
        """Put the class of each email at ``odd`` (those the fast pattern refused).

        Their domains are judged a column at a time (domain_problems), as
        ``_email_class`` judges one address: in an import of addresses at
        international domains they are most of the column.
        """
        odd_emails = [emails[index] for index in odd]
        problems = domain_problems([email or "" for email in odd_emails])
        for index, email, problem in zip(odd, odd_emails, problems, strict=True):
            if email is None:
                classes[index] = _NO_EMAIL
            elif problem is False:
                classes[index] = _email_class(email)
            else:
                classes[index] = (problem is None, is_free_mail(email), True)

    def _remember(self, key: _Key, email: str | None) -> int:
        """Score the lead ``key`` describes (its email as given) and memoise it."""
        if len(self._memo) >= self.LIMIT:
            self._memo.clear()
        job_title, company_size, country, consent, since, _class = key
        points = self._memo[key] = self._score_new_lead(
            job_title, company_size, country, email, consent, since
        )
        return points


def _email_class(email: str | None) -> EmailClass:
    """(valid, free mail, not empty) of an email, as score_new_lead reads it."""
    if email is None:
        return _NO_EMAIL
    if len(email) <= _EMAIL_MAX and SIMPLE_EMAIL.fullmatch(email):
        # Valid for email_problem; its domain is what is_free_mail reads.
        free = email.rpartition("@")[2].lower() in FREE_MAIL_DOMAINS
        return _VALID_FREE if free else _VALID_BUSINESS
    # An international domain, say: judged by the domain, as email_problem would.
    problem = domain_problem(email)
    valid = problem is None if problem is not False else email_problem(email) is None
    return (valid, is_free_mail(email), bool(email))


_EMAIL_MAX = 320
# (valid, free mail, not empty) of an email, as score_new_lead reads it.
_NO_EMAIL: EmailClass = (True, False, False)
_VALID_FREE: EmailClass = (True, True, True)
_VALID_BUSINESS: EmailClass = (True, False, True)
_CLASS_OF_FREE: dict[bool, EmailClass] = {True: _VALID_FREE, False: _VALID_BUSINESS}
_AT_SPLIT = methodcaller("rpartition", "@")
_DOMAIN = itemgetter(2)
_FREE = FREE_MAIL_DOMAINS.__contains__
