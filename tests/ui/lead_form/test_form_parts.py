"""The form's parts stand on their own: they import nothing of the form that holds them."""

from __future__ import annotations

import ast
from pathlib import Path

import leaddesk.ui.lead_form as lead_form

PARTS = (
    "activity_boxes",
    "form_state",
    "header",
    "lead_store",
    "live_score",
    "next_questions",
    "pipeline_row",
    "sections",
)


def _imports(module: str) -> set[str]:
    path = Path(lead_form.__file__).parent / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_no_part_imports_the_form_or_its_shells():
    shells = {f"leaddesk.ui.lead_form.{name}" for name in ("form", "dialog", "panel")}
    for part in PARTS:
        assert not _imports(part) & shells, part
