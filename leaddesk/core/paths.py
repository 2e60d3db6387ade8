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
