"""Keep the stored score of leads in step with their inputs and the rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import Connection, bindparam, func, select, update

from leaddesk.core.fields import Consent
from leaddesk.core.scoring import LeadFacts, RuleKind, ScoreRule, ScoreSettings, score_lead
from leaddesk.storage.schema import activities, leads, score_rules
from leaddesk.storage.settings_store import read_settings

_CHUNK = 500


def load_rules(connection: Connection) -> list[ScoreRule]:
    rows = connection.execute(
        select(score_rules).order_by(score_rules.c.position, score_rules.c.id)
    )
    return [
        ScoreRule(
            key=row.key,
            label=row.label,
            kind=RuleKind(row.kind),
            points=row.points,
            parameters=row.parameters or {},
            enabled=row.enabled,
        )
        for row in rows
    ]


def load_score_settings(connection: Connection) -> ScoreSettings:
    values = read_settings(connection)
    return ScoreSettings(
        qualification_threshold=int(values["qualification_threshold"]),
        hot_cutoff=int(values["hot_cutoff"]),
        warm_cutoff=int(values["warm_cutoff"]),
    )


def lead_facts(connection: Connection, lead_ids: Sequence[int]) -> dict[int, LeadFacts]:
    """The score inputs of each lead, read in two queries."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    last_activity: dict[int, dt.datetime] = {}
    activity_rows = connection.execute(
        select(
            activities.c.lead_id,
            activities.c.kind,
            func.count(),
            func.max(activities.c.occurred_at),
        )
        .where(activities.c.lead_id.in_(lead_ids))
        .group_by(activities.c.lead_id, activities.c.kind)
    )
    for lead_id, kind, count, latest in activity_rows:
        counts[lead_id][kind] = count
        latest = latest if latest.tzinfo else latest.replace(tzinfo=dt.UTC)
        if lead_id not in last_activity or latest > last_activity[lead_id]:
            last_activity[lead_id] = latest
    lead_rows = connection.execute(
        select(
            leads.c.id,
            leads.c.job_title,
            leads.c.company_size,
            leads.c.country,
            leads.c.email,
            leads.c.consent,
            leads.c.created_at,
        ).where(leads.c.id.in_(lead_ids))
    )
    return {
        row.id: LeadFacts(
            job_title=row.job_title,
            company_size=row.company_size,
            country=row.country,
            email=row.email,
            consent=Consent(row.consent),
            activity_counts=counts.get(row.id, {}),
            last_activity_at=last_activity.get(row.id),
            created_at=row.created_at,
        )
        for row in lead_rows
    }


def store_scores(
    session: Connection, lead_ids: Sequence[int], score: Callable[[LeadFacts], int]
) -> set[int]:
    """Recompute and store the score of one chunk of leads; returns the ids whose score changed."""
    facts = lead_facts(session, lead_ids)
    stored = dict(
        session.execute(select(leads.c.id, leads.c.score).where(leads.c.id.in_(lead_ids))).all()
    )
    new_scores = [
        {"lead_id": lead_id, "new_score": new_score}
        for lead_id, lead_facts_ in facts.items()
        if (new_score := score(lead_facts_)) != stored.get(lead_id)
    ]
    if new_scores:
        session.execute(
            update(leads)
            .where(leads.c.id == bindparam("lead_id"))
            .values(score=bindparam("new_score")),
            new_scores,
        )
    return {row["lead_id"] for row in new_scores}


def rescore_leads(session: Connection, lead_ids: Iterable[int], now: dt.datetime) -> set[int]:
    """Recompute and store the score of ``lead_ids``; returns the ids whose score changed.

    Scores with ``score_lead``, the reference the faster scorers are tested against.
    """
    rules = load_rules(session)
    settings = load_score_settings(session)

    def score(facts: LeadFacts) -> int:
        return score_lead(facts, rules, settings, now=now).score

    ids = sorted(set(lead_ids))
    changed: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        changed |= store_scores(session, ids[start : start + _CHUNK], score)
    return changed
