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
from leaddesk.operations.changes import Changes, Outcome
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


def _kind(kind: RuleKind | str) -> RuleKind:
    try:
        return RuleKind(kind)
    except ValueError:
        raise UserError(f"'{kind}' is not a kind of score rule.") from None


# The steps below change one rule or the cut-offs inside the caller's transaction:
# the single-edit operations run one each, save_scoring runs many before one rescore.


def _insert(session: Connection, rule: ScoreRule, position: int | None = None) -> str:
    key = rule.key or _new_key(session, rule.label)
    if position is None:
        last = session.execute(select(func.max(score_rules.c.position))).scalar()
        position = 0 if last is None else int(last) + 1
    session.execute(score_rules.insert().values(key=key, position=position, **_row(rule)))
    return key


def _write(session: Connection, rule: ScoreRule, position: int | None = None) -> None:
    """Store ``rule`` over the stored rule of its key, and move it to ``position`` if given."""
    values = _row(rule) if position is None else {"position": position, **_row(rule)}
    session.execute(update(score_rules).where(score_rules.c.key == rule.key).values(**values))


def _delete(session: Connection, rule: ScoreRule) -> None:
    if is_default_rule(rule.key):
        raise UserError(
            f"'{rule.label}' is one of LeadDesk's own rules: disable it instead of deleting it."
        )
    session.execute(delete(score_rules).where(score_rules.c.key == rule.key))


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
) -> Outcome[str]:
    """Add a rule after the others; the Outcome's value is its key."""
    rule = _cleaned(ScoreRule("", label, _kind(kind), points, parameters or {}))
    with ctx.db.transaction() as session:
        key = _insert(session, rule)
        changes = _finish(ctx, session, "Add score rule", progress, should_cancel)
    return Outcome(changes, key)


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
) -> Outcome[None]:
    """Change what a rule looks at or how many points it gives; only what is given."""
    with ctx.db.transaction() as session:
        current = _stored(session, key)
        rule = _cleaned(
            ScoreRule(
                key,
                current.label if label is None else label,
                current.kind if kind is None else _kind(kind),
                current.points if points is None else points,
                current.parameters if parameters is None else parameters,
                current.enabled,
            )
        )
        if rule == current:
            return Outcome(Changes(), None)
        _write(session, rule)
        return Outcome(_finish(ctx, session, "Edit score rule", progress, should_cancel), None)


def set_rule_enabled(
    ctx: OperationContext,
    key: str,
    enabled: bool,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> Outcome[None]:
    """Switch a rule off (it stays listed, gives no points) or back on."""
    with ctx.db.transaction() as session:
        if _stored(session, key).enabled == enabled:
            return Outcome(Changes(), None)
        session.execute(update(score_rules).where(score_rules.c.key == key).values(enabled=enabled))
        verb = "Enable" if enabled else "Disable"
        return Outcome(_finish(ctx, session, f"{verb} score rule", progress, should_cancel), None)


def delete_rule(
    ctx: OperationContext,
    key: str,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> Outcome[None]:
    """Remove a rule the user added; LeadDesk's own rules can only be disabled."""
    with ctx.db.transaction() as session:
        _delete(session, _stored(session, key))
        return Outcome(_finish(ctx, session, "Delete score rule", progress, should_cancel), None)


def _check_settings(settings: ScoreSettings) -> None:
    if problem := score_settings_problem(settings):
        raise UserError(problem)


def _store_score_settings(session: Connection, settings: ScoreSettings) -> bool:
    """Store the cut-offs (checked by the caller); False when they were already these."""
    if load_score_settings(session) == settings:
        return False
    write_setting(session, "qualification_threshold", settings.qualification_threshold)
    write_setting(session, "hot_cutoff", settings.hot_cutoff)
    write_setting(session, "warm_cutoff", settings.warm_cutoff)
    return True


def set_score_settings(
    ctx: OperationContext,
    settings: ScoreSettings,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> Outcome[None]:
    """Store the qualification threshold and the hot and warm cut-offs."""
    _check_settings(settings)
    with ctx.db.transaction() as session:
        if not _store_score_settings(session, settings):
            return Outcome(Changes(), None)
        # Cut-offs change no score, only the temperature it suggests (settings=True).
        return Outcome(
            _finish(ctx, session, "Change score cut-offs", progress, should_cancel), None
        )


def save_scoring(
    ctx: OperationContext,
    rules: Sequence[ScoreRule],
    settings: ScoreSettings,
    *,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> Outcome[None]:
    """Make the stored rules, in this order, and the cut-offs exactly these; one rescore.

    What Settings saves when OK is pressed: rules with a key update the stored
    rule of that key, rules without one are added, stored rules the list leaves
    out are deleted (not LeadDesk's own: those can only be disabled). Each by the
    same step as update_rule, add_rule, delete_rule and set_score_settings.
    """
    cleaned = [_cleaned(rule) for rule in rules]
    _check_settings(settings)
    with ctx.db.transaction() as session:
        stored = {rule.key: rule for rule in load_rules(session)}
        wanted_keys = {rule.key for rule in cleaned if rule.key}
        if missing := wanted_keys - stored.keys():
            raise RuleNotFoundError(min(missing))
        order_before = list(stored)
        reordered = False
        for key, rule in stored.items():
            if key not in wanted_keys:
                _delete(session, rule)
        rules_changed = len(wanted_keys) != len(stored)
        for position, rule in enumerate(cleaned):
            if not rule.key:
                _insert(session, rule, position)
                rules_changed = True
                continue
            if rule != stored[rule.key] or order_before.index(rule.key) != position:
                _write(session, rule, position)
                rules_changed = rules_changed or rule != stored[rule.key]
                reordered = True
        settings_changed = _store_score_settings(session, settings)
        if not (rules_changed or settings_changed):
            # Moving rules changes no score, only the order a lead's reasons are listed in.
            return Outcome(
                Changes(settings=True, description="Reorder score rules")
                if reordered
                else Changes(),
                None,
            )
        return Outcome(_finish(ctx, session, "Change score rules", progress, should_cancel), None)
