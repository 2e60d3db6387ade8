"""Editing the score rules, the qualification threshold and the temperature cut-offs.

Every edit rescores every lead in the same transaction, so a stored score never
disagrees with the stored rules: when the rescore is cancelled or fails, the
edit is not saved either. Settings runs these on a worker thread with progress
(``progress``/``should_cancel``); the command line and tests call them directly.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from leaddesk.core.rule_text import (
    RuleProblem,
    clean_rule,
    is_default_rule,
    score_settings_problem,
)
from leaddesk.core.scoring import BatchScorer, LeadFacts, RuleKind, ScoreRule, ScoreSettings
from leaddesk.errors import UserError
from leaddesk.operations.changes import Changes
from leaddesk.operations.context import OperationContext
from leaddesk.operations.scoring import load_rules, load_score_settings, store_scores
from leaddesk.storage.schema import leads, score_rules
from leaddesk.storage.settings_store import write_setting

Progress = Callable[[int, int], None]
ShouldCancel = Callable[[], bool]

# Leads rescored per step: progress moves, and the cancel flag is read, this often.
_RESCORE_CHUNK = 2000


class RescoreCancelled(Exception):
    """The user stopped a rescore; the transaction, and the edit, were rolled back."""


class RuleNotFoundError(UserError):
    def __init__(self, key: str) -> None:
        super().__init__(f"There is no score rule '{key}'; it may have been deleted meanwhile.")


def rescore_all(
    session: Connection,
    now: dt.datetime,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> set[int]:
    """Recompute every lead's score (the trash too, so a restored lead is right).

    Returns the ids whose score changed. Raises RescoreCancelled between chunks
    when ``should_cancel`` says so; the caller's transaction then rolls back.
    """
    ids = list(session.execute(select(leads.c.id).order_by(leads.c.id)).scalars())
    total = len(ids)
    # The same scores as rescore_leads (score_lead), with repeated titles,
    # countries and sizes judged once for the whole run.
    scorer = BatchScorer(load_rules(session), load_score_settings(session), now=now)

    def score(facts: LeadFacts) -> int:
        return scorer.score(facts).score

    changed: set[int] = set()
    if progress is not None:
        progress(0, total)
    for start in range(0, total, _RESCORE_CHUNK):
        if should_cancel is not None and should_cancel():
            raise RescoreCancelled
        changed |= store_scores(session, ids[start : start + _RESCORE_CHUNK], score)
        if progress is not None:
            progress(min(total, start + _RESCORE_CHUNK), total)
    return changed


def _cleaned(rule: ScoreRule) -> ScoreRule:
    try:
        return clean_rule(rule)
    except RuleProblem as problem:
        raise UserError(str(problem)) from None


def _new_key(session: Connection, label: str) -> str:
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_")[:40] or "rule"
    taken = set(session.execute(select(score_rules.c.key)).scalars())
    key, suffix = f"custom_{slug}", 2
    while key in taken:
        key, suffix = f"custom_{slug}_{suffix}", suffix + 1
    return key


def _row(rule: ScoreRule) -> dict[str, Any]:
    return {
        "label": rule.label,
        "kind": rule.kind.value,
        "points": rule.points,
        "parameters": dict(rule.parameters),
        "enabled": rule.enabled,
    }


def _insert(session: Connection, rule: ScoreRule, position: int | None = None) -> str:
    key = rule.key or _new_key(session, rule.label)
    if position is None:
        last = session.execute(select(func.max(score_rules.c.position))).scalar()
        position = 0 if last is None else int(last) + 1
    session.execute(score_rules.insert().values(key=key, position=position, **_row(rule)))
    return key


def _finish(
    ctx: OperationContext,
    session: Connection,
    description: str,
    progress: Progress | None,
    should_cancel: ShouldCancel | None,
) -> Changes:
    changed = rescore_all(session, ctx.clock.now(), progress, should_cancel)
    # The order of the board does not change, only what its cards show.
    return Changes(updated=frozenset(changed), settings=True, description=description)


def _stored(session: Connection, key: str) -> ScoreRule:
    for rule in load_rules(session):
        if rule.key == key:
            return rule
    raise RuleNotFoundError(key)


def add_rule(
    ctx: OperationContext,
    label: str,
    kind: RuleKind | str,
    points: int,
    parameters: dict[str, Any] | None = None,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> tuple[str, Changes]:
    """Add a rule after the others; returns its key."""
    try:
        rule_kind = RuleKind(kind)
    except ValueError:
        raise UserError(f"'{kind}' is not a kind of score rule.") from None
    rule = _cleaned(ScoreRule("", label, rule_kind, points, parameters or {}))
    with ctx.db.transaction() as session:
        key = _insert(session, rule)
        changes = _finish(ctx, session, "Add score rule", progress, should_cancel)
    return key, changes


def update_rule(
    ctx: OperationContext,
    key: str,
    *,
    label: str | None = None,
    kind: RuleKind | str | None = None,
    points: int | None = None,
    parameters: dict[str, Any] | None = None,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> Changes:
    """Change what a rule looks at or how many points it gives; only what is given."""
    with ctx.db.transaction() as session:
        current = _stored(session, key)
        try:
            new_kind = current.kind if kind is None else RuleKind(kind)
        except ValueError:
            raise UserError(f"'{kind}' is not a kind of score rule.") from None
        rule = _cleaned(
            ScoreRule(
                key,
                current.label if label is None else label,
                new_kind,
                current.points if points is None else points,
                current.parameters if parameters is None else parameters,
                current.enabled,
            )
        )
        if rule == current:
            return Changes()
        session.execute(update(score_rules).where(score_rules.c.key == key).values(**_row(rule)))
        return _finish(ctx, session, "Edit score rule", progress, should_cancel)


def set_rule_enabled(
    ctx: OperationContext,
    key: str,
    enabled: bool,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> Changes:
    """Switch a rule off (it stays listed, gives no points) or back on."""
    with ctx.db.transaction() as session:
        if _stored(session, key).enabled == enabled:
            return Changes()
        session.execute(update(score_rules).where(score_rules.c.key == key).values(enabled=enabled))
        verb = "Enable" if enabled else "Disable"
        return _finish(ctx, session, f"{verb} score rule", progress, should_cancel)


def delete_rule(
    ctx: OperationContext,
    key: str,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> Changes:
    """Remove a rule the user added; LeadDesk's own rules can only be disabled."""
    with ctx.db.transaction() as session:
        rule = _stored(session, key)
        if is_default_rule(key):
            raise UserError(
                f"'{rule.label}' is one of LeadDesk's own rules: disable it instead of deleting it."
            )
        session.execute(delete(score_rules).where(score_rules.c.key == key))
        return _finish(ctx, session, "Delete score rule", progress, should_cancel)


def _check_settings(settings: ScoreSettings) -> None:
    if problem := score_settings_problem(settings):
        raise UserError(problem)


def _write_score_settings(session: Connection, settings: ScoreSettings) -> None:
    write_setting(session, "qualification_threshold", settings.qualification_threshold)
    write_setting(session, "hot_cutoff", settings.hot_cutoff)
    write_setting(session, "warm_cutoff", settings.warm_cutoff)


def set_score_settings(
    ctx: OperationContext,
    settings: ScoreSettings,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> Changes:
    """Store the qualification threshold and the hot and warm cut-offs."""
    _check_settings(settings)
    with ctx.db.transaction() as session:
        if load_score_settings(session) == settings:
            return Changes()
        _write_score_settings(session, settings)
        # Cut-offs change no score, only the temperature it suggests (settings=True).
        return _finish(ctx, session, "Change score cut-offs", progress, should_cancel)


def save_scoring(
    ctx: OperationContext,
    rules: Sequence[ScoreRule],
    settings: ScoreSettings,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> Changes:
    """Make the stored rules, in this order, and the cut-offs exactly these; one rescore.

    What Settings saves when OK is pressed: rules with a key update the stored
    rule of that key, rules without one are added, stored rules the list leaves
    out are deleted (not LeadDesk's own: those can only be disabled).
    """
    cleaned = [_cleaned(rule) for rule in rules]
    _check_settings(settings)
    with ctx.db.transaction() as session:
        stored = {rule.key: rule for rule in load_rules(session)}
        wanted_keys = {rule.key for rule in cleaned if rule.key}
        if missing := wanted_keys - stored.keys():
            raise RuleNotFoundError(min(missing))
        for key, rule in stored.items():
            if key not in wanted_keys and is_default_rule(key):
                raise UserError(
                    f"'{rule.label}' is one of LeadDesk's own rules: "
                    "disable it instead of deleting it."
                )
        order_before = list(stored)
        reordered = False
        for key in stored.keys() - wanted_keys:
            session.execute(delete(score_rules).where(score_rules.c.key == key))
        rules_changed = len(wanted_keys) != len(stored)
        for position, rule in enumerate(cleaned):
            if not rule.key:
                _insert(session, rule, position)
                rules_changed = True
                continue
            if rule != stored[rule.key] or order_before.index(rule.key) != position:
                session.execute(
                    update(score_rules)
                    .where(score_rules.c.key == rule.key)
                    .values(position=position, **_row(rule))
                )
                rules_changed = rules_changed or rule != stored[rule.key]
                reordered = True
        settings_changed = load_score_settings(session) != settings
        if settings_changed:
            _write_score_settings(session, settings)
        if not (rules_changed or settings_changed):
            # Moving rules changes no score, only the order a lead's reasons are listed in.
            return (
                Changes(settings=True, description="Reorder score rules")
                if reordered
                else Changes()
            )
        return _finish(ctx, session, "Change score rules", progress, should_cancel)
