"""The board's move gate on the command line: answered by options, or the move refused.

A move to a further tier asks for that tier's missing key fields
(``core.profiling.move_gate``). On the board the user types them or skips; here
they come as options (``--budget-range``, ``--set budget_range=...``), and a
move that leaves one unanswered is refused, naming the fields and their
options, unless ``--skip-questions`` says to move anyway as Skip does. A
disqualification always needs its reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from leaddesk.cli.field_options import flag
from leaddesk.core.fields import FIELDS_BY_NAME


@dataclass(frozen=True, slots=True)
class GateAnswer:
    """For one lead: the answers to write (fields it has empty), what is still missing."""

    fill: dict[str, Any]
    missing: tuple[str, ...]


def answer_gate(
    stored: Mapping[str, Any],
    answers: Mapping[str, Any],
    *,
    temperature: str | None = None,
    stage: str | None = None,
    skip: bool = False,
) -> GateAnswer:
    """The gate of moving a lead with ``stored`` values, given the ``answers``.

    Answers fill only the fields the lead has empty: a bulk move never
    overwrites what a lead already knows (``leaddesk edit`` does that).
    """
    from leaddesk.core.profiling import is_filled, move_gate

    fill = {name: value for name, value in answers.items() if not is_filled(stored, name)}
    gate = move_gate(stored, temperature=temperature, stage=stage)
    asked = gate.required + (() if skip else gate.fields)
    missing = tuple(name for name in asked if not is_filled(fill, name))
    return GateAnswer(fill, missing)


def _spoken(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def refusal(
    target: str, missing: Mapping[int, tuple[str, ...]], *, reason_option: str = "--reason"
) -> str:
    """One sentence: which leads cannot move to ``target`` without which fields, and how."""
    ids = sorted(missing)
    names = list(dict.fromkeys(name for lead_id in ids for name in missing[lead_id]))
    fields = _spoken([FIELDS_BY_NAME[name].label.lower() for name in names])
    options = _spoken(
        [reason_option if name == "disqualification_reason" else flag(name) for name in names]
    )
    if len(ids) == 1:
        who = f"Lead {ids[0]}"
    else:
        shown = ", ".join(str(lead_id) for lead_id in ids[:5])
        who = f"{len(ids)} leads ({shown}{', …' if len(ids) > 5 else ''})"
    skippable = any(name != "disqualification_reason" for name in names)
    skip = ", or add --skip-questions" if skippable else ""
    them = "it" if len(names) == 1 else "them"
    return f"{who} cannot move to {target} without {fields}: give {them} with {options}{skip}."
