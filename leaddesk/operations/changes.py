"""What an operation changed, announced so every view can refresh itself."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Changes:
    """The lead ids an operation touched, and what else it changed.

    Views do not poke each other: each operation returns one of these and every
    interested view decides from it what to reload.
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
