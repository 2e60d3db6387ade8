"""The board's own keys: one table read by the columns' key handling and by Help.

The columns act on these keys in ``keyPressEvent`` (they are not actions), so
Help → Keyboard shortcuts lists them from here: a key changed here changes
both, and the window cannot say one thing while the board does another.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeySequence

Key = Qt.Key
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


class BoardCommand(Enum):
    UP_DOWN = "up-down"  # Qt's list view moves within the column itself
    STEP_LEFT = "step-left"
    STEP_RIGHT = "step-right"
    MOVE_LEFT = "move-left"
    MOVE_RIGHT = "move-right"
    OPEN = "open"


@dataclass(frozen=True, slots=True)
class BoardKey:
    text: str  # as Help → Keyboard shortcuts lists it
    keys: tuple[QKeyCombination, ...]
    command: BoardCommand


BOARD_KEYS: tuple[BoardKey, ...] = (
    BoardKey(
        "Card above / below",
        (QKeyCombination(NONE, Key.Key_Up), QKeyCombination(NONE, Key.Key_Down)),
        BoardCommand.UP_DOWN,
    ),
    BoardKey(
        "Card in the column to the left",
        (QKeyCombination(NONE, Key.Key_Left),),
        BoardCommand.STEP_LEFT,
    ),
    BoardKey(
        "Card in the column to the right",
        (QKeyCombination(NONE, Key.Key_Right),),
        BoardCommand.STEP_RIGHT,
    ),
    BoardKey(
        "Move cards to the column to the left",
        (QKeyCombination(CTRL_SHIFT, Key.Key_Left),),
        BoardCommand.MOVE_LEFT,
    ),
    BoardKey(
        "Move cards to the column to the right",
        (QKeyCombination(CTRL_SHIFT, Key.Key_Right),),
        BoardCommand.MOVE_RIGHT,
    ),
    BoardKey(
        "Open the card",
        (QKeyCombination(NONE, Key.Key_Return), QKeyCombination(NONE, Key.Key_Enter)),
        BoardCommand.OPEN,
    ),
)

_COMMANDS = {key: entry.command for entry in BOARD_KEYS for key in entry.keys}


def board_command(key: int, modifiers: Qt.KeyboardModifier) -> BoardCommand | None:
    """The command a key press on a column asks for (the keypad's arrows are arrows)."""
    combination = QKeyCombination(modifiers & ~Qt.KeyboardModifier.KeypadModifier, Key(key))
    return _COMMANDS.get(combination)


def keys_text(entry: BoardKey) -> str:
    """The keys in the platform's own spelling ('Ctrl+Shift+Right'), comma-separated."""
    return ", ".join(
        QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) for key in entry.keys
    )
