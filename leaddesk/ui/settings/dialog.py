"""Edit → Settings…: scoring, the team, the lists, reminders, backups, appearance.

Pages edit copies; OK saves them. Team, lists and reminders save at once
through the runner; scoring edits are saved together with a rescore of every
lead on a worker thread, with progress. Cancelling the rescore keeps the dialog
open and saves no scoring change (the operation rolls back).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QProgressDialog,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.scoring import ScoreRule, ScoreSettings
from leaddesk.operations.changes import Changes
from leaddesk.operations.context import OperationContext
from leaddesk.operations.score_rules import RescoreCancelled, save_scoring
from leaddesk.ui.background import BackgroundJob, ProgressCallback
from leaddesk.ui.runner import OperationRunner
from leaddesk.ui.settings.appearance_page import AppearanceSettingsPage
from leaddesk.ui.settings.backups_page import BackupsSettingsPage
from leaddesk.ui.settings.lists_page import ListsSettingsPage
from leaddesk.ui.settings.scoring_page import ScoringSettingsPage
from leaddesk.ui.settings.team_page import TeamSettingsPage

log = logging.getLogger(__name__)


class _SavablePage(Protocol):
    def save(self) -> Any: ...


def _reminders_page(runner: OperationRunner) -> QWidget | None:
    """The Reminders tab, when this build has it (it ships separately)."""
    try:
        module = importlib.import_module("leaddesk.ui.settings.reminders_page")
        page: QWidget = module.RemindersSettingsPage(runner, None)
    except ImportError:
        return None
    except Exception:
        log.exception("the Reminders settings page could not be built")
        return None
    return page


def _run_save_scoring(
    ctx: OperationContext,
    rules: list[ScoreRule],
    settings: ScoreSettings,
    progress: ProgressCallback,
    should_cancel: Callable[[], bool],
) -> Changes:
    outcome = save_scoring(ctx, rules, settings, progress=progress, should_cancel=should_cancel)
    return outcome.changes


class SettingsDialog(QDialog):
    # Emitted once the scoring edits and the rescore are saved (tests wait on it).
    scoring_saved = Signal(object)  # Changes

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.runner = runner
        self.job: BackgroundJob | None = None
        self.progress: QProgressDialog | None = None

        self.tabs = QTabWidget()
        self.scoring = ScoringSettingsPage(runner)
        self.team = TeamSettingsPage(runner)
        self.lists = ListsSettingsPage(runner)
        self.tabs.addTab(self.scoring, "&Scoring")
        self.tabs.addTab(self.team, "&Team")
        self.tabs.addTab(self.lists, "&Lists")
        self.reminders = _reminders_page(runner)
        if self.reminders is not None:
            self.tabs.addTab(self.reminders, "&Reminders")
        self.backups = BackupsSettingsPage(runner)
        self.tabs.addTab(self.backups, "&Backups")
        self.appearance = AppearanceSettingsPage(runner)
        self.tabs.addTab(self.appearance, "&Appearance")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.resize(860, 640)

    def show_tab(self, name: str) -> None:
        """Open on a tab by its name ('scoring', 'team', 'lists', 'reminders')."""
        pages = {
            "scoring": self.scoring,
            "team": self.team,
            "lists": self.lists,
            "reminders": self.reminders,
            "backups": self.backups,
            "appearance": self.appearance,
        }
        page = pages.get(name.lower())
        if page is not None:
            self.tabs.setCurrentWidget(page)

    def _pages_saved_at_once(self) -> list[_SavablePage]:
        pages: list[Any] = [self.team, self.lists, self.backups, self.appearance]
        if self.reminders is not None and hasattr(self.reminders, "save"):
            pages.append(self.reminders)
        return pages

    def accept(self) -> None:
        """Save every page; stay open on the page that could not be saved."""
        if self.job is not None and self.job.is_running():
            return
        problem = self.scoring.problem()
        if problem is not None:
            self.tabs.setCurrentWidget(self.scoring)
            # Through the runner, like the rescore's own problems: one sentence, and
            # collected in tests instead of a modal box.
            self.runner.report_error(self, problem)
            return
        for page in self._pages_saved_at_once():
            if page.save() is False:
                if isinstance(page, QWidget):
                    self.tabs.setCurrentWidget(page)
                return
        if self.scoring.has_changes():
            self._start_rescore()
            return
        super().accept()

    def _start_rescore(self) -> None:
        self.buttons.setEnabled(False)
        job = BackgroundJob(
            partial(
                _run_save_scoring,
                self.runner.ctx,
                self.scoring.rules(),
                self.scoring.score_settings(),
            ),
            cancelled_errors=(RescoreCancelled,),
            what="rescore leads",
            parent=self,
        )
        progress = QProgressDialog(
            "Rescoring every lead with the new rules…", "Cancel", 0, 1000, self
        )
        progress.setWindowTitle("Rescoring")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(job.cancel)
        job.progressed.connect(self._on_progress)
        job.succeeded.connect(self._on_rescored)
        job.cancelled.connect(self._on_cancelled)
        job.failed.connect(self._on_failed)
        job.finished.connect(self._on_finished)
        self.job, self.progress = job, progress
        job.start()

    def _on_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setValue(int(done * 1000 / max(1, total)))

    def _on_rescored(self, changes: Changes) -> None:
        self.scoring.mark_saved()
        self.runner.announce(changes)
        self.scoring_saved.emit(changes)
        super().accept()

    def _on_cancelled(self) -> None:
        self.tabs.setCurrentWidget(self.scoring)
        self.runner.report_error(
            self, "Rescoring was stopped, so the scoring changes were not saved."
        )

    def _on_failed(self, message: str) -> None:
        self.tabs.setCurrentWidget(self.scoring)
        self.runner.report_error(self, message)

    def _on_finished(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        self.buttons.setEnabled(True)

    def reject(self) -> None:
        if self.job is not None and self.job.is_running():
            self.job.cancel()
            return
        super().reject()

    def done(self, result: int) -> None:
        if self.job is not None and self.job.is_running() and result == QDialog.DialogCode.Rejected:
            self.job.cancel()
            return
        if result == QDialog.DialogCode.Rejected:
            self.appearance.revert()
        super().done(result)
