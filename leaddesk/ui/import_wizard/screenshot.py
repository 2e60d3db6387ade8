"""The mapping step of the wizard as an image, for the README (no display needed)."""

from __future__ import annotations

import os
from pathlib import Path

from leaddesk.errors import UserError
from leaddesk.operations.context import OperationContext


def render_mapping_page(
    ctx: OperationContext,
    csv_path: str | os.PathLike[str],
    out_png: str | os.PathLike[str],
    size: tuple[int, int] = (1100, 700),
    theme: str = "light",
) -> None:
    """Open the wizard on ``csv_path``, go to the mapping step and save it as ``out_png``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from leaddesk.ui.app import create_application
    from leaddesk.ui.import_wizard.wizard import ImportWizard, Step
    from leaddesk.ui.runner import OperationRunner

    app = create_application(theme=theme)
    runner = OperationRunner(ctx)
    wizard = ImportWizard(runner, Path(csv_path))
    if wizard.session.fmt is None:
        raise UserError(wizard.session.error or f"{csv_path} cannot be imported.")
    wizard.resize(*size)
    wizard.show()
    while wizard.currentId() < Step.MAPPING:
        wizard.next()
    QApplication.processEvents()
    image = wizard.grab()
    wizard.hide()
    wizard.deleteLater()
    runner.deleteLater()
    app.processEvents()
    if not image.save(str(out_png)):
        raise UserError(f"Could not write {out_png}.")
