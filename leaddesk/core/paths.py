"""File names as text that can be stored and shown, whatever bytes they are made of."""

from __future__ import annotations

import os
from pathlib import Path


def readable_name(path: str | os.PathLike[str]) -> str:
    """The file's name, with bytes that are not UTF-8 shown as U+FFFD.

    On POSIX a name is bytes; Python carries undecodable ones as lone
    surrogates, which the database and a UTF-8 terminal refuse to encode.
    The file itself is still opened by its real name.
    """
    name = Path(path).name
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def expanded(path: str | os.PathLike[str]) -> Path:
    """``path`` with a leading ``~`` or ``~user`` expanded where that home exists.

    ``Path.expanduser`` raises for a user the system does not know (``~0``,
    ``~nobody-here``); such a name is then taken as it is written, and the
    folder it names is reported missing like any other.
    """
    try:
        return Path(path).expanduser()
    except RuntimeError:
        return Path(path)
