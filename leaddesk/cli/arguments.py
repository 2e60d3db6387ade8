"""Argument types shared by the parser and the commands that read ids out of other text.

Each raises ``argparse.ArgumentTypeError`` with the reason, which the parser
turns into one line and exit status 2 (``screenshot --view lead:ID`` reuses
``record_id`` for the id after the colon).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from leaddesk.core.paths import expanded

# SQLite's INTEGER is a signed 64-bit number: a larger id can name nothing
# (and Python's int would overflow the driver's conversion).
MAX_ID = 2**63 - 1


def record_id(text: str) -> int:
    """A lead, follow-up or import batch id: a whole number from 1 up."""
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()):
        raise argparse.ArgumentTypeError(f"'{text}' is not an id (a whole number such as 12)")
    if len(digits) > len(str(MAX_ID)) or int(digits) > MAX_ID:
        raise argparse.ArgumentTypeError(f"'{text}' is too large to be an id")
    value = int(digits)
    if value < 1:
        raise argparse.ArgumentTypeError("ids start at 1")
    return value


def output_file(text: str) -> Path:
    """A file LeadDesk will write: checked before the command does anything else.

    So an import with ``--errors`` naming a folder stops before it imports,
    rather than after it committed (a retry would import the leads twice).
    """
    if not text:
        raise argparse.ArgumentTypeError("the file name is empty")
    path = expanded(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; give a file name in it")
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"there is no folder {folder}")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise argparse.ArgumentTypeError(f"LeadDesk may not write {text} (it is read-only)")
    return path
