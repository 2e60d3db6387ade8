"""The import wizard: file, settings, mapping, duplicates, import, result."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget, QWizard

from leaddesk.operations.importing import ImportOptions, ImportResult
from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.import_wizard.file_page import FilePage
from leaddesk.ui.import_wizard.mapping_page import MappingPage
from leaddesk.ui.import_wizard.policy_page import PolicyPage
from leaddesk.ui.import_wizard.result_page import ResultPage
from leaddesk.ui.import_wizard.run_page import RunPage
from leaddesk.ui.import_wizard.session import ImportSession
from leaddesk.ui.import_wizard.settings_page import SettingsPage
from leaddesk.ui.runner import OperationRunner


class Step(IntEnum):
    FILE = 0
    SETTINGS = 1
    MAPPING = 2
    POLICY = 3
    RUN = 4
    RESULT = 5


class ImportWizard(QWizard):
    """Imports one CSV file or Excel sheet; ``path`` preselects it (a command line, a drop)."""

    def __init__(
        self,
        runner: OperationRunner,
        path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setObjectName("importWizard")
        self.setWindowTitle("Import leads")
        # Classic: the pages draw on the window colour, legible in light and dark
        # palettes alike (the modern style paints a white banner on some platforms).
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Close")
        self.setMinimumSize(720, 520)
        self.resize(900, 640)

        with runner.ctx.db.reading() as connection:
            region = read_settings(connection)["default_region"] or None
        self.session = ImportSession(default_region=region, clock=runner.ctx.clock)
        self.file_page = FilePage(self.session)
        self.settings_page = SettingsPage(self.session)
        self.mapping_page = MappingPage(self.session, runner)
        self.policy_page = PolicyPage()
        self.run_page = RunPage(runner, self.import_options)
        self.result_page = ResultPage(runner)
        for step, page in (
            (Step.FILE, self.file_page),
            (Step.SETTINGS, self.settings_page),
            (Step.MAPPING, self.mapping_page),
            (Step.POLICY, self.policy_page),
            (Step.RUN, self.run_page),
            (Step.RESULT, self.result_page),
        ):
            self.setPage(step, page)
        self.run_page.succeeded.connect(self._on_succeeded)
        self.run_page.stopped.connect(self._on_stopped)
        self._close_when_stopped = False
        if path is not None:
            self.file_page.set_path(path)

    def nextId(self) -> int:
        """After the file: how it is read, which a workbook does not need (no encoding)."""
        if self.currentId() == Step.FILE and self.session.is_workbook:
            return Step.MAPPING
        return super().nextId()

    @property
    def import_result(self) -> ImportResult | None:
        return self.run_page.result

    def import_options(self) -> tuple[Path, ImportOptions]:
        assert self.session.path is not None
        assert self.session.fmt is not None
        return self.session.path, ImportOptions(
            fmt=self.session.fmt,
            mapping=self.session.mapping,
            policy=self.policy_page.policy,
            default_region=self.session.default_region,
        )

    def _on_succeeded(self, result: ImportResult) -> None:
        name = self.session.path.name if self.session.path else ""
        self.result_page.show_result(result, name)

    def _on_stopped(self) -> None:
        if self._close_when_stopped:
            super().reject()
        elif self.run_page.result is None:
            # Cancelled or failed: there is nothing left to do here but close.
            self.setButtonText(QWizard.WizardButton.CancelButton, "&Close")

    def reject(self) -> None:
        """Cancel (the button, Escape, the window's close box) waits for a running import."""
        if self.run_page.is_running():
            self._close_when_stopped = True
            self.run_page.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.run_page.is_running():
            self.reject()
            event.ignore()
            return
        super().closeEvent(event)
