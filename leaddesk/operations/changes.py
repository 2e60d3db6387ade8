"""What an operation changed, announced so every view can refresh itself.

The return convention of ``leaddesk.operations``:

- An operation that changes data returns an ``Outcome``: its ``changes`` (what
  every view refreshes from) and its ``value``, the one thing the caller asked
  for (the new lead's id, the new rule's key; None when there is nothing more
  to say). ``import_csv`` returns its ``ImportResult``, which carries
  ``changes`` too. Both are ``Reports``: the UI's runner announces
  ``result.changes`` without knowing which operation ran.
- Anything that changes no data returns its answer plainly: queries (the saved
  mappings) and the exports, which read the database and write a file outside
  it (the count of what they wrote). The UI calls these through
  ``OperationRunner.read``, which announces nothing.

At a call site: ``lead_id = create_lead(ctx, values).value``, or keep the whole
``outcome`` when both its parts are needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Changes:
    """The lead ids an operation touched, and what else it changed.

    Views do not poke each other: each operation returns one of these (in its
    ``Outcome``) and every interested view decides from it what to reload.
    """

    created: frozenset[int] = field(default_factory=frozenset)
    updated: frozenset[int] = field(default_factory=frozenset)
    deleted: frozenset[int] = field(default_factory=frozenset)
    # The columns or order of the board changed (a move, a new or deleted lead).
    board: bool = False
    settings: bool = False
    description: str = ""

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            created=self.created | other.created,
            updated=(self.updated | other.updated) - (self.deleted | other.deleted),
            deleted=self.deleted | other.deleted,
            board=self.board or other.board,
            settings=self.settings or other.settings,
            description=self.description or other.description,
        )

    @property
    def leads(self) -> frozenset[int]:
        return self.created | self.updated | self.deleted

    def __bool__(self) -> bool:
        return bool(self.leads or self.board or self.settings)


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """What an operation that changes data returns: what changed, and its answer.

    ``value`` is what the caller asked for besides the changes: the new lead's
    id (``create_lead``), the new follow-up's, the rule's key, the team's owner
    ids; None for an operation that has nothing more to say.
    """

    changes: Changes
    value: T


class Reports(Protocol):
    """A result that says what it changed: an ``Outcome`` or an ``ImportResult``."""

    @property
    def changes(self) -> Changes: ...
