"""Settings → Backups: where the backups of this database go.

Stored in the database (setting ``backup_folder``; empty means the data
folder's backups/) so the command line finds the same folder. Another drive is
the point: a backup on the disk that fails with the database is no backup.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.core.paths import expanded
from leaddesk.errors import UserError
from leaddesk.operations.backups import TEAM_MODE_SENTENCE, database_file
from leaddesk.operations.settings import update_settings
from leaddesk.storage.backup import RETENTION, BackupKind, default_backup_folder
from leaddesk.storage.settings_store import read_settings
from leaddesk.ui.runner import OperationRunner


class BackupsSettingsPage(QWidget):
    """The backup folder (empty: the default beside the data), and what is kept."""

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupsSettingsPage")
        self._runner = runner
        self.default_folder = default_backup_folder(runner.ctx.db.location.data_dir)
        with runner.ctx.db.reading() as connection:
            self._saved = str(read_settings(connection)["backup_folder"] or "")
        try:
            database_file(runner.ctx.db.location)
            self.team_mode = False
        except UserError:
            self.team_mode = True

        box = QGroupBox("Where backups go")
        form = QFormLayout(box)
        self.folder = QLineEdit(self._saved)
        self.folder.setObjectName("backupFolder")
        self.folder.setPlaceholderText(str(self.default_folder))
        self.folder.setClearButtonEnabled(True)
        self.folder.setAccessibleName("Backup folder")
        browse = QPushButton("&Choose…")
        browse.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        label = QLabel("&Folder")
        label.setBuddy(self.folder)
        form.addRow(label, row)
        explain = QLabel(
            "Leave empty for the folder shown. A folder on another drive keeps the "
            "backups safe when this disk fails. Not a network drive for the database "
            "itself: use team mode for a shared database."
        )
        explain.setWordWrap(True)
        explain.setEnabled(False)
        form.addRow(explain)

        kept = QGroupBox("What is kept")
        kept_layout = QVBoxLayout(kept)
        kept_text = QLabel(
            f"A backup every day while LeadDesk is open (the last "
            f"{RETENTION[BackupKind.DAILY]} days), one before each upgrade of the database "
            f"(the last {RETENTION[BackupKind.PRE_MIGRATION]}), one before each restore "
            f"(the last {RETENTION[BackupKind.PRE_RESTORE]}), and every backup you make "
            "with File → Back up… until you delete it."
        )
        kept_text.setWordWrap(True)
        kept_layout.addWidget(kept_text)

        layout = QVBoxLayout(self)
        if self.team_mode:
            note = QLabel(TEAM_MODE_SENTENCE)
            note.setWordWrap(True)
            layout.addWidget(note)
            box.setEnabled(False)
            kept.setEnabled(False)
        layout.addWidget(box)
        layout.addWidget(kept)
        layout.addStretch(1)

    def _choose(self) -> None:
        start = self.folder.text().strip() or str(self.default_folder)
        chosen = QFileDialog.getExistingDirectory(self, "Backup folder", start)
        if chosen:
            self.folder.setText(chosen)

    def save(self) -> bool:
        """Store the folder if it changed; False (the user told why) when it cannot be used."""
        text = self.folder.text().strip()
        if text == self._saved or self.team_mode:
            return True
        if text:
            folder = expanded(text)
            if not folder.is_absolute():
                self._runner.report_error(self, f"Give the whole path of the folder, not {text}.")
                return False
            if not folder.is_dir():
                self._runner.report_error(self, f"The folder {folder} does not exist.")
                return False
        if self._runner.run(update_settings, {"backup_folder": text}) is None:
            return False
        self._saved = text
        return True
