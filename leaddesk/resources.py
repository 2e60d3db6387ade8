"""Find files shipped with LeadDesk, wherever it runs from.

Installed, the wheel carries ``resources/`` inside the package; frozen, the
bundle does the same; from a source checkout they sit at the repository root.
Never resolve from the working directory.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    for folder in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        candidate = folder / name
        if candidate.exists():
            return candidate
    return _PACKAGE / "resources" / name
